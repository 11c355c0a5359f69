"""Scheduling a chapter in a real Chromium: the form takes the browser's time zone, and the
work page shows the author when it will post, in that zone."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_journeys import log_in
from tests.factories import make_user, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_author_in_tokyo_schedules_chapter_two(chromium, live_server, check_accessibility):
    author = make_user("tokyowriter")
    work = make_work(author, title="Late Trains")
    context = chromium.new_context(base_url=live_server.url, timezone_id="Asia/Tokyo")
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, "tokyowriter")
        page.goto(f"/works/{work.pk}/chapters/new")
        expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
        check_accessibility(page)

        when = (timezone.now() + timedelta(days=2)).astimezone(ZoneInfo("Asia/Tokyo"))
        page.get_by_label("Chapter text").fill("<p>The last train home.</p>")
        page.get_by_label("Post at").fill(when.strftime("%Y-%m-%dT%H:%M"))
        page.get_by_role("button", name="Schedule").click()

        expect(page.get_by_text("will be posted on")).to_be_visible()
        expect(page.locator("li.scheduled")).to_contain_text(f"{when:%H:%M} (Asia/Tokyo)")
        chapter = work.chapters.get(position=2)
        assert not chapter.posted
        assert chapter.scheduled_for == when.replace(second=0, microsecond=0)
    finally:
        context.close()
