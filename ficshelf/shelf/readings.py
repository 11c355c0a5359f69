"""A reader's history, their Mark for later list, and where they stopped reading (issue 11).

Each (reader, work) has one `Reading` row: its history entry (when, how often, which chapter),
its mark for later, and the paragraph they last had on screen.

- Opening a reading page records a view (`record_reading`): a chapter's page moves the reader to
  that chapter (at its top, until their browser says which paragraph); the work's first page and
  the entire work only set the chapter when none is known yet, so that opening the work to press
  "Continue reading" does not lose the place.
- The browser sends the paragraph on screen when the reader leaves (`save_position`).
- Paused history records nothing at all, neither views nor positions: pausing is a choice not to
  leave a trace. What was kept before the pause stays (and "Continue reading" still offers it);
  Mark for later, being asked for one work at a time, works while history is paused.
- Deleting a history entry forgets the view and the position but keeps a mark for later.
- A creator's visits to their own work are recorded like anyone's (they may want to continue
  too); the author's statistics leave them out.

After an edit a stored paragraph may be gone: `resume_point` then picks the paragraph that now
stands at its place (or the chapter's last), and a deleted chapter's readers are moved to the
chapter that took its place (or the one before) by `move_off_deleted_chapter`.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    F,
    IntegerField,
    PositiveIntegerField,
    Value,
    When,
)
from django.utils import timezone

from ficshelf.userstuff.paragraphs import PARAGRAPH_ID, paragraphs_of
from ficshelf.works import reading
from ficshelf.works.models import Chapter, Work
from ficshelf.works.reading import Way

from .models import Reading, ShelfSettings

UNREADABLE = "There is no such work."
WRONG_CHAPTER = "That chapter is not part of this work."
NO_PARAGRAPH = "That paragraph is not in this chapter."


# --- Settings -------------------------------------------------------------------------------


def history_paused(user) -> bool:
    return bool(
        ShelfSettings.objects.filter(user=user).values_list("history_paused", flat=True).first()
    )


def pause_history(*, user) -> None:
    ShelfSettings.objects.update_or_create(user=user, defaults={"history_paused": True})


def resume_history(*, user) -> None:
    ShelfSettings.objects.update_or_create(user=user, defaults={"history_paused": False})


# --- Views and positions ----------------------------------------------------------------------


def _upsert(user, work, *, update: dict, create: dict) -> None:
    """One UPDATE when the row exists (the usual case); else an INSERT, and the UPDATE again
    if another request inserted it meanwhile."""
    rows = Reading.objects.filter(user=user, work=work)
    if rows.update(**update):
        return
    try:
        with transaction.atomic():
            Reading.objects.create(user=user, work=work, **create)
    except IntegrityError:
        rows.update(**update)


def record_reading(
    *, user, work, chapter=None, moves: bool = True, paused: bool | None = None
) -> None:
    """A logged-in reader was shown `work` (the caller's reading policy let them in).

    `chapter` is the chapter shown; `moves` says whether the page moves the reader there (a
    chapter's own page), rather than setting the chapter only when none is known (the work's
    first page, the entire work). Moving to another chapter forgets the paragraph: the reader
    is at its top until their browser tells where they are. Nothing when history is paused
    (`paused`, when the caller has read it already)."""
    if not reading.is_reader(user):
        return
    if history_paused(user) if paused is None else paused:
        return
    now = timezone.now()
    update = {
        "views": F("views") + 1,
        "viewed_at": now,
        "in_history": True,
        "first_viewed_at": Case(
            When(first_viewed_at__isnull=True, then=Value(now)),
            default=F("first_viewed_at"),
            output_field=DateTimeField(),
        ),
    }
    if chapter is not None:
        if moves:
            same = When(chapter_id=chapter.pk, then=F("paragraph"))
            update["paragraph"] = Case(same, default=Value(""), output_field=CharField())
            same_index = When(chapter_id=chapter.pk, then=F("paragraph_index"))
            update["paragraph_index"] = Case(
                same_index, default=Value(None), output_field=PositiveIntegerField()
            )
            update["chapter_id"] = chapter.pk
        else:
            update["chapter_id"] = Case(
                When(chapter_id__isnull=True, then=Value(chapter.pk)),
                default=F("chapter_id"),
                output_field=IntegerField(),
            )
    create = {"views": 1, "viewed_at": now, "first_viewed_at": now, "in_history": True}
    if chapter is not None:
        create["chapter_id"] = chapter.pk
    _upsert(user, work, update=update, create=create)


def paragraph_index_in(chapter: Chapter, paragraph_id: str) -> int | None:
    """The 0-based place of paragraph `paragraph_id` in the chapter's text, or None."""
    for paragraph in paragraphs_of(chapter.text):
        if paragraph.id and paragraph.id == paragraph_id:
            return paragraph.position
    return None


def save_position(*, user, work: Work, chapter_id, paragraph_id) -> bool:
    """Keep the paragraph the reader had on screen in `chapter_id` of `work`.

    The caller checked that the reader may open the work. A ValidationError for a chapter the
    reader may not read or that is not the work's, or a paragraph id the chapter's text does not
    hold. Returns False (nothing kept) when history is paused."""
    if not reading.is_reader(user):
        raise ValidationError(UNREADABLE)
    try:
        chapter_id = int(chapter_id)
    except (TypeError, ValueError):
        raise ValidationError(WRONG_CHAPTER) from None
    chapter = reading.readable_chapters(user, work, Way.OPEN).filter(pk=chapter_id).first()
    if chapter is None:
        raise ValidationError(WRONG_CHAPTER)
    paragraph_id = str(paragraph_id or "").strip()
    if not PARAGRAPH_ID.match(paragraph_id):
        raise ValidationError(NO_PARAGRAPH)
    index = paragraph_index_in(chapter, paragraph_id)
    if index is None:
        raise ValidationError(NO_PARAGRAPH)
    if history_paused(user):
        return False
    now = timezone.now()
    position = {
        "chapter_id": chapter.pk,
        "paragraph": paragraph_id,
        "paragraph_index": index,
        "position_at": now,
    }
    create = {**position, "views": 1, "viewed_at": now, "first_viewed_at": now}
    _upsert(user, work, update=position, create=create)
    return True


# --- Mark for later ---------------------------------------------------------------------------


def mark_for_later(*, user, work: Work) -> None:
    if not reading.may(user, work, Way.OPEN):
        raise ValidationError(UNREADABLE)
    now = timezone.now()
    _upsert(
        user,
        work,
        update={"marked_for_later": True, "marked_at": now},
        # Marking is not reading: the work is on the list, not in the history.
        create={"marked_for_later": True, "marked_at": now, "in_history": False},
    )


@transaction.atomic
def unmark_for_later(*, user, work: Work) -> None:
    rows = Reading.objects.filter(user=user, work=work)
    rows.filter(in_history=False).delete()
    rows.update(marked_for_later=False, marked_at=None)


# --- Forgetting -------------------------------------------------------------------------------

# What a history entry holds: forgotten with it, while a mark for later stays.
_FORGOTTEN = {
    "in_history": False,
    "chapter": None,
    "paragraph": "",
    "paragraph_index": None,
    "position_at": None,
    "first_viewed_at": None,
    "viewed_at": None,
    "views": 0,
}


@transaction.atomic
def delete_history_entry(*, user, work_id: int) -> None:
    """Forget that the reader read this work and where they stopped; keep its mark for later."""
    rows = Reading.objects.filter(user=user, work_id=work_id)
    rows.filter(marked_for_later=False).delete()
    rows.update(**_FORGOTTEN)


@transaction.atomic
def clear_history(*, user) -> None:
    rows = Reading.objects.filter(user=user)
    rows.filter(marked_for_later=False).delete()
    rows.update(**_FORGOTTEN)


# --- Continuing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResumePoint:
    chapter_id: int
    chapter_position: int
    paragraph_id: str  # "" for the chapter's top
    exact: bool  # False when the stored paragraph or chapter is gone and a neighbour stands in


def resume_point(entry: Reading, chapters: list) -> ResumePoint | None:
    """Where `entry`'s reader continues, among `chapters` (those they may read, in order, with
    `id` and `position`): the stored paragraph; if an edit removed it, the paragraph now at its
    place (or the chapter's last); without a paragraph, the chapter's top; a chapter they can no
    longer read gives way to the nearest one by position. None when nothing is known."""
    if entry.chapter_id is None or not chapters:
        return None
    by_id = {chapter.pk: chapter for chapter in chapters}
    chapter = by_id.get(entry.chapter_id)
    if chapter is None:  # a draft again: the nearest chapter still readable
        stored = Chapter.objects.filter(pk=entry.chapter_id).values_list("position", flat=True)
        position = stored.first() or 1
        # On a tie the chapter after: the story goes on there.
        chapter = min(chapters, key=lambda c: (abs(c.position - position), c.position < position))
        return ResumePoint(chapter.pk, chapter.position, "", exact=False)
    if not entry.paragraph:
        return ResumePoint(chapter.pk, chapter.position, "", exact=True)
    # Cheap when the paragraph is still there: the database answers without sending the text.
    marker = f'data-p="{entry.paragraph}"'
    if Chapter.objects.filter(pk=chapter.pk, text__contains=marker).exists():
        return ResumePoint(chapter.pk, chapter.position, entry.paragraph, exact=True)
    text = Chapter.objects.filter(pk=chapter.pk).values_list("text", flat=True).first() or ""
    numbered = [p for p in paragraphs_of(text) if p.id]
    if not numbered:
        return ResumePoint(chapter.pk, chapter.position, "", exact=False)
    index = min(entry.paragraph_index or 0, len(numbered) - 1)
    return ResumePoint(chapter.pk, chapter.position, numbered[index].id, exact=False)


def move_off_deleted_chapter(sender, instance: Chapter, **kwargs) -> None:
    """Before a chapter is deleted, its readers move to the chapter that takes its place (the
    next one), or the one before, at its top: the paragraph they had is gone with it."""
    readings = Reading.objects.filter(chapter_id=instance.pk)
    if not readings.exists():
        return
    siblings = Chapter.objects.filter(work_id=instance.work_id).exclude(pk=instance.pk)
    nearest = (
        siblings.filter(position__gt=instance.position).order_by("position").first()
        or siblings.filter(position__lt=instance.position).order_by("-position").first()
    )
    readings.update(chapter=nearest, paragraph="", paragraph_index=None, position_at=timezone.now())
