"""Where an inline comment sits: a paragraph id (data-p), the quoted passage and its offsets,
placed against a chapter's text when made and moved again whenever the chapter is edited."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from ficshelf.userstuff.paragraphs import paragraphs_of

QUOTE_MAX = 1_000


@dataclass(frozen=True)
class Anchor:
    """What a reader's inline comment points at, as their browser (or the no-JS form) sent it:
    `start`/`end` are character offsets of `quote` in the paragraph's text, None for the
    whole paragraph."""

    paragraph_id: int
    quote: str = ""
    start: int | None = None
    end: int | None = None


def place_anchor(chapter, anchor: Anchor) -> Anchor:
    """The anchor checked against the chapter's current text, or a ValidationError (code
    "anchor") for a paragraph the chapter does not have, a quote that is not in it, or
    offsets outside it."""
    by_id = {str(p.id): p for p in paragraphs_of(chapter.text)}
    paragraph = by_id.get(str(anchor.paragraph_id))
    if paragraph is None:
        raise ValidationError("That paragraph is not in this chapter.", code="anchor")
    return anchor
