"""A guest comments on a passage of the imported seed chapter, in a real Chromium."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ficshelf.feedback.forms import MIN_FILL_SECONDS
from ficshelf.feedback.models import Comment
from ficshelf.imports.services import WorkChoices, import_work
from ficshelf.userstuff.paragraphs import paragraphs_of
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_a100ff2d1837b2ec.txt"
PASSAGE = "biting and cold"

# Selects `passage` inside the first paragraph holding it, as a reader dragging over it would.
SELECT = """passage => {
  for (const paragraph of document.querySelectorAll("#chapters [data-p]")) {
    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(passage);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + passage.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return paragraph.dataset.p;
    }
  }
  return null;
}"""


def test_a_guest_comments_on_a_passage_of_the_seed_chapter_and_sees_its_marker(
    page, check_accessibility
):
    result = import_work(
        file_bytes=SEED.read_bytes(),
        filename=SEED.name,
        importer=make_user("importer"),
        defaults=WorkChoices(fandoms=["Law & Order: Special Victims Unit"], rating="teen"),
    )
    work = result.work
    chapter = work.chapters.get()
    page.goto(f"/works/{work.pk}")
    expect(page.locator("#chapters .inline-comment-link").first).to_be_attached()
    check_accessibility(page)

    paragraph_id = page.evaluate(SELECT, PASSAGE)
    assert paragraph_id
    page.get_by_role("button", name="Comment on this passage").click()
    panel = page.locator(".inline-comment-panel")
    expect(panel.get_by_label("Passage")).to_have_value(PASSAGE)
    panel.get_by_label("Name").fill("Passing reader")
    panel.get_by_label("Email").fill("passing@example.org")
    panel.get_by_label("Comment:", exact=True).fill("Such a vivid line.")
    # A person takes a few seconds to write (forms.MIN_FILL_SECONDS).
    page.wait_for_timeout(MIN_FILL_SECONDS * 1000 + 200)
    panel.get_by_role("button", name="Comment").click()

    expect(page.locator("li.comment blockquote.userstuff")).to_contain_text("Such a vivid line.")
    expect(page.locator(".inline-comment-quote")).to_have_text(PASSAGE)
    # The browser measured the passage as the server does.
    comment = Comment.objects.get()
    text = next(p.text for p in paragraphs_of(chapter.text) if p.id == paragraph_id)
    assert comment.current_paragraph_id == int(paragraph_id)
    assert text[comment.quote_start : comment.quote_end] == PASSAGE

    page.get_by_role("link", name=re.compile(r"^← Back to Traitor")).click()
    marker = page.locator(f'#chapters [data-p="{paragraph_id}"] .inline-comment-marker')
    expect(marker).to_have_count(1)
    expect(marker).to_have_attribute("data-count", "1")
    expect(marker).to_have_accessible_name("1 comment on this paragraph")
    check_accessibility(page)

    # The marker opens the thread in place, below its paragraph.
    marker.click()
    expect(page.locator(".inline-comment-panel li.comment")).to_contain_text("Such a vivid line.")
