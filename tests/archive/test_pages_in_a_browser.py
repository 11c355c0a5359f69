"""In a real Chromium: pages load without console errors or CSP violations, read well on a phone,
and a form too large to send is stopped in the page with the text kept."""

import pytest
from playwright.sync_api import expect

from ficshelf.works.models import Work
from tests.factories import PASSWORD, make_user, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script: the CSP reports blocked scripts and styles as these events.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def watch(page) -> list[str]:
    """Console errors, uncaught exceptions and failed loads, in a list that fills as they come."""
    problems: list[str] = []
    page.add_init_script(WATCH_CSP)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    return problems


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def log_in(page, username: str) -> None:
    page.goto("/users/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_the_home_and_work_pages_load_without_console_errors_or_csp_violations(page):
    work = make_work(title="Quiet Hours", chapters=2, summary="<p>A long night.</p>")
    problems = watch(page)
    for path in ("/", work.get_absolute_url(), "/works/", "/users/login"):
        page.goto(path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof htmx") == "object"  # the scripts did run
        assert csp_violations(page) == [], path
    assert problems == []


def test_the_menu_and_the_stats_read_well_on_a_phone(phone_page, check_accessibility):
    """Each stat keeps its label and number on one line; the menu's rows run edge to edge."""
    username = "olivia_benson_special_victims_unit_1999"  # 39 of the 40 characters allowed
    author = make_user(username)
    work = make_work(author, title="Quiet Hours", chapters=3)
    log_in(phone_page, username)
    for path in ("/", work.get_absolute_url(), "/works/"):
        phone_page.goto(path)
        check_accessibility(phone_page)
        layout = phone_page.evaluate(
            """() => {
              const box = (element) => element.getBoundingClientRect();
              const pairs = [...document.querySelectorAll("dl.stats dt")].map((dt) => {
                const dd = dt.nextElementSibling;
                return [dt.textContent, Math.round(box(dt).bottom), Math.round(box(dd).bottom)];
              });
              const menu = document.querySelector(".primary.navigation");
              const rows = {};
              for (const item of menu.children) {
                const b = box(item);
                (rows[Math.round(b.top)] ||= []).push([b.left, b.right]);
              }
              return {
                pairs,
                menu: [box(menu).left, box(menu).right],
                rows: Object.values(rows),
                pageWidth: document.documentElement.scrollWidth,
              };
            }"""
        )
        assert layout["pageWidth"] <= 360, path
        assert layout["pairs"], path
        for label, label_line, value_line in layout["pairs"]:
            assert label_line == value_line, f"{path}: {label} is on another line than its value"
        left, right = layout["menu"]
        for row in layout["rows"]:  # every row of the menu runs edge to edge
            assert abs(min(a for a, _ in row) - left) <= 1
            assert abs(max(b for _, b in row) - right) <= 1


def test_a_chapter_too_large_to_send_is_stopped_with_the_text_kept(page, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    make_user("nightshift")
    log_in(page, "nightshift")
    page.goto("/works/new")
    text = "Olivia waited. " * 2_000  # 30,000 characters, over 20,000 bytes once encoded
    page.get_by_label("Work text").fill(text)
    page.get_by_role("button", name="Post", exact=True).click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("This is too large to send")
    expect(alert).to_contain_text("the archive takes at most 20 KB")
    expect(alert).to_contain_text("Nothing was sent, and your text is still here")
    assert page.url.endswith("/works/new")
    assert page.get_by_label("Work text").input_value() == text
    assert not Work.objects.exists()

    # Shortened under the limit, the form goes to the server, whose own checks answer.
    page.get_by_label("Work text").fill("Olivia waited.")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Please correct the errors below.")
    expect(page.get_by_text("This is too large to send")).to_have_count(0)
