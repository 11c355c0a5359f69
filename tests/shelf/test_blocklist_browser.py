"""The demo, in a real Chromium on a phone's width: a reader blocks a tag from its page and
works with it vanish from the lists; a guest does the same through the blocklist page."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import log_in
from tests.factories import make_user, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_blocks_a_tag_and_its_works_vanish_from_every_list(
    phone_page, check_accessibility
):
    author = make_user("storyteller")
    make_work(author, title="Sad Harbour", freeforms=["Angst"])
    make_work(author, title="Warm Kitchen", freeforms=["Fluff"])
    make_user("fan")
    page = phone_page
    log_in(page, "fan")
    page.goto("/tags/Angst/works")
    page.get_by_role("button", name="Block this tag").click()
    expect(page.get_by_text("Works tagged “Angst” are hidden from your lists.")).to_be_visible()
    expect(page.locator("ul.blocked-tags")).to_contain_text("Angst")
    check_accessibility(page)

    page.goto("/works/")
    expect(page.locator("li.work")).to_have_count(1)
    expect(page.locator("p.hidden-notice")).to_contain_text("1 work hidden by your filters.")
    page.get_by_role("link", name="Show them").click()
    expect(page.locator("li.work")).to_have_count(2)
    page.get_by_role("link", name="Hide them again").click()
    expect(page.locator("li.work")).to_have_count(1)

    page.goto("/tags/Angst/works")
    expect(page.locator("p.hidden-notice")).to_contain_text("Your filters hide all 1 work here.")
    page.get_by_role("link", name="Edit filters").click()
    page.locator("ul.blocked-tags").get_by_role("button", name="Unblock").click()
    expect(page.get_by_text("You have not blocked any tags.")).to_be_visible()
    page.goto("/works/")
    expect(page.locator("li.work")).to_have_count(2)


def test_a_guest_blocks_a_tag_in_their_browser(chromium, live_server):
    make_work(make_user("storyteller"), title="Sad Harbour", freeforms=["Angst"])
    make_work(make_user("cook"), title="Warm Kitchen", freeforms=["Fluff"])
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/tags/Angst/works")
        page.get_by_role("link", name="Block this tag").click()
        expect(page.get_by_label("Tag to block")).to_have_value("Angst")
        page.get_by_role("button", name="Block", exact=True).click()
        page.goto("/works/")
        expect(page.locator("li.work")).to_have_count(1)
        expect(page.locator("li.work")).to_contain_text("Warm Kitchen")
    finally:
        context.close()
