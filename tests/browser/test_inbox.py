"""The inbox in a real Chromium: a reader subscribes on a work, its author posts chapter 2, and
the reader finds it in the inbox from the header's count."""

import pytest
from playwright.sync_api import expect

from ficshelf.works.services import ChapterContent, add_chapter
from tests.browser.test_journeys import log_in
from tests.factories import make_user, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_subscribes_and_finds_chapter_2_in_the_inbox(
    page, mailoutbox, check_accessibility
):
    author = make_user("serialist")
    work = make_work(author, title="To Be Continued")
    make_user("follower")
    log_in(page, "follower")
    page.goto(f"/works/{work.pk}")
    page.get_by_role("button", name="Subscribe", exact=True).click()
    expect(page.get_by_text("You are subscribed to To Be Continued")).to_be_visible()
    expect(page.get_by_role("link", name="Inbox (0)")).to_be_visible()

    add_chapter(
        work=work,
        editor=author,
        content=ChapterContent(text="<p>The roof, at last.</p>", title="The Roof"),
    )
    page.reload()
    page.get_by_role("link", name="Inbox (1)").click()
    item = page.locator(".inbox-item.unread")
    expect(item).to_contain_text("To Be Continued: Chapter 2: The Roof is posted")
    check_accessibility(page)
    assert [m.to for m in mailoutbox] == [["follower@example.org"]]

    item.get_by_role("button", name="Mark read").click()
    expect(page.get_by_role("link", name="Inbox (0)")).to_be_visible()
    page.get_by_role("link", name="To Be Continued: Chapter 2: The Roof is posted").click()
    expect(page.get_by_text("The roof, at last.")).to_be_visible()


def test_the_inbox_reads_on_a_phone(phone_page):
    make_user("pocket")
    log_in(phone_page, "pocket")
    phone_page.goto("/inbox")
    expect(phone_page.get_by_role("heading", name="Inbox")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
