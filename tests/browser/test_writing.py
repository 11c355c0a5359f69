"""Writing in a real Chromium: pasting from a word processor, and inviting a co-creator."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from ficshelf.works.models import Chapter
from tests.browser.test_journeys import log_in
from tests.factories import make_user, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLIPBOARD = Path(__file__).resolve().parents[1] / "userstuff" / "clipboard"

PASTE = """([selector, html, plain]) => {
    const target = document.querySelector(selector);
    target.focus();
    const data = new DataTransfer();
    data.setData('text/html', html);
    data.setData('text/plain', plain);
    const event = new ClipboardEvent(
        'paste', {clipboardData: data, bubbles: true, cancelable: true});
    const handled = !target.dispatchEvent(event);
    if (!handled) {
        // What the browser itself does with a paste nobody handled: insert the plain text.
        target.setRangeText(plain, target.selectionStart, target.selectionEnd, 'end');
    }
}"""


def test_a_chapter_pasted_from_google_docs_reads_as_paragraphs_with_italics(page):
    author = make_user("paster")
    work = make_work(author, title="Pasted")
    log_in(page, "paster")
    page.goto(f"/works/{work.pk}/chapters/new")
    page.get_by_label("The text is written as").select_option(label="Rich text (HTML)")
    clipboard = (CLIPBOARD / "google_docs.html").read_text(encoding="utf-8")
    # Google Docs puts the text on the clipboard with single newlines between paragraphs:
    # without the paste handler, the chapter would be one paragraph.
    page.evaluate(PASTE, ["textarea.chapter-text", clipboard, "One.\nTwo."])
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator("h2.title.heading")).to_have_text("Pasted")

    chapter = Chapter.objects.get(work=work, position=2)
    text = page.locator("#chapters .userstuff").first
    paragraphs = text.locator("p")
    assert paragraphs.count() >= 2
    assert text.locator("em, i").count() >= 1
    assert "style=" not in chapter.text and "<span" not in chapter.text


def test_an_invited_co_creator_accepts_and_can_edit(page):
    author = make_user("lead")
    make_user("partner")
    work = make_work(author, title="Together")
    log_in(page, "lead")
    page.goto(f"/works/{work.pk}/edit")
    page.get_by_label("Co-creators").fill("partner")
    page.get_by_role("button", name="Update").click()
    expect(page.locator("h3.byline.heading")).to_have_text("lead")

    page.get_by_role("button", name="Log out").click()
    log_in(page, "partner")
    page.goto("/users/partner")
    page.get_by_role("link", name="Co-creator requests (1)").click()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("You are now a creator of “Together”.")).to_be_visible()
    page.goto(f"/works/{work.pk}")
    expect(page.locator("h3.byline.heading")).to_have_text("lead, partner")
    expect(page.get_by_role("link", name="Edit work")).to_be_visible()
