"""Inline comments' anchors: checked when a reader makes one, and moved when the author edits."""

import pytest
from django.core.exceptions import ValidationError

from ficshelf.feedback.anchors import (
    QUOTE_MAX,
    Anchor,
    ChapterParagraphs,
    place_anchor,
    reanchor,
)
from ficshelf.feedback.models import AnchorState
from ficshelf.userstuff.paragraphs import number_paragraphs, paragraphs_of
from ficshelf.works.services import ChapterContent, edit_chapter
from tests.factories import make_user, make_work

FIRST = "The gunshots rang loud and clear in the mid November air, biting and cold."
SECOND = "They scattered in an instant, abandoning their diner in favor of the alley."
THIRD = "Her hand found his wrist again. Be careful, she said."
ORIGINAL = f"<p>{FIRST}</p><p>{SECOND}</p><p>{THIRD}</p>"


def _ids(html: str) -> dict[str, int]:
    return {p.text: int(p.id) for p in paragraphs_of(html)}


def _edit(old_html: str, new_html: str):
    """The old numbered text, and the new one numbered from it as the editing service does."""
    old, next_id = number_paragraphs(old_html)
    new, _ = number_paragraphs(new_html, previous=old, next_id=next_id)
    return old, new


def _placed(old: str, paragraph_text: str, quote: str):
    paragraph = next(p for p in paragraphs_of(old) if p.text == paragraph_text)
    start = paragraph.text.index(quote) if quote else None
    return int(paragraph.id), quote or paragraph.text, start


def _after(new: str, paragraph_id: int, quote: str, start):
    return reanchor(
        ChapterParagraphs.of(new),
        paragraph_id=paragraph_id,
        current_paragraph_id=paragraph_id,
        quote=quote,
        start=start,
    )


# (what the author did, new text, paragraph quoted, quote ("" = the whole paragraph),
#  the anchor's state after, the paragraph it is on now (text), offsets after (or None))
EDITS = [
    (
        "a typo fixed elsewhere in the paragraph",
        f"<p>{FIRST.replace('biting', 'bitting')}</p><p>{SECOND}</p><p>{THIRD}</p>",
        FIRST,
        "mid November air",
        AnchorState.ON_PARAGRAPH,
        FIRST.replace("biting", "bitting"),
        "mid November air",
    ),
    (
        "words added before the quote, in its paragraph",
        f"<p>Suddenly, {FIRST}</p><p>{SECOND}</p><p>{THIRD}</p>",
        FIRST,
        "mid November air",
        AnchorState.ON_PARAGRAPH,
        f"Suddenly, {FIRST}",
        "mid November air",
    ),
    (
        "the paragraph split in two, the quote in the first half",
        "<p>The gunshots rang loud and clear.</p><p>In the mid November air, biting and cold.</p>"
        f"<p>{SECOND}</p><p>{THIRD}</p>",
        FIRST,
        "The gunshots rang loud",
        AnchorState.MOVED,
        "The gunshots rang loud and clear.",
        "The gunshots rang loud",
    ),
    (
        "the paragraph split in two, the quote in the second half",
        "<p>The gunshots rang loud and clear.</p><p>In the mid November air, biting and cold.</p>"
        f"<p>{SECOND}</p><p>{THIRD}</p>",
        FIRST,
        "biting and cold",
        AnchorState.MOVED,
        "In the mid November air, biting and cold.",
        "biting and cold",
    ),
    (
        "a short tail split off the paragraph, the quote in the tail",
        f"<p>{SECOND}</p><p>More happened.</p><p>{THIRD}</p>",
        f"{SECOND} More happened.",
        "More happened",
        AnchorState.MOVED,
        "More happened.",
        "More happened",
    ),
    (
        "the paragraph moved to the end",
        f"<p>{SECOND}</p><p>{THIRD}</p><p>{FIRST}</p>",
        FIRST,
        "biting and cold",
        AnchorState.ON_PARAGRAPH,
        FIRST,
        "biting and cold",
    ),
    (
        "the paragraph deleted, its quote kept in another paragraph",
        f"<p>{SECOND} The gunshots rang loud and clear.</p><p>{THIRD}</p>",
        FIRST,
        "The gunshots rang loud and clear",
        AnchorState.MOVED,
        f"{SECOND} The gunshots rang loud and clear.",
        "The gunshots rang loud and clear",
    ),
    (
        "the paragraph deleted, its quote nowhere",
        f"<p>{SECOND}</p><p>{THIRD}</p>",
        FIRST,
        "mid November air",
        AnchorState.EARLIER_VERSION,
        None,
        None,
    ),
    (
        "the whole paragraph's comment, the paragraph changed a little in its place",
        f"<p>{FIRST} Again.</p><p>{SECOND}</p><p>{THIRD}</p>",
        FIRST,
        "",
        AnchorState.ON_PARAGRAPH,
        f"{FIRST} Again.",
        None,
    ),
    (
        "the whole paragraph's comment, the paragraph moved and changed (a new id)",
        f"<p>{SECOND}</p><p>{THIRD}</p><p>{FIRST} Again.</p>",
        FIRST,
        "",
        AnchorState.MOVED,
        f"{FIRST} Again.",
        None,
    ),
    (
        "the whole paragraph's comment, the paragraph rewritten past recognition",
        f"<p>Nothing like it at all, no.</p><p>{SECOND}</p><p>{THIRD}</p>",
        FIRST,
        "",
        AnchorState.EARLIER_VERSION,
        None,
        None,
    ),
    (
        "the quoted words themselves corrected, the paragraph kept",
        f"<p>{FIRST.replace('mid November', 'mid-November')}</p><p>{SECOND}</p><p>{THIRD}</p>",
        FIRST,
        "mid November air",
        AnchorState.ON_PARAGRAPH,
        FIRST.replace("mid November", "mid-November"),
        None,
    ),
]


@pytest.mark.parametrize(
    ("edit", "new_html", "paragraph", "quote", "state", "now_on", "quote_after"),
    EDITS,
    ids=[edit[0] for edit in EDITS],
)
def test_an_anchor_follows_the_authors_edit(
    edit, new_html, paragraph, quote, state, now_on, quote_after
):
    old_html = ORIGINAL
    if paragraph not in (FIRST, SECOND, THIRD):
        old_html = f"<p>{paragraph}</p><p>{THIRD}</p>"
    old, new = _edit(old_html, new_html)
    paragraph_id, stored_quote, start = _placed(old, paragraph, quote)

    placement = _after(new, paragraph_id, stored_quote, start)

    assert placement.state == state
    if now_on is None:
        assert placement.paragraph_id is None
    else:
        assert placement.paragraph_id == _ids(new)[now_on]
    if quote_after is None:
        assert (placement.start, placement.end) == (None, None)
    else:
        text = next(p.text for p in paragraphs_of(new) if int(p.id) == placement.paragraph_id)
        assert text[placement.start : placement.end] == quote_after
        assert placement.start == text.index(quote_after)


def test_an_anchor_on_a_repeated_quote_keeps_the_occurrence_nearest_its_old_place():
    old, new = _edit("<p>Yes. No. Yes. No.</p>", "<p>Yes. No. Maybe. Yes. No.</p>")
    paragraph_id = int(paragraphs_of(old)[0].id)
    placement = _after(new, paragraph_id, "Yes.", 9)
    assert placement.state == AnchorState.ON_PARAGRAPH
    assert (placement.start, placement.end) == (16, 20)


def test_an_anchor_on_an_earlier_version_comes_back_when_its_quote_does():
    _, new = _edit(ORIGINAL, f"<p>{SECOND}</p><p>{THIRD} Biting and cold.</p>")
    placement = reanchor(
        ChapterParagraphs.of(new),
        paragraph_id=1,
        current_paragraph_id=None,
        quote="Biting and cold.",
        start=0,
    )
    assert placement.state == AnchorState.MOVED
    assert placement.paragraph_id == _ids(new)[f"{THIRD} Biting and cold."]


# --- Placing an anchor when a reader comments -------------------------------------------------


@pytest.fixture
def chapter(db):
    work = make_work(make_user("placer"), text=ORIGINAL)
    return work.chapters.get()


def _first_id(chapter) -> int:
    return int(paragraphs_of(chapter.text)[0].id)


def test_a_passage_at_its_offsets_is_placed(chapter):
    start = FIRST.index("mid November")
    anchor = place_anchor(chapter, Anchor(_first_id(chapter), "mid  November", start, start + 12))
    assert anchor == Anchor(_first_id(chapter), "mid November", start, start + 12)


def test_a_quote_without_offsets_is_found_in_its_paragraph(chapter):
    anchor = place_anchor(chapter, Anchor(_first_id(chapter), "biting and cold"))
    assert (anchor.start, anchor.end) == (FIRST.index("biting"), FIRST.index("biting") + 15)


def test_a_whole_paragraph_remembers_how_it_began(chapter):
    anchor = place_anchor(chapter, Anchor(_first_id(chapter)))
    assert anchor.start is None and anchor.end is None
    assert anchor.quote == FIRST


def _refusal(chapter, anchor: Anchor) -> str:
    with pytest.raises(ValidationError) as refused:
        place_anchor(chapter, anchor)
    assert refused.value.code == "anchor"
    return refused.value.messages[0]


def test_a_paragraph_id_that_never_existed_is_refused(chapter):
    assert "not in this chapter" in _refusal(chapter, Anchor(999))
    assert "not in this chapter" in _refusal(chapter, Anchor(0))


def test_a_paragraph_lost_in_an_edit_since_the_page_loaded_is_refused(chapter):
    lost = _first_id(chapter)
    chapter = edit_chapter(
        chapter=chapter,
        editor=chapter.work.creatorships.get().pseud.user,
        content=ChapterContent(text=f"<p>Something new entirely here.</p><p>{SECOND}</p>"),
    )
    assert "changed since you opened" in _refusal(chapter, Anchor(lost))


def test_a_quote_not_at_its_offsets_is_refused(chapter):
    assert "not at that place" in _refusal(chapter, Anchor(_first_id(chapter), "biting", 0, 6))
    assert "not at that place" in _refusal(chapter, Anchor(_first_id(chapter), "The", 0, 999))
    assert "incomplete" in _refusal(chapter, Anchor(_first_id(chapter), "The", 0, None))


def test_a_quote_from_another_paragraph_is_refused(chapter):
    assert "not in this paragraph" in _refusal(chapter, Anchor(_first_id(chapter), "Be careful"))


def test_a_quote_too_long_is_refused(chapter):
    quote = "x" * (QUOTE_MAX + 1)
    assert "at most" in _refusal(chapter, Anchor(_first_id(chapter), quote))


def test_no_anchor_is_placed_on_a_work_with_inline_comments_off(chapter):
    work = chapter.work
    work.inline_comments = False
    work.save(update_fields=["inline_comments"])
    assert "turned inline comments off" in _refusal(chapter, Anchor(_first_id(chapter)))
