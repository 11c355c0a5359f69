"""What an author clicks, in a real Chromium: checking a draft and accepting a fix."""

import pytest
from playwright.sync_api import expect

from ficshelf.works.models import Chapter
from tests.factories import PASSWORD, make_user, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = (
    "<p>They were suppose to meet Zorblaxian at the precinct. She should of known.</p>"
    "<p>It was a long night, and the coffee was cold.</p>"
)


def log_in(page, username: str) -> None:
    page.goto("/users/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_an_author_checks_a_draft_and_accepts_a_fix(page, check_accessibility):
    author = make_user("nightowl")
    work = make_work(author, post=False, text=TEXT, title="Cold Coffee")
    log_in(page, "nightowl")

    page.goto("/users/nightowl/works")
    expect(page.get_by_role("link", name="Beta reader:")).to_be_visible()
    check_accessibility(page)
    page.goto(work.get_absolute_url())
    page.get_by_role("link", name="Check chapter").click()

    expect(page.get_by_role("heading", name="Findings", exact=True)).to_be_visible()
    expect(page.locator("mark.finding", has_text="suppose to")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Replace with “supposed to”").click()

    expect(page.get_by_text("Replaced “suppose to” with “supposed to”.")).to_be_visible()
    expect(page.locator(".checked-text")).to_contain_text("They were supposed to meet")
    expect(page.get_by_role("button", name="Replace with “supposed to”")).to_have_count(0)
    chapter = Chapter.objects.get(work=work)
    assert "They were supposed to meet" in chapter.text


def test_the_report_fits_a_phone_screen(phone_page, check_accessibility):
    author = make_user("pocket")
    work = make_work(author, post=False, text=TEXT * 3)
    log_in(phone_page, "pocket")
    chapter = work.chapters.get()
    phone_page.goto(f"/works/{work.pk}/chapters/{chapter.pk}/check?style=1")
    expect(phone_page.get_by_role("heading", name="Findings", exact=True)).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the report is {width}px wide on a 360px screen"
    check_accessibility(phone_page)
