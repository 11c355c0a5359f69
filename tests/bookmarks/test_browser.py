"""Bookmarking in a real Chromium: from the work page to the form and back, on a phone."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import log_in
from tests.factories import make_user, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_bookmarks_a_work_on_a_phone(phone_page, check_accessibility):
    author = make_user("keeper")
    work = make_work(author, title="Worth Keeping")
    make_user("collector")
    page = phone_page
    log_in(page, "collector")
    page.goto(f"/works/{work.pk}")
    page.get_by_role("link", name="Bookmark", exact=True).click()
    page.get_by_label("Notes").fill("Read on the train.")
    page.get_by_label("Your tags").fill("trains, comfort")
    page.get_by_label("Rec (recommend it to others)").check()
    page.get_by_role("button", name="Create bookmark").click()
    expect(page.get_by_text("Bookmark saved.")).to_be_visible()
    expect(page.get_by_text("Read on the train.")).to_be_visible()
    check_accessibility(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    page.goto(f"/works/{work.pk}")
    expect(page.get_by_role("link", name="Edit bookmark")).to_be_visible()
    expect(page.locator("dd.bookmarks")).to_have_text("1")
    page.goto("/users/collector/bookmarks")
    expect(page.locator(".bookmark.blurb")).to_contain_text("Worth Keeping")
    check_accessibility(page)
