"""Kudos and blocks in a real Chromium: a reader gives kudos to chapter 1 and to the work; a
reader the author blocked finds no comment form and no kudos button."""

import pytest
from playwright.sync_api import expect

from ficshelf.feedback.services.blocking import block_user
from tests.browser.test_journeys import log_in
from tests.factories import make_user, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_gives_kudos_to_chapter_one_and_to_the_work(page, check_accessibility):
    author = make_user("storyteller")
    work = make_work(author, chapters=2, title="Two Parts")
    first = work.chapters.get(position=1)
    make_user("fan")
    log_in(page, "fan")
    page.goto(f"/works/{work.pk}")

    chapter_kudos = page.locator(f"#kudos_chapter_{first.pk}")
    expect(chapter_kudos.locator(".kudos-count")).to_have_text("0 kudos")
    check_accessibility(page)
    chapter_kudos.get_by_role("button", name="Kudos for this chapter").click()
    expect(chapter_kudos).to_contain_text("You left kudos on this chapter.")
    expect(chapter_kudos.locator(".kudos-count")).to_have_text("1 kudos")

    page.locator("#kudos").get_by_role("button", name="Kudos for this work").click()
    expect(page.locator("#kudos")).to_contain_text("You left kudos on this work.")
    expect(page.locator("#kudos p.kudos")).to_have_text("fan left kudos on this work!")

    # Both stay after a reload, and the work's stats count the work's kudos.
    page.reload()
    expect(page.locator(f"#kudos_chapter_{first.pk}")).to_contain_text("You left kudos")
    expect(page.locator("#kudos p.kudos")).to_have_text("fan left kudos on this work!")
    expect(page.locator("dd.kudos")).to_have_text("1")
    check_accessibility(page)


def test_a_guest_gives_kudos_without_javascript(chromium, live_server):
    author = make_user("quietwriter")
    work = make_work(author, title="Plain Page")
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"/works/{work.pk}")
        page.locator("#kudos").get_by_role("button", name="Kudos for this work").click()
        expect(page.get_by_text("Thank you for leaving kudos!")).to_be_visible()
        expect(page.locator("#kudos p.kudos")).to_have_text("1 guest left kudos on this work!")
    finally:
        context.close()


def test_a_reader_the_author_blocked_finds_no_comment_form_and_no_kudos_button(page):
    author = make_user("blocker")
    work = make_work(author, title="Not For Trolls")
    make_user("welcome")
    block_user(blocker=author, blocked=make_user("troll"))

    # A reader who is not blocked finds both (so the absence below means something).
    log_in(page, "welcome")
    page.goto(f"/works/{work.pk}")
    expect(page.locator("form.kudos-form")).to_have_count(2)
    expect(page.locator("form.comment-form textarea").first).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, "troll")
    page.goto(f"/works/{work.pk}")
    expect(page.locator("#chapters .userstuff").first).to_contain_text("The first chapter")
    expect(page.locator("#kudos")).to_be_visible()
    expect(page.locator("form.kudos-form")).to_have_count(0)
    expect(page.locator("textarea")).to_have_count(0)
    expect(page.locator("form.comment-form")).to_have_count(0)
