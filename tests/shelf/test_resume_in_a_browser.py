"""A reader reads half the seed chapter on a computer, leaves, and on a phone continues at the
same paragraph, in a real Chromium."""

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ficshelf.imports.services import WorkChoices, import_work
from ficshelf.shelf.models import Reading
from ficshelf.userstuff.paragraphs import paragraphs_of
from tests.browser.test_journeys import log_in
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_a100ff2d1837b2ec.txt"

# The paragraph at the top of the window, as static/js/reading-position.js finds it.
AT_TOP = """() => {
  const all = Array.from(document.querySelectorAll("#chapters .userstuff.module [data-p]"));
  const top = all.find(el => el.getBoundingClientRect().bottom > 1);
  return top && top.dataset.p;
}"""


def wait_for_position(user, *, seconds: float = 10) -> Reading:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        entry = Reading.objects.filter(user=user).first()
        if entry and entry.paragraph:
            return entry
        time.sleep(0.1)
    pytest.fail("The browser never sent the reader's position.")


def test_a_reader_leaves_mid_chapter_and_continues_on_a_phone_at_the_same_paragraph(
    page, phone_page, check_accessibility
):
    work = import_work(
        file_bytes=SEED.read_bytes(),
        filename=SEED.name,
        importer=make_user("importer"),
        defaults=WorkChoices(fandoms=["Law & Order: Special Victims Unit"], rating="teen"),
    ).work
    chapter = work.chapters.get()
    ids = [p.id for p in paragraphs_of(chapter.text)]
    reader = make_user("nightreader")

    log_in(page, "nightreader")
    page.goto(f"/works/{work.pk}")
    expect(page.get_by_role("button", name="Mark for later")).to_be_visible()
    # Reading: the wheel, a screen at a time, to about half the chapter.
    half = page.evaluate(
        "() => { const c = document.querySelector('#chapters').getBoundingClientRect();"
        " return c.top + window.scrollY + c.height / 2; }"
    )
    while page.evaluate("window.scrollY") + 10 < half - 900:
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(50)
    page.wait_for_timeout(200)
    left_at = page.evaluate(AT_TOP)
    assert left_at in ids
    assert len(ids) * 0.3 < ids.index(left_at) < len(ids) * 0.7  # about half way

    page.goto("/works")  # leaving sends the paragraph on screen
    entry = wait_for_position(reader)
    assert (entry.chapter_id, entry.paragraph) == (chapter.pk, left_at)
    assert entry.paragraph_index == ids.index(left_at)

    log_in(phone_page, "nightreader")
    phone_page.goto(f"/works/{work.pk}")
    link = phone_page.get_by_role("link", name="Continue reading, where you left off")
    expect(link).to_be_visible()
    check_accessibility(phone_page)
    link.click()
    phone_page.wait_for_url(f"**/works/{work.pk}/chapters/{chapter.pk}#p-{left_at}")
    paragraph = phone_page.locator(f'#chapters [data-p="{left_at}"]')
    expect(paragraph).to_be_in_viewport()
    phone_page.wait_for_timeout(300)  # past the landing after `load`
    top = paragraph.evaluate("el => el.getBoundingClientRect().top")
    assert -2 <= top <= 16, f"the paragraph is {top}px from the top of the phone's window"
    assert phone_page.evaluate(AT_TOP) == left_at
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360

    # Landing there is no news: the place stays the same when the reader leaves at once.
    phone_page.goto("/works")
    entry.refresh_from_db()
    assert entry.paragraph == left_at

    # The history lists the work, on a phone too.
    phone_page.goto("/users/nightreader/readings")
    expect(phone_page.get_by_role("heading", name="History")).to_be_visible()
    expect(phone_page.locator(".reading-entry")).to_contain_text("Visited 3 times")
    check_accessibility(phone_page)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360

    # Mark for later, from the work page, and its own list.
    phone_page.goto(f"/works/{work.pk}")
    phone_page.get_by_role("button", name="Mark for later").click()
    expect(phone_page.get_by_text("Marked for later ✓")).to_be_visible()
    check_accessibility(phone_page)
    phone_page.goto("/users/nightreader/later")
    expect(phone_page.locator(".reading-entry")).to_contain_text("Traitor")
    check_accessibility(phone_page)
