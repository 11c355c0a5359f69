"""Checking while writing, in a real Chromium: the beta reader's findings appear beside the
new-chapter form's text when the author pauses, one click fixes the text in the box, and the
form posts the fixed text. Without JavaScript the form and its "Check chapter" report stay."""

import pytest
from playwright.sync_api import expect

from ficshelf.works.models import Chapter
from tests.browser.test_journeys import log_in
from tests.factories import make_user, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The first check in a fresh server loads the checker's word lists: allow for it.
FIRST_CHECK_MS = 60_000


def new_chapter_form(page, username: str):
    author = make_user(username)
    work = make_work(author, title="Noon")
    log_in(page, username)
    page.goto(f"/works/{work.pk}/chapters/new")
    page.get_by_label("The text is written as").select_option(label="Plain text")
    return work


def test_a_finding_appears_after_a_pause_and_one_click_fixes_the_posted_text(
    page, check_accessibility
):
    work = new_chapter_form(page, "livewriter")
    panel = page.get_by_role("region", name="Beta reader")
    expect(panel).to_be_visible()
    box = page.get_by_label("Chapter text")
    box.click()
    box.press_sequentially("The rain had stopped. They were suppose to meet at noon.", delay=15)

    fix = panel.get_by_role("button", name="Replace with “supposed to”")
    expect(fix).to_be_visible(timeout=FIRST_CHECK_MS)
    expect(panel.locator(".finding-message").first).to_contain_text("supposed to")
    check_accessibility(page)
    fix.click()

    expect(box).to_have_value("The rain had stopped. They were supposed to meet at noon.")
    # The check runs again on the fixed text: the finding is gone, not merely hidden.
    expect(panel.locator(".live-check-summary")).to_have_text(
        "0 errors, 0 suggestions", timeout=FIRST_CHECK_MS
    )
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Chapter was successfully posted.")).to_be_visible()
    chapter = Chapter.objects.get(work=work, position=2)
    assert "They were supposed to meet at noon." in chapter.text


def test_a_stale_finding_changes_nothing_and_the_text_is_checked_again(page):
    new_chapter_form(page, "stalewriter")
    panel = page.get_by_role("region", name="Beta reader")
    box = page.get_by_label("Chapter text")
    box.click()
    box.press_sequentially("She should of known.", delay=15)
    fix = panel.get_by_role("button", name="Replace with “should have”")
    expect(fix).to_be_visible(timeout=FIRST_CHECK_MS)
    # The text moves on without the panel knowing yet (as a paste would, before its pause).
    page.evaluate(
        "() => { const box = document.getElementById('id_text');"
        " box.value = 'Late. ' + box.value; }"
    )
    fix.click()
    expect(box).to_have_value("Late. She should of known.")
    # Checked again: the new finding is where the text now has it ("Late. " moved it by 6).
    moved = panel.locator('[data-live-fix][data-start="10"]:enabled')
    expect(moved).to_be_visible(timeout=FIRST_CHECK_MS)
    moved.click()
    expect(box).to_have_value("Late. She should have known.")


def test_without_javascript_the_form_has_no_panel_and_the_report_still_works(chromium, live_server):
    author = make_user("plainwriter")
    work = make_work(author, title="Quiet")
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(FIRST_CHECK_MS)
    try:
        log_in(page, "plainwriter")
        page.goto(f"/works/{work.pk}/chapters/new")
        expect(page.locator("#live-check")).to_be_hidden()
        page.get_by_label("The text is written as").select_option(label="Plain text")
        page.get_by_label("Chapter text").fill("They were suppose to meet at noon.")
        page.get_by_role("button", name="Check chapter").click()
        report = page.locator("#beta-report")
        expect(report).to_contain_text("supposed to")
        expect(page.get_by_label("Chapter text")).to_have_value(
            "They were suppose to meet at noon."
        )
    finally:
        context.close()
