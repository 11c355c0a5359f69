"""The author's dashboard in a real Chromium: from the work page to the figures, the chart and
the table, and the CSV download."""

import csv
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ficshelf.stats import services
from tests.browser.test_journeys import log_in
from tests.factories import make_account, make_user, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_author_opens_the_dashboard_sees_the_chart_and_downloads_the_csv(
    page, check_accessibility
):
    author = make_user("dashboarder")
    work = make_work(author, chapters=2, title="Well Read")
    one, two = work.chapters.order_by("position")
    at = int(timezone.now().timestamp())
    readers = [f"u{make_account(f'fan{n}').pk}" for n in range(4)]
    views = [(work.pk, (one.pk,), False, reader, at) for reader in readers]
    views += [(work.pk, (two.pk,), False, reader, at) for reader in readers[:3]]
    services.record_hits(entries=views)

    log_in(page, "dashboarder")
    page.goto(f"/works/{work.pk}")
    page.get_by_role("link", name="Statistics for this work").click()
    expect(page.get_by_role("heading", name="Statistics for Well Read")).to_be_visible()

    chart = page.get_by_role("img", name="Chapter 1's readers who reached each chapter")
    expect(chart).to_be_visible()
    expect(page.locator("#hits-chart .stats-rect")).to_have_count(2)
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table.get_by_role("row").nth(2)).to_contain_text("3 (75%)")
    expect(page.get_by_text("75% of chapter 1's readers reached chapter 2")).to_be_visible()
    check_accessibility(page)

    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    download = waiting.value
    assert download.suggested_filename == f"work-{work.pk}-stats.csv"
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert [row[3] for row in rows[1:]] == ["4", "3"]  # the hits, as in the table


def test_the_dashboard_fits_a_phone(phone_page):
    author = make_user("pocket")
    work = make_work(author, chapters=3, title="Small Screen")
    log_in(phone_page, "pocket")
    phone_page.goto(f"/works/{work.pk}/stats")
    expect(phone_page.get_by_role("table")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
