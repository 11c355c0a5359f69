"""The XSS figure (issue 13): every public payload in every field a person can write, each
page that shows them opened in a real Chromium with alert/confirm/prompt/print hooked and CSP
violations recorded. Nothing may run, and the stored HTML holds only the allowlist.

The pages do not depend on the database, so the browser part runs on SQLite only; the
stored values are checked on PostgreSQL too (a smaller build: the payload batches, not the
one-object-per-payload fields).

Reproduce the figure: .venv/bin/pytest tests/security/test_xss_payloads.py -s -q
"""

import os
import time

import pytest
from django.test import Client

from tests.security import xss

ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture(autouse=True)
def tasks_wait(settings):
    """Background tasks (inbox fan-out, beta-reader summaries) are left queued: what the pages
    show of the payloads does not go through them, and running them doubles the build."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
    }


def _log_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def _render(page, url: str, found: dict) -> None:
    dialogs: list[str] = []

    def opened(dialog) -> None:  # the second net: a real dialog, had a hook been bypassed
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", opened)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    if "/autocomplete" in url:
        assert response.headers["content-type"] == "application/json", url
        assert response.headers.get("x-content-type-options") == "nosniff", url
    inspected = page.evaluate(xss.INSPECT)
    page.wait_for_timeout(30)  # for anything the pokes set off
    found["executions"] += [f"{url}: {call}" for call in page.evaluate("() => window.__xss")]
    found["executions"] += [f"{url}: dialog {message}" for message in dialogs]
    found["csp"] += [f"{url}: {v}" for v in page.evaluate("() => window.__csp")]
    found["handlers"] += [f"{url}: {h}" for h in inspected["handlers"]]
    found["urls"] += [f"{url}: {u}" for u in inspected["urls"]]
    page.remove_listener("dialog", opened)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    ON_POSTGRESQL, reason="rendering does not depend on the database: run once, on SQLite"
)
def test_no_public_xss_payload_runs_in_any_field(chromium, live_server):
    started = time.perf_counter()
    payloads = xss.load_payloads()
    plan = xss.build(payloads)
    built = time.perf_counter() - started

    checked, problems = xss.check_stored_values()
    print("\nbuild seconds by part:", plan.timings)
    assert not problems, problems[:20]

    context = chromium.new_context(base_url=live_server.url)
    context.add_init_script(xss.HOOKS)
    guest = context.new_page()
    members: dict[str, object] = {}
    console: list[str] = []
    guest.on("console", lambda m: m.type == "error" and console.append(m.text))
    found = {"executions": [], "csp": [], "handlers": [], "urls": []}
    for url, login in plan.pages:
        who = {True: "xssreader", "staff": "xssadmin"}.get(login)
        if who and who not in members:
            member = chromium.new_context(base_url=live_server.url)
            member.add_init_script(xss.HOOKS)
            from ficshelf.accounts.models import User

            _log_in(member, live_server, User.objects.get(username=who))
            members[who] = member.new_page()
        _render(members[who] if who else guest, url, found)
    context.close()

    fields = {name: n for name, n in plan.tried.items() if n}
    tried = sum(fields.values())
    print(f"\nXSS figure: {len(payloads):,} unique payloads; {len(fields)} fields;")
    print(
        f"  payload × field placements tried: {tried:,} (refused by a service: "
        f"{sum(plan.refused.values()):,}); stored sanitized values checked: {checked:,}"
    )
    for name, n in sorted(plan.tried.items()):
        print(f"    {name}: {n:,} tried, {plan.refused.get(name, 0):,} refused")
    print(
        f"  pages rendered in Chromium: {len(plan.pages)}; executions: "
        f"{len(found['executions'])}; CSP violations: {len(found['csp'])}; "
        f"handler attributes in the DOM: {len(found['handlers'])}; "
        f"script URLs in the DOM: {len(found['urls'])}"
    )
    for violation in sorted(set(v.split(": ", 1)[1] for v in found["csp"]))[:10]:
        print(f"    CSP: {violation}")
    print(f"  built in {built:.1f} s, total {time.perf_counter() - started:.1f} s")
    assert not found["executions"], found["executions"][:20]
    assert not found["handlers"], found["handlers"][:20]
    assert not found["urls"], found["urls"][:20]


@pytest.mark.django_db
@pytest.mark.skipif(not ON_POSTGRESQL, reason="on SQLite the browser test checks these too")
def test_stored_values_hold_only_the_allowlist_on_postgresql():
    xss.build(xss.load_payloads(), quick=True)
    checked, problems = xss.check_stored_values()
    assert checked > 100
    assert not problems, problems[:20]
