"""Series in a real Chromium, on a phone: a creator starts a series from a work's page, adds a
second work, puts them in order with Move up, and a guest follows Next work from part 1."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import log_in
from tests.factories import make_user, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_creator_builds_a_series_and_a_guest_reads_through_it(
    phone_page, chromium, live_server, check_accessibility
):
    page = phone_page
    author = make_user("saga_writer")
    first = make_work(author, title="The Beginning")
    second = make_work(author, title="The Middle")
    log_in(page, "saga_writer")

    page.goto(f"/works/{second.pk}")
    page.get_by_text("Add to series").first.click()
    page.get_by_label("A new series titled").fill("The Long Road")
    page.get_by_role("button", name="Add to series").click()
    expect(page.get_by_text("is now part 1 of the new series")).to_be_visible()

    page.goto(f"/works/{first.pk}")
    page.get_by_text("Add to series").first.click()
    page.get_by_label("One of your series").select_option(label="The Long Road")
    page.get_by_role("button", name="Add to series").click()
    expect(page.locator(".series-parts").get_by_text("Part 2 of")).to_be_visible()

    page.get_by_role("link", name="The Long Road").first.click()
    page.get_by_role("link", name="Order works").click()
    page.get_by_role("button", name="Move up The Beginning").click()
    expect(page.get_by_text("The new order is saved.")).to_be_visible()
    check_accessibility(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    guest = chromium.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    reader = guest.new_page()
    reader.goto(f"/works/{first.pk}")
    navigation = reader.get_by_role("navigation", name="Series")
    expect(navigation).to_contain_text("Part 1 of The Long Road")
    navigation.get_by_role("link", name="Next work in The Long Road →").click()
    expect(reader.get_by_role("heading", name="The Middle").first).to_be_visible()
    expect(reader.get_by_role("navigation", name="Series")).to_contain_text("Part 2 of")
    reader.goto(f"/series/{first.series.get().pk}")
    check_accessibility(reader)
    guest.close()
