"""Where an inline comment sits: a paragraph id (data-p), the quoted passage and its offsets,
placed against a chapter's text when made and moved again whenever the chapter is edited.

Offsets count characters of the paragraph's visible text with its white space collapsed
(`userstuff.paragraphs.paragraphs_of`), the same measure static/js/inline-comments.js takes of
a reader's selection. A comment on a whole paragraph has no offsets; its quote is how the
paragraph began, so that it can follow the paragraph if the paragraph loses its id.

After an edit an anchor stays on its paragraph when the paragraph's id survived, moves with its
quote to the paragraph where the quote is now, and is otherwise "on an earlier version": it is
never shown on text it was not about.
"""

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError

from ficshelf.userstuff.paragraphs import QUOTE_MATCH_SHARE, Paragraph, paragraphs_of

from .models import AnchorState

QUOTE_MAX = 1_000
# A whole paragraph's comment remembers this much of how the paragraph began.
BEGINNING_MAX = 120
# Shorter quotes move to another paragraph only on an exact match in a neighbour (a split).
_FUZZY_QUOTE_WORDS = 3
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Anchor:
    """What a reader's inline comment points at, as their browser (or the no-JS form) sent it:
    `start`/`end` are character offsets of `quote` in the paragraph's text, None for the
    whole paragraph."""

    paragraph_id: int
    quote: str = ""
    start: int | None = None
    end: int | None = None

    @property
    def is_passage(self) -> bool:
        return self.start is not None


def collapse(text: str) -> str:
    """White space collapsed as a paragraph's visible text is."""
    return " ".join(text.split())


def _refuse(message: str):
    raise ValidationError(message, code="anchor")


def place_anchor(chapter, anchor: Anchor) -> Anchor:
    """The anchor checked against the chapter's current text: the quote collapsed, offsets
    found for a quote sent without them, a whole paragraph's beginning as its quote.

    A ValidationError (code "anchor") when the work takes no inline comments, for a paragraph
    the chapter does not have (never had, or lost in an edit since the page was loaded), a quote
    over `QUOTE_MAX` characters, a quote that is not in the paragraph, or offsets where the
    paragraph does not read as the quote."""
    if not chapter.work.inline_comments:
        _refuse("The creators of this work have turned inline comments off.")
    paragraph = _paragraph(chapter, anchor.paragraph_id)
    quote = collapse(anchor.quote or "")
    if len(quote) > QUOTE_MAX:
        _refuse(f"A quoted passage can be at most {QUOTE_MAX:,} characters long.")
    text = paragraph.text
    if (anchor.start is None) != (anchor.end is None):
        _refuse("The passage's place in the paragraph is incomplete.")
    if anchor.start is not None:
        start, end = anchor.start, anchor.end
        if not quote or not (0 <= start < end <= len(text)) or text[start:end] != quote:
            _refuse(
                "The quoted passage is not at that place in the paragraph. Please select it again."
            )
        return Anchor(int(paragraph.id), quote, start, end)
    if not quote:
        return Anchor(int(paragraph.id), beginning_of(text))
    start = text.find(quote)
    if start < 0:
        _refuse("The quoted passage is not in this paragraph. Please copy it from the text.")
    return Anchor(int(paragraph.id), quote, start, start + len(quote))


def _paragraph(chapter, paragraph_id) -> Paragraph:
    try:
        wanted = int(paragraph_id)
    except (TypeError, ValueError):
        wanted = 0
    if wanted < 1:
        _refuse("That paragraph is not in this chapter.")
    for paragraph in paragraphs_of(chapter.text):
        if paragraph.id and int(paragraph.id) == wanted:
            return paragraph
    if wanted < (chapter.next_paragraph_id or 1):
        _refuse(
            "That paragraph was changed since you opened the chapter. "
            "Please reload the chapter and choose it again."
        )
    _refuse("That paragraph is not in this chapter.")


def beginning_of(text: str) -> str:
    """How a paragraph begins: at most `BEGINNING_MAX` characters, ending at a word's end."""
    if len(text) <= BEGINNING_MAX:
        return text
    cut = text.rfind(" ", 0, BEGINNING_MAX + 1)
    return text[: cut if cut > 0 else BEGINNING_MAX]


# --- After an edit --------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where an anchor is in the chapter's new text."""

    state: str  # an AnchorState
    paragraph_id: int | None  # its current paragraph (None: on an earlier version)
    start: int | None
    end: int | None


class ChapterParagraphs:
    """A chapter's new paragraphs, read once for all of its anchors."""

    def __init__(self, paragraphs: Sequence[Paragraph]):
        self.paragraphs = [p for p in paragraphs if p.id]
        self.position = {int(p.id): index for index, p in enumerate(self.paragraphs)}
        self._squeezed: list[str] | None = None
        self._words: dict[int, list[str]] = {}

    @classmethod
    def of(cls, html: str) -> "ChapterParagraphs":
        return cls(paragraphs_of(html))

    def by_id(self, paragraph_id: int | None) -> Paragraph | None:
        index = self.position.get(paragraph_id) if paragraph_id is not None else None
        return None if index is None else self.paragraphs[index]

    def neighbours(self, paragraph: Paragraph) -> list[Paragraph]:
        index = self.position[int(paragraph.id)]
        return [self.paragraphs[i] for i in (index - 1, index + 1) if 0 <= i < len(self.paragraphs)]

    def holding(self, quote: str) -> Paragraph | None:
        """The first paragraph holding `quote` exactly, ignoring white space."""
        if self._squeezed is None:
            self._squeezed = ["".join(p.text.split()) for p in self.paragraphs]
        needle = "".join(quote.split())
        if not needle:
            return None
        return next(
            (p for p, text in zip(self.paragraphs, self._squeezed, strict=True) if needle in text),
            None,
        )

    def most_like(self, quote: str) -> Paragraph | None:
        """The paragraph holding the largest share of the quote's words in order, at least
        `QUOTE_MATCH_SHARE` of them (as `userstuff.paragraphs.locate_paragraph` finds one)."""
        words = _words(quote)
        if len(words) < _FUZZY_QUOTE_WORDS:
            return None
        wanted = Counter(words)
        best, best_share = None, QUOTE_MATCH_SHARE
        for index, paragraph in enumerate(self.paragraphs):
            theirs = self._words.get(index)
            if theirs is None:
                theirs = self._words[index] = _words(paragraph.text)
            # Words in common in any order bound the share in order from above, and cost less.
            if sum((wanted & Counter(theirs)).values()) < best_share * len(words):
                continue
            blocks = SequenceMatcher(None, words, theirs, autojunk=False).get_matching_blocks()
            share = sum(block.size for block in blocks) / len(words)
            if share > best_share or (best is None and share >= best_share):
                best, best_share = paragraph, share
        return best


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _nearest(text: str, quote: str, near: int | None) -> int:
    """Where `quote` is in `text`, the occurrence nearest `near`; -1 if it is not there."""
    found = text.find(quote)
    if found < 0 or near is None:
        return found
    best = found
    while (found := text.find(quote, found + 1)) >= 0:
        if abs(found - near) < abs(best - near):
            best = found
        elif found > near:
            break
    return best


def _on(state: str, paragraph: Paragraph, quote: str, *, passage: bool, near: int | None):
    if not passage:
        return Placement(state, int(paragraph.id), None, None)
    start = _nearest(paragraph.text, quote, near)
    if start < 0:  # found ignoring white space only: its paragraph, without offsets
        return Placement(state, int(paragraph.id), None, None)
    return Placement(state, int(paragraph.id), start, start + len(quote))


def reanchor(
    chapter: ChapterParagraphs,
    *,
    paragraph_id: int,
    current_paragraph_id: int | None,
    quote: str,
    start: int | None,
) -> Placement:
    """Where an anchor goes in the chapter's new text (`chapter`).

    - Its paragraph (where it is now) is still there: it stays, with the quote's new offsets
      when the quote moved within it. If a passage's quote left it (the paragraph was split),
      it moves to the neighbour that holds it, or, for a quote of a few words, to any paragraph
      that holds it exactly; else it stays, without offsets (the quote still shows).
    - Its paragraph is gone: it moves to the paragraph holding the quote (exactly, or most of
      its words in order); else it is on an earlier version (and may come back when the quote
      does).
    """
    passage = start is not None
    home = chapter.by_id(current_paragraph_id)
    if home is not None:
        kept = AnchorState.ON_PARAGRAPH if int(home.id) == paragraph_id else AnchorState.MOVED
        if not passage or quote in home.text:
            return _on(kept, home, quote, passage=passage, near=start)
        for neighbour in chapter.neighbours(home):
            if quote in neighbour.text:
                return _on(AnchorState.MOVED, neighbour, quote, passage=True, near=None)
        if len(_words(quote)) >= _FUZZY_QUOTE_WORDS:
            elsewhere = chapter.holding(quote)
            if elsewhere is not None and quote in elsewhere.text:
                return _on(AnchorState.MOVED, elsewhere, quote, passage=True, near=None)
        return Placement(kept, int(home.id), None, None)
    found = (chapter.holding(quote) or chapter.most_like(quote)) if quote else None
    if found is None:
        return Placement(AnchorState.EARLIER_VERSION, None, None, None)
    return _on(AnchorState.MOVED, found, quote, passage=passage, near=None)
