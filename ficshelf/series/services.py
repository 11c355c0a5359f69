"""Writes of the series app: making, editing and deleting a series, putting works in it, taking
them out and putting them in order.

Each checks that its caller may act: refusals of who (not a creator) are PermissionDenied,
refusals of what (a title too long, a work already in the series, a stale order) are a
ValidationError with the message to show. A work page shows the series it is part of and its
neighbours there, and guests' work pages are cached by the work's content version: every change
to a series' title, works or order moves on the versions of the works it touches
(`works.versions.bump_works`), in the same transaction.

Positions are kept dense (1..n) in every write here, and by `receivers.part_deleted` when a
work is deleted (the cascade takes its parts away).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from ficshelf.accounts.models import Pseud
from ficshelf.userstuff import TextRefused, notes_to_html
from ficshelf.works import limits, reading, versions
from ficshelf.works.models import Work

from .models import Series, SeriesCreatorship, SeriesPart
from .signals import work_added

NOT_SERIES_CREATOR = "Only the series' creators can change it."
NOT_WORK_CREATOR = "You can only put your own works in a series."
NOT_YOUR_PSEUD = "Please choose one of your own pseuds."
NO_TITLE = "Please give the series a title."
TITLE_TOO_LONG = f"A series title can be at most {limits.TITLE_MAX:,} characters."
SUMMARY_TOO_LONG = f"A series summary can be at most {limits.SUMMARY_MAX:,} characters."
NOTES_TOO_LONG = f"Series notes can be at most {limits.NOTES_MAX:,} characters."
ALREADY_IN = "“{work}” is already part of “{series}”."
NOT_IN = "That work is not part of this series."
ORDER_MISMATCH = (
    "The works of the series changed since you opened this page (a work was added or taken "
    "out): nothing was reordered. Please look at the list again and save the order anew."
)


# --- Checks -----------------------------------------------------------------------------------


def is_series_creator(user, series: Series) -> bool:
    return Series.objects.editable_by(user).filter(pk=series.pk).exists()


def _require_series_creator(series: Series, user) -> None:
    if not is_series_creator(user, series):
        raise PermissionDenied(NOT_SERIES_CREATOR)


def _require_work_creator(work: Work, user) -> None:
    if not Work.objects.editable_by(user).filter(pk=work.pk).exists():
        raise PermissionDenied(NOT_WORK_CREATOR)


def _locked(series: Series) -> Series:
    """The series' row, locked until the transaction ends: writes to one series' parts go one
    at a time, so positions stay dense."""
    found = Series.objects.select_for_update().filter(pk=series.pk).first()
    if found is None:
        raise ValidationError("There is no such series.", code="gone")
    return found


def _pseud_of(creator, user=None) -> Pseud:
    """`creator` may be a pseud or an account (its default pseud)."""
    if isinstance(creator, Pseud):
        if user is not None and creator.user_id != user.pk:
            raise ValidationError({"pseud": [NOT_YOUR_PSEUD]})
        return creator
    if not reading.is_reader(creator):
        raise PermissionDenied("Log in to make a series.")
    return creator.default_pseud


def _html(text: str, field_name: str, limit: int, too_long: str) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise ValidationError({field_name: [too_long]})
    try:
        return notes_to_html(text) if text else ""
    except TextRefused as refusal:
        raise ValidationError({field_name: [str(refusal)]}) from None


def _clean_fields(title: str, summary: str, notes: str) -> tuple[str, str, str]:
    """The title, summary and notes as saved; every error at once."""
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [NO_TITLE]
    elif len(title) > limits.TITLE_MAX:
        errors["title"] = [TITLE_TOO_LONG]
    cleaned = {}
    for name, text, limit, too_long in (
        ("summary", summary, limits.SUMMARY_MAX, SUMMARY_TOO_LONG),
        ("notes", notes, limits.NOTES_MAX, NOTES_TOO_LONG),
    ):
        try:
            cleaned[name] = _html(text, name, limit, too_long)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return title, cleaned["summary"], cleaned["notes"]


def _work_ids(series_id: int) -> list[int]:
    return list(SeriesPart.objects.filter(series_id=series_id).values_list("work_id", flat=True))


def renumber(series_id: int) -> None:
    """Positions 1..n in the present order (a gap left by a deleted work closes)."""
    parts = SeriesPart.objects.filter(series_id=series_id).order_by("position", "pk")
    for number, (pk, position) in enumerate(parts.values_list("pk", "position"), start=1):
        if position != number:
            SeriesPart.objects.filter(pk=pk).update(position=number)


# --- Series ------------------------------------------------------------------------------------


@transaction.atomic
def create_series(
    *,
    creator,
    title: str,
    summary: str = "",
    notes: str = "",
    is_complete: bool = False,
    user=None,
) -> Series:
    """A new series by `creator` (a pseud, or an account's default pseud), with no works yet.
    `user`, when given, is the account making it: the pseud must be theirs."""
    pseud = _pseud_of(creator, user)
    title, summary, notes = _clean_fields(title, summary, notes)
    series = Series.objects.create(
        title=title, summary=summary, notes=notes, is_complete=bool(is_complete)
    )
    SeriesCreatorship.objects.create(series=series, pseud=pseud)
    return series


@transaction.atomic
def edit_series(
    *, series: Series, user, title: str, summary: str, notes: str, is_complete: bool
) -> Series:
    _require_series_creator(series, user)
    series = _locked(series)
    title, summary, notes = _clean_fields(title, summary, notes)
    renamed = title != series.title
    series.title, series.summary, series.notes = title, summary, notes
    series.is_complete = bool(is_complete)
    series.save()
    if renamed:
        # Its works' pages name it ("Part 2 of …").
        versions.bump_works(_work_ids(series.pk))
    return series


@transaction.atomic
def delete_series(*, series: Series, user) -> None:
    """Delete the series (its works stay, out of it)."""
    _require_series_creator(series, user)
    series = _locked(series)
    versions.bump_works(_work_ids(series.pk))
    series.delete()


# --- Its works -------------------------------------------------------------------------------


@transaction.atomic
def add_work_to_series(*, series: Series, work: Work, user) -> SeriesPart:
    """Put `work` at the end of `series`. `user` must be a creator of both. A posted work's
    addition is told to the series' subscribers (a draft's, when it is posted)."""
    _require_series_creator(series, user)
    _require_work_creator(work, user)
    series = _locked(series)
    if SeriesPart.objects.filter(series=series, work=work).exists():
        raise ValidationError(
            ALREADY_IN.format(work=work.title, series=series.title), code="already_in"
        )
    last = series.parts.aggregate(last=Max("position"))["last"] or 0
    try:
        with transaction.atomic():
            part = SeriesPart.objects.create(series=series, work=work, position=last + 1)
    except IntegrityError:  # the same work added a moment ago, in another tab
        raise ValidationError(
            ALREADY_IN.format(work=work.title, series=series.title), code="already_in"
        ) from None
    # The new work's page shows the series; the last one's gains a "Next work".
    versions.bump_works(_work_ids(series.pk))
    if Work.objects.filter(pk=work.pk, posted=True).exists():
        work_added.send(sender=Series, series_id=series.pk, work_id=work.pk)
    return part


@transaction.atomic
def start_series_with(*, work: Work, user, title: str, pseud=None, **fields) -> Series:
    """A new series whose first part is `work` ("New series" on the work page)."""
    _require_work_creator(work, user)
    series = create_series(creator=pseud or user, title=title, user=user, **fields)
    add_work_to_series(series=series, work=work, user=user)
    return series


@transaction.atomic
def remove_work_from_series(*, series: Series, work: Work, user) -> None:
    """Take `work` out of `series`; the parts after it move up. A creator of the series, or of
    the work, may."""
    if not is_series_creator(user, series):
        _require_work_creator(work, user)
    series = _locked(series)
    part = SeriesPart.objects.filter(series=series, work=work).first()
    if part is None:
        raise ValidationError(NOT_IN, code="not_in")
    affected = _work_ids(series.pk)
    part.delete()
    renumber(series.pk)
    versions.bump_works(affected)


@transaction.atomic
def reorder_series(*, series: Series, user, work_ids: list[int]) -> None:
    """Put the series' works in the order of `work_ids`, which must name each of them exactly
    once; positions become 1..n."""
    _require_series_creator(series, user)
    series = _locked(series)
    try:
        wanted = [int(work_id) for work_id in work_ids]
    except (TypeError, ValueError):
        raise ValidationError(ORDER_MISMATCH, code="mismatch") from None
    parts = {part.work_id: part for part in series.parts.all()}
    if len(wanted) != len(set(wanted)) or set(wanted) != set(parts):
        raise ValidationError(ORDER_MISMATCH, code="mismatch")
    moved = []
    for number, work_id in enumerate(wanted, start=1):
        part = parts[work_id]
        if part.position != number:
            part.position = number
            moved.append(part)
    if not moved:
        return
    SeriesPart.objects.bulk_update(moved, ["position"])
    # Every neighbour may have changed: all the series' works' pages.
    versions.bump_works(list(parts))
