"""Writes of bookmarks: making, editing and deleting one, and keeping `Work.bookmarks_count`.

Every function checks that its caller may act. A bookmark of a work locks the work's row
first (as kudos and comments do), so the count of its public bookmarks moves with F() under
that lock and writers never deadlock; when the count moves, so does the work's content
version (`versions.bump_work`, which moves the listings version too): guests' cached work
pages and blurbs show the count.

Refusals are ValidationErrors: bad input keyed by the bookmark form's field names (`pseud`,
`notes`, `tags`), and with a code for the rest: "unreachable" (a draft, or a work or series
the bookmarker may not open), "already" (`AlreadyBookmarked`, which carries the bookmark to
edit instead). Acting on someone else's bookmark is a PermissionDenied.
"""

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.db.models.functions import Greatest

from ficshelf.accounts.models import Pseud
from ficshelf.accounts.suspension import refuse_if_suspended
from ficshelf.feedback.models import COMMENT_MAX
from ficshelf.feedback.services.comments import typed_length
from ficshelf.series.models import Series
from ficshelf.tags.models import Tag, TagKind
from ficshelf.tags.services import TagNameError, check_tag_name, find_or_create_tag
from ficshelf.works import reading
from ficshelf.works.models import Work
from ficshelf.works.reading import Way
from ficshelf.works.versions import bump_work, bump_works

from .models import Bookmark, BookmarkTagging

NOTES_MAX = COMMENT_MAX  # notes are sanitized and limited like comments
TAGS_MAX = 75  # the bookmarker's own tags on one bookmark

NO_WORK = "There is no such work."
NO_SERIES = "There is no such series."
DRAFT = "A draft cannot be bookmarked: wait until it is posted."
ALREADY = "You have already bookmarked this. You can edit your bookmark instead."
NOT_YOURS = "That bookmark is not yours."
NOT_YOUR_PSEUD = "Please choose one of your own pseuds."
LOG_IN = "Log in to bookmark."


class AlreadyBookmarked(ValidationError):
    """A second bookmark of the same work or series; `bookmark` is the one to edit."""

    def __init__(self, bookmark: Bookmark):
        super().__init__({NON_FIELD_ERRORS: [ValidationError(ALREADY, code="already")]})
        self.code = "already"
        self.bookmark = bookmark


# --- Checks ---------------------------------------------------------------------------------


def _require_account(user) -> None:
    if not reading.is_reader(user):
        raise PermissionDenied(LOG_IN)


def _their_pseud(user, pseud) -> Pseud:
    if pseud is None:
        return user.default_pseud
    if isinstance(pseud, Pseud):
        pseud_id = pseud.pk
    else:
        try:
            pseud_id = int(pseud)
        except (TypeError, ValueError):
            pseud_id = None
    found = Pseud.objects.filter(pk=pseud_id, user=user).first() if pseud_id else None
    if found is None:
        raise ValidationError({"pseud": [ValidationError(NOT_YOUR_PSEUD, code="pseud")]})
    return found


def _checked_input(notes: str, tag_names: Iterable[str]) -> tuple[str, list[str]]:
    """The notes and the tag names (normalized, each once, order kept), or a ValidationError
    keyed by the form's fields with every problem found."""
    errors: dict[str, list[str]] = {}
    notes = notes or ""
    length = typed_length(notes)
    if length > NOTES_MAX:
        errors["notes"] = [
            f"Bookmark notes can be at most {NOTES_MAX:,} characters; these are {length:,}."
        ]
    names: dict[str, str] = {}
    problems: list[str] = []
    for name in tag_names or ():
        if not str(name).strip():
            continue
        try:
            checked = check_tag_name(TagKind.FREEFORM, str(name))
        except TagNameError as problem:
            problems.append(str(problem))
            continue
        names.setdefault(checked.casefold(), checked)
    if len(names) > TAGS_MAX:
        problems.append(f"A bookmark can have at most {TAGS_MAX} tags; this has {len(names)}.")
    if problems:
        errors["tags"] = problems
    if errors:
        raise ValidationError(errors)
    return notes, list(names.values())


def _unreachable(message: str) -> ValidationError:
    return ValidationError({NON_FIELD_ERRORS: [ValidationError(message, code="unreachable")]})


def _require_reachable_work(user, work: Work) -> None:
    # Drafts first: the reading policy lets a creator open their own draft.
    if not work.posted:
        if reading.is_creator(user, work):
            raise _unreachable(DRAFT)
        raise _unreachable(NO_WORK)
    if not reading.may(user, work, Way.OPEN):
        raise _unreachable(NO_WORK)


def _require_reachable_series(user, series: Series) -> None:
    if not Series.objects.visible_to(user, Way.OPEN).filter(pk=series.pk).exists():
        raise _unreachable(NO_SERIES)


# --- Tags and counts ------------------------------------------------------------------------


def _tag_for(name: str) -> Tag:
    """The tag of this name of any kind (a bookmarker typing "Sherlock Holmes" means the
    character), else a new additional (freeform) tag."""
    return Tag.objects.named(name) or find_or_create_tag(kind=TagKind.FREEFORM, name=name)


def _set_tags(bookmark: Bookmark, names: list[str]) -> None:
    wanted: dict[int, Tag] = {}
    for name in names:
        try:
            tag = _tag_for(name)
        except TagNameError as problem:
            raise ValidationError({"tags": [str(problem)]}) from None
        wanted.setdefault(tag.pk, tag)
    bookmark.taggings.exclude(tag__in=list(wanted)).delete()
    have = set(bookmark.taggings.values_list("tag_id", flat=True))
    BookmarkTagging.objects.bulk_create(
        [
            BookmarkTagging(bookmark=bookmark, tag=tag)
            for pk, tag in wanted.items()
            if pk not in have
        ]
    )


def _move_count(work_id: int, delta: int) -> None:
    """Move the work's public bookmark count (its row locked by the caller) and the versions
    of the pages that show it."""
    Work.objects.filter(pk=work_id).update(
        bookmarks_count=Greatest(F("bookmarks_count") + delta, 0)
    )
    bump_work(work_id)


def _locked_work(work_id: int) -> Work:
    return Work.objects.select_for_update().get(pk=work_id)


# --- Making, editing, deleting --------------------------------------------------------------


def bookmark_work(
    *,
    user,
    work: Work,
    pseud=None,
    notes: str = "",
    tag_names: Iterable[str] = (),
    private: bool = False,
    rec: bool = False,
) -> Bookmark:
    """`user` bookmarks `work` under `pseud` (their default pseud when None)."""
    _require_account(user)
    refuse_if_suspended(user)
    pseud = _their_pseud(user, pseud)
    notes, names = _checked_input(notes, tag_names)
    with transaction.atomic():
        # Fresh values under the lock: a work made a draft or restricted a moment ago counts.
        try:
            locked = _locked_work(work.pk)
        except Work.DoesNotExist:
            raise _unreachable(NO_WORK) from None
        _require_reachable_work(user, locked)
        bookmark = _create(
            user=user, pseud=pseud, target={"work": locked}, notes=notes, private=private, rec=rec
        )
        _set_tags(bookmark, names)
        if not bookmark.private:
            _move_count(locked.pk, +1)
    return bookmark


def bookmark_series(
    *,
    user,
    series: Series,
    pseud=None,
    notes: str = "",
    tag_names: Iterable[str] = (),
    private: bool = False,
    rec: bool = False,
) -> Bookmark:
    """`user` bookmarks `series` (which they must be able to open: at least one of its works)."""
    _require_account(user)
    refuse_if_suspended(user)
    pseud = _their_pseud(user, pseud)
    notes, names = _checked_input(notes, tag_names)
    with transaction.atomic():
        try:
            locked = Series.objects.select_for_update().get(pk=series.pk)
        except Series.DoesNotExist:
            raise _unreachable(NO_SERIES) from None
        _require_reachable_series(user, locked)
        bookmark = _create(
            user=user, pseud=pseud, target={"series": locked}, notes=notes, private=private, rec=rec
        )
        _set_tags(bookmark, names)
    return bookmark


def _create(*, user, pseud: Pseud, target: dict, notes: str, private, rec) -> Bookmark:
    existing = Bookmark.objects.filter(user=user, **target).first()
    if existing is not None:
        raise AlreadyBookmarked(existing)
    try:
        # A savepoint: the unique constraints still catch a row the check above could not see.
        with transaction.atomic():
            return Bookmark.objects.create(
                user=user, pseud=pseud, notes=notes, private=bool(private), rec=bool(rec), **target
            )
    except IntegrityError:
        raise AlreadyBookmarked(Bookmark.objects.get(user=user, **target)) from None


def _owned(user, bookmark: Bookmark) -> None:
    _require_account(user)
    if bookmark.user_id != user.pk:
        raise PermissionDenied(NOT_YOURS)


def edit_bookmark(
    *,
    user,
    bookmark: Bookmark,
    pseud=None,
    notes: str | None = None,
    tag_names: Iterable[str] | None = None,
    private: bool | None = None,
    rec: bool | None = None,
) -> Bookmark:
    """The owner changes their bookmark; what is None stays as it is. Going private takes the
    bookmark out of the work's count, going public puts it back."""
    _owned(user, bookmark)
    refuse_if_suspended(user)
    new_pseud = _their_pseud(user, pseud) if pseud is not None else None
    checked_notes, names = _checked_input(
        bookmark.notes if notes is None else notes, () if tag_names is None else tag_names
    )
    with transaction.atomic():
        if bookmark.work_id:
            _locked_work(bookmark.work_id)
        fresh = Bookmark.objects.select_for_update().filter(pk=bookmark.pk).first()
        if fresh is None:
            raise _unreachable("That bookmark is gone.")
        was_private = fresh.private
        changed = []
        if new_pseud is not None and new_pseud.pk != fresh.pseud_id:
            fresh.pseud = new_pseud
            changed.append("pseud")
        if notes is not None:
            fresh.notes = checked_notes
            changed.append("notes")
        if private is not None:
            fresh.private = bool(private)
            changed.append("private")
        if rec is not None:
            fresh.rec = bool(rec)
            changed.append("rec")
        fresh.save(update_fields=[*changed, "updated_at"])
        if tag_names is not None:
            _set_tags(fresh, names)
        if fresh.work_id and was_private != fresh.private:
            _move_count(fresh.work_id, -1 if fresh.private else +1)
    return fresh


def delete_bookmark(*, user, bookmark: Bookmark) -> None:
    """The owner deletes their bookmark (of any work, even one now out of their reach)."""
    _owned(user, bookmark)
    forget_bookmark(bookmark)


def forget_bookmark(bookmark: Bookmark) -> None:
    """Delete a bookmark and take it out of its work's count, whoever asks (the admin too)."""
    with transaction.atomic():
        if bookmark.work_id:
            _locked_work(bookmark.work_id)
        fresh = Bookmark.objects.filter(pk=bookmark.pk).first()
        if fresh is None:
            return
        fresh.delete()
        if fresh.work_id and not fresh.private:
            _move_count(fresh.work_id, -1)


def forget_bookmarks_of_pseud(pseud: Pseud) -> None:
    """Before a pseud (or the account that has it) is deleted, which deletes its bookmarks by
    cascade: take its public bookmarks out of their works' counts, one update per work."""
    rows = (
        Bookmark.objects.filter(pseud=pseud, work__isnull=False, private=False)
        .order_by("work")
        .values("work")
        .annotate(n=Count("pk"))
    )
    counts = {row["work"]: row["n"] for row in rows}
    if not counts:
        return
    # In id order, as every writer locks works, so two deletions never deadlock.
    for work_id in sorted(counts):
        Work.objects.filter(pk=work_id).update(
            bookmarks_count=Greatest(F("bookmarks_count") - counts[work_id], 0)
        )
    bump_works(sorted(counts))


def recount_bookmarks(work_ids: Iterable[int]) -> None:
    """Set the works' counts from their public bookmarks (a repair for the admin)."""
    ids = sorted(set(work_ids))
    with transaction.atomic():
        list(Work.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
        counts = dict(
            Bookmark.objects.filter(work__in=ids, private=False)
            .order_by()
            .values_list("work")
            .annotate(n=Count("pk"))
        )
        for work_id in ids:
            Work.objects.filter(pk=work_id).update(bookmarks_count=counts.get(work_id, 0))
        if ids:
            bump_works(ids)
