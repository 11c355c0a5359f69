"""Autosave in a real Chromium: type into a chapter, close the tab, open the form again in a
new one, restore, and the text is back."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import log_in
from tests.factories import make_user, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_text_typed_into_a_closed_tab_comes_back(page, check_accessibility):
    author = make_user("nightowl")
    work = make_work(author, title="Unfinished", text="<p>What was saved.</p>")
    chapter = work.chapters.get()
    url = f"/works/{work.pk}/chapters/{chapter.pk}/edit"
    log_in(page, "nightowl")
    page.goto(url)
    text = page.get_by_label("Chapter text")
    text.fill("<p>What was saved.</p>\n\n<p>A new scene, typed late at night.</p>")
    expect(page.locator("[data-autosave-status]")).to_contain_text(
        re.compile(r"Saved at \d"), timeout=15_000
    )

    context = page.context
    page.close()  # the tab is closed before the chapter was saved
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.goto(url)
    expect(tab.get_by_label("Chapter text")).not_to_contain_text("A new scene")
    check_accessibility(tab)
    tab.get_by_role("link", name=re.compile("Restore the unsaved text from")).click()
    expect(tab.get_by_label("Chapter text")).to_have_value(
        re.compile("A new scene, typed late at night.")
    )
    tab.get_by_role("button", name="Update").click()
    expect(tab.get_by_text("Chapter was successfully updated.")).to_be_visible()
    chapter.refresh_from_db()
    assert "A new scene, typed late at night." in chapter.text
    # Saved: the offer does not come back.
    tab.goto(url)
    expect(tab.get_by_text("Restore the unsaved text")).to_have_count(0)


def test_leaving_the_page_at_once_still_keeps_what_was_typed(page):
    """Gone before the next 5-second autosave: the page sends what it holds as it is hidden."""
    from ficshelf.works.models import FormAutosave

    work = make_work(make_user("hasty"))
    log_in(page, "hasty")
    page.goto(f"/works/{work.pk}/chapters/new")
    page.get_by_label("Chapter text").fill("<p>One quick line before the bus.</p>")
    page.goto("/works/")  # leaves at once (pagehide): sendBeacon
    for _ in range(50):
        if FormAutosave.objects.filter(work=work).exists():
            break
        page.wait_for_timeout(100)
    kept = FormAutosave.objects.get(work=work)
    assert kept.fields["text"] == ["<p>One quick line before the bus.</p>"]
    page.goto(f"/works/{work.pk}/chapters/new")
    expect(page.get_by_text(re.compile("Restore the unsaved text from"))).to_be_visible()


def test_the_form_says_when_it_cannot_save(page):
    mine = make_work(make_user("commuter"))
    log_in(page, "commuter")
    page.goto(f"/works/{mine.pk}/chapters/new")
    page.context.set_offline(True)
    page.get_by_label("Chapter text").fill("<p>Written on a train.</p>")
    expect(page.locator("[data-autosave-status]")).to_contain_text(
        "Not saved: offline — will retry", timeout=15_000
    )
    page.context.set_offline(False)
    expect(page.locator("[data-autosave-status]")).to_contain_text(
        re.compile(r"Saved at \d"), timeout=15_000
    )


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_on_a_phone_a_conflict_shows_both_versions_and_an_old_version_restores(
    phone_page, check_accessibility
):
    from ficshelf.works.services import ChapterContent, edit_chapter

    author = make_user("pocketwriter")
    work = make_work(author, title="Pocket", text="<p>The first ending, which was good.</p>")
    chapter = work.chapters.get()
    page = phone_page
    log_in(page, "pocketwriter")
    page.goto(f"/works/{work.pk}/chapters/{chapter.pk}/edit")
    # Meanwhile, another tab saves the chapter.
    edit_chapter(
        chapter=chapter, editor=author, content=ChapterContent(text="<p>Another tab's ending.</p>")
    )
    page.get_by_label("Chapter text").fill("<p>This tab's ending.</p>")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_role("heading", name="This chapter was saved while you were editing it"))
    expect(page.get_by_role("region", name="The saved version of the chapter")).to_contain_text(
        "Another tab's ending."
    )
    expect(page.get_by_label("Chapter text")).to_have_value("<p>This tab's ending.</p>")
    check_accessibility(page)
    assert _fits(page)
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_text("Chapter was successfully updated.")).to_be_visible()

    page.goto(f"/works/{work.pk}/chapters/{chapter.pk}/versions")
    check_accessibility(page)
    assert _fits(page)
    page.get_by_role("link", name="Version 1", exact=True).click()
    expect(page.get_by_role("region", name="Version 1 text")).to_contain_text("The first ending")
    check_accessibility(page)
    assert _fits(page)
    page.get_by_role("button", name="Restore this version").click()
    expect(page.get_by_text("Version 1 is the chapter's text again")).to_be_visible()
    chapter.refresh_from_db()
    assert "The first ending, which was good." in chapter.text
