"""Where logged-in readers' last reading positions fall in each chapter (shelf.Reading).

Only readers who were logged in, keep a history and did not delete this work from it have a
position; a position without a paragraph (their browser sent none: no JavaScript, or they
left at the chapter's top) counts for the chapter only. The work's creators are left out. A
"last position" is where a reader was when they last left the work, not a verdict that they
stopped there for good. Only counts and medians leave this module.
"""

from collections import defaultdict
from dataclasses import dataclass
from statistics import median_low

from ficshelf.shelf.models import Reading
from ficshelf.works.models import Chapter, Work

_PARAGRAPH_MARK = 'data-p="'


@dataclass
class ChapterPositions:
    chapter: Chapter
    readers: int  # readers whose last position is in this chapter
    with_paragraph: int  # of them, those whose paragraph is known
    paragraphs: int  # paragraphs the chapter has now
    median_paragraph: int | None  # 1-based, of the readers with a paragraph
    median_share: float | None  # how far through the chapter that paragraph is


def last_positions(work: Work, chapters: list[Chapter]) -> list[ChapterPositions]:
    """One row per posted chapter holding at least one reader's last position, in order."""
    if not chapters:
        return []
    creators = work.creatorships.values("pseud__user")
    rows = (
        Reading.objects.filter(work=work, chapter__in=[chapter.pk for chapter in chapters])
        .exclude(user__in=creators)
        .values_list("chapter_id", "paragraph_index")
    )
    readers: dict[int, int] = defaultdict(int)
    places: dict[int, list[int]] = defaultdict(list)
    for chapter_id, index in rows:
        readers[chapter_id] += 1
        if index is not None:
            places[chapter_id].append(index)
    # Each paragraph carries exactly one id: counting them needs no parsing.
    counts = {
        pk: text.count(_PARAGRAPH_MARK)
        for pk, text in Chapter.objects.filter(pk__in=list(places)).values_list("pk", "text")
    }
    shown = []
    for chapter in chapters:
        if not readers.get(chapter.pk):
            continue
        known = places.get(chapter.pk, [])
        paragraphs = counts.get(chapter.pk, 0)
        middle = median_low(known) if known else None
        if middle is not None and paragraphs:
            middle = min(middle, paragraphs - 1)  # the chapter may have shrunk since
        shown.append(
            ChapterPositions(
                chapter=chapter,
                readers=readers[chapter.pk],
                with_paragraph=len(known),
                paragraphs=paragraphs,
                median_paragraph=None if middle is None else middle + 1,
                median_share=(middle + 1) / paragraphs
                if middle is not None and paragraphs
                else None,
            )
        )
    return shown
