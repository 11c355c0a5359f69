"""A reader on a phone excludes a tag from the facet panel, and no result shows it."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_excludes_a_tag_from_the_facets_and_no_result_shows_it(
    phone_page, check_accessibility
):
    make_work(title="Sweet Tea", freeforms=["Fluff"])
    make_work(title="Rain Again", freeforms=["Angst"])
    page = phone_page
    page.goto("/")
    page.get_by_role("link", name="Search", exact=True).click()
    page.get_by_label("Any text").fill("chapter")
    page.get_by_role("button", name="Search", exact=True).click()
    results = page.locator("ol.work.index")
    expect(results).to_contain_text("Sweet Tea")
    expect(results).to_contain_text("Rain Again")
    check_accessibility(page)

    page.get_by_role("link", name="Exclude Fluff").click()
    expect(results).to_contain_text("Rain Again")
    expect(results).not_to_contain_text("Sweet Tea")
    expect(results).not_to_contain_text("Fluff")
    expect(page.get_by_label("Exclude tags")).to_have_value("Fluff")
