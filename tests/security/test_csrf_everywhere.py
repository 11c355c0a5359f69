"""Every URL of the URLconf, enumerated: a GET changes nothing, and a POST without a CSRF token
is refused (403) and changes nothing.

Each URL's arguments come from a small archive (tests/security/csrf_urls.py) by parameter
name; a new parameter without a sample fails the test until one is added. The owner of every
object is logged in: their session is the authority a forged request would borrow.

- GET: the whole database (every model's rows, every column) is the same before and after,
  but for the writes a GET makes by design, listed in GET_WRITES with the reason.
- POST without a token, through Client(enforce_csrf_checks=True): 403, and nothing changed.
  Which URLs take a POST at all is asked first with the checks off, in a savepoint rolled back
  after (405 there: the URL takes no POST). That same probe counts how many of the POSTs did
  change something when let through: the form data sent is real enough for the check to bite.
- The feedback forms that guests use from cached pages (ficshelf/feedback/views/csrf.py) take
  a guest's POST without a token by design: GUEST_WITHOUT_TOKEN lists them, and a guest's POST
  there still cannot do what a guest may not (comment on or give kudos to a logged-in-only
  work). For an account they refuse a POST without a token like every other URL.
- The API (/api/v1/) authenticates by bearer token and ignores session cookies, so it needs
  no CSRF defence (ficshelf/api/access.py): a POST carrying the owner's session and no token
  must still change nothing, and is counted with the refused ones.
- The login page checks CSRF itself (ficshelf/accounts/otwarchive.py): a POST without a token,
  or with an `authenticity_token` (FanFicFare's field) that matches no cookie, is refused.
"""

import time

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import resolve

from ficshelf.feedback.forms import form_stamp
from tests.security.csrf_urls import (
    SampleArchive,
    Watch,
    differences,
    distinct_routes,
    enumerate_urls,
    snapshot,
)
from tests.sharing import built_once, run_on_commit

pytestmark = pytest.mark.django_db

ALL_URLS = enumerate_urls()
URLS = distinct_routes(ALL_URLS)

# Writes a GET makes on purpose, and why. Nothing else may change on a GET.
SESSION = {"sessions.Session": "the session store (cached_db) saves the session a request touched"}
READING = "reading a work's page records it in the reader's history (shelf.Reading, by design)"
GET_WRITES = {
    # URL name: {model label: why}
    "works:work": {"shelf.Reading": READING},
    "works:chapter": {"shelf.Reading": READING},
    "accounts:two_factor": {
        "otp_totp.TOTPDevice": "the page shows a new secret to scan, kept unconfirmed (it turns "
        "nothing on) so that the code typed next is checked against the secret shown"
    },
}
# Rows a refused POST may touch: none but the session itself.
POST_WRITES = SESSION

# Accept a guest's POST without a token (csrf_exempt, checked for accounts only).
GUEST_WITHOUT_TOKEN = {
    "feedback:work_comments": "comments from a guest's cached work page",
    "feedback:chapter_comments": "comments from a guest's cached chapter page",
    "feedback:paragraph": "inline comments from a guest's cached page",
    "feedback:work_kudos": "kudos from a guest's cached work page",
    "feedback:chapter_kudos": "kudos from a guest's cached chapter page",
}
# Take a POST without a session at all: the URL's own secret is the key.
KEYED_BY_THE_URL = {
    "inbox:unsubscribe": "RFC 8058 one-click unsubscribe: mail providers POST the signed link",
}

# With the checks off, the forged POST below does change these (the probe checks it): the
# refusal is what stops it, not a form the forgery got wrong.
MUST_BITE = {
    "accounts:logout",
    "accounts:new_pseud",
    "accounts:revoke_other_sessions",
    "bookmarks:delete",
    "feedback:delete_comment",
    "feedback:work_comments",
    "feedback:chapter_comments",
    "inbox:item",
    "inbox:reset_feed",
    "series:delete",
    "shelf:delete_search",
    "shelf:save_search",
    "works:delete",
    "works:new_chapter",
    "works:edit_chapter",
    "api_token_revoke",
}

# Check CSRF themselves, as strictly as the middleware (test_the_login_refuses_...).
CHECKED_BY_THE_VIEW = {"accounts:login": "also reads FanFicFare's authenticity_token field"}

# Form fields that most forms here read: a forged POST as real as a browser's.
POSTED = {
    "text": "A forged text.",
    "text_format": "plain",
    "rendered": "",
    "action": "delete",
    "name": "A forged name",
    "title": "A forged title",
    "notes": "Forged notes.",
    "query": "forged",
    "summary": "Forged.",
    "reason": "A forged reason for this.",
    "confirm": "yes",
    "works": "delete",
    "password": "correct-horse-battery-staple",
    "username": "owner",
    "tag": "Forged Tag",
    "paragraph_id": "1",
    "quote": "",
    "theme": "dark",
    "hide_read": "on",
    "comments": "off",
}


def _forged(path: str) -> str:
    """The path with its last character changed: a signed token that no longer verifies."""
    return path[:-1] + ("A" if path[-1] != "A" else "B")


def _posted() -> dict:
    return {**POSTED, "rendered": form_stamp(time.time() - 60)}


@pytest.fixture(scope="class")
def archive(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.test.utils import override_settings

    media = tmp_path_factory.mktemp("media")
    with built_once(django_db_blocker), override_settings(MEDIA_ROOT=media):
        with run_on_commit(execute=True):
            built = SampleArchive()
        built.settle()
        built.paths = {url.name: built.path(url) for url in ALL_URLS}
        yield built


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def _owner(archive, **kwargs) -> Client:
    # A server error is reported with its URL, not raised: the test goes on to the others.
    client = Client(raise_request_exception=False, **kwargs)
    client.force_login(archive.owner)
    return client


def _probe(archive) -> dict[str, tuple[int, bool]]:
    """Each URL's answer to the owner's POST with the CSRF checks off, and whether it changed
    anything; each in a savepoint rolled back after."""
    answers = {}
    client = _owner(archive)
    before = snapshot(frozenset(POST_WRITES))
    for url in URLS:
        cache.clear()
        if "_auth_user_id" not in client.session:  # an earlier URL logged out: log in again
            client.force_login(archive.owner)
            before = snapshot(frozenset(POST_WRITES))
        with transaction.atomic():
            status = client.post(archive.paths[url.name], _posted()).status_code
            changed = bool(differences(before, snapshot(frozenset(POST_WRITES))))
            transaction.set_rollback(True)
        answers[url.name] = (status, changed)
    return answers


FIGURE: dict[str, object] = {}


class TestCsrfEverywhere:
    def test_every_url_is_enumerated_with_its_arguments(self, archive):
        assert len(URLS) > 150
        assert len({url.name for url in ALL_URLS}) == len(ALL_URLS), "every URL is named once"
        assert all(archive.paths[url.name] for url in URLS)

    def test_the_urls_exempt_from_django_csrf_check_are_the_listed_ones(self, archive):
        """Each csrf_exempt view checks in its own way, listed here: a new one must be too."""
        exempt = set()
        for url in URLS:
            view = resolve(archive.paths[url.name]).func
            if getattr(view, "csrf_exempt", False):
                exempt.add("api" if url.name.startswith("api:") else url.name)
        listed = {*GUEST_WITHOUT_TOKEN, *KEYED_BY_THE_URL, *CHECKED_BY_THE_VIEW, "api"}
        assert exempt == listed

    def test_no_get_changes_state(self, archive):
        client = _owner(archive)
        wrong = []
        watch = Watch(frozenset(SESSION))
        for url in URLS:
            cache.clear()
            response = client.get(archive.paths[url.name])
            changed = watch.changes(allowed=frozenset(GET_WRITES.get(url.name, {})))
            if changed:
                wrong.append(f"  GET {archive.paths[url.name]} ({url.name}): {', '.join(changed)}")
            if response.status_code >= 500:
                wrong.append(f"  GET {archive.paths[url.name]}: {response.status_code}")
        FIGURE["gets"] = (len(URLS), len(wrong))
        print(f"GETs: {len(URLS)}; GETs that changed state: {len(wrong)}")
        assert not wrong, "GETs that changed state:\n" + "\n".join(wrong)

    def test_no_post_without_a_token_passes(self, archive):
        answers = _probe(archive)
        accepting = [url for url in URLS if answers[url.name][0] != 405]
        client = _owner(archive, enforce_csrf_checks=True)
        wrong = []
        watch = Watch(frozenset(POST_WRITES))
        for url in accepting:
            cache.clear()
            path = archive.paths[url.name]
            if url.name in KEYED_BY_THE_URL:
                path = _forged(path)  # its key is the URL: a forged one must do nothing
            api = path.startswith("/api/")
            for method in ("post", "patch") if api else ("post",):
                status = getattr(client, method)(path, _posted()).status_code
                changed = watch.changes()
                refused = status == 403 or (
                    status in (401, 404, 405) and (api or url.name in KEYED_BY_THE_URL)
                )
                if changed or not refused:
                    wrong.append(
                        f"  {method.upper()} {path} ({url.name}): {status}; "
                        f"changed: {', '.join(changed) or 'nothing'}"
                    )
        biting = sum(1 for url in accepting if answers[url.name][1])
        refused = len(accepting) - len(wrong)
        FIGURE["posts"] = (len(accepting), refused, biting)
        print(
            f"URLs taking a POST: {len(accepting)}; POSTs without a token refused: "
            f"{refused}/{len(accepting)} ({biting} of them changed state when let through)"
        )
        assert not wrong, "POSTs without a token that were not refused:\n" + "\n".join(wrong)
        weak = sorted(MUST_BITE - {url.name for url in accepting if answers[url.name][1]})
        assert not weak, f"the forged POST changed nothing here even let through: {weak}"

    def test_the_guest_forms_take_no_token_but_refuse_what_a_guest_may_not_do(self, archive):
        """A guest POSTs a comment and kudos to a logged-in-only work, without a token."""
        restricted = archive.restricted
        chapter = restricted.chapters.get(position=1)
        paths = {
            "feedback:work_comments": f"/works/{restricted.pk}/comments",
            "feedback:chapter_comments": f"/works/{restricted.pk}/chapters/{chapter.pk}/comments",
            "feedback:work_kudos": f"/works/{restricted.pk}/kudos",
            "feedback:chapter_kudos": f"/works/{restricted.pk}/chapters/{chapter.pk}/kudos",
            "feedback:paragraph": (
                f"/works/{restricted.pk}/chapters/{chapter.pk}/paragraphs/1/comments"
            ),
        }
        guest = Client(enforce_csrf_checks=True)
        data = {**_posted(), "guest_name": "A Guest", "guest_email": "guest@example.org"}
        wrong = []
        for name, path in paths.items():
            assert name in GUEST_WITHOUT_TOKEN
            before = snapshot(frozenset(POST_WRITES))
            status = guest.post(path, data).status_code
            changed = differences(before, snapshot(frozenset(POST_WRITES)))
            if changed:
                wrong.append(f"  POST {path} as a guest: {status}; changed: {changed}")
        # The same forms on a public work do take a guest's comment without a token.
        work, public_chapter = archive.work, archive.chapter
        before = snapshot(frozenset(POST_WRITES))
        guest.post(f"/works/{work.pk}/chapters/{public_chapter.pk}/comments", data)
        assert differences(before, snapshot(frozenset(POST_WRITES))), "by design: see csrf.py"
        assert not wrong, "\n".join(wrong)

    def test_the_login_refuses_a_post_without_a_token(self, archive):
        guest = Client(enforce_csrf_checks=True)
        login = archive.paths["accounts:login"]
        account = {"username": "owner", "password": "whatever"}
        assert guest.post(login, account).status_code == 403
        fanficfare = {"user[login]": "owner", "user[password]": "x", "authenticity_token": "a" * 64}
        assert guest.post(login, fanficfare).status_code == 403, "a token matching no cookie"
        # With the dispenser's token and its cookie, no Referer: FanFicFare's way is let in.
        token = guest.get(archive.paths["accounts:token_dispenser"]).json()["token"]
        answer = guest.post(login, {**fanficfare, "authenticity_token": token})
        assert answer.status_code != 403

    def test_the_figure(self):
        if "gets" not in FIGURE or "posts" not in FIGURE:
            pytest.skip("the figure needs the whole class")
        gets, changed = FIGURE["gets"]
        posts, refused, biting = FIGURE["posts"]
        print(
            f"\nURLs: {len(URLS)}; taking a POST (state-changing endpoints): {posts}, of which "
            f"{biting} changed state when let through; POSTs without a token refused: "
            f"{refused}/{posts}; GETs that changed state: {changed}"
        )
        assert refused == posts and changed == 0
