"""Scheduled release: a draft chapter of a posted work, or a draft work, set to post itself at
a time its creator chose, in their own time zone.

Until then it is a draft (the reading policy shows it to its creators only). At its time a task
posts it through `services.post_chapter` / `services.post_work`, so it is posted exactly as by
the "Post" button: the `chapters_posted` signal, the page-cache and listings versions, the
counts. The task carries the time it was scheduled for and does nothing when the row no longer
says so: a chapter rescheduled, unscheduled, posted by hand or deleted leaves its old task with
nothing to do, so only the latest schedule posts. Editing a scheduled draft keeps its schedule.

A task that never ran (a worker down at that minute, a lost task) is covered twice: every
release task also posts whatever else is overdue, and `manage.py post_due_chapters` (safe to
run from cron) does the same.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from . import services
from .models import Chapter, Work
from .signals import chapters_posted

logger = logging.getLogger(__name__)

# How far ahead a release may be set.
MAX_AHEAD = timedelta(days=365)
# A task that runs this much before its time (clocks a little apart) still posts.
EARLY_TOLERANCE = timedelta(minutes=1)
# Every zone name the server knows (a browser may report an old one, such as Asia/Calcutta);
# the form lists the usual ones (`LISTED_TIME_ZONES`).
TIME_ZONES = frozenset(available_timezones()) - {"localtime", "Factory", "posixrules"}
LISTED_TIME_ZONES = sorted(
    name
    for name in TIME_ZONES
    if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
) + ["UTC"]


@dataclass(frozen=True)
class Schedule:
    """When to post: a UTC time, and the creator's time zone it was chosen in."""

    post_at: datetime
    time_zone: str


def check_time_zone(name: str) -> ZoneInfo:
    if name not in TIME_ZONES:
        raise ValidationError({"time_zone": ["Please choose a time zone from the list."]})
    return ZoneInfo(name)


def check_post_at(post_at: datetime, *, time_zone: str, now: datetime | None = None) -> datetime:
    """The time to post at, in UTC and to the minute. ValidationError (on "post_at") when it
    has passed or is more than a year ahead; the message speaks in the creator's time zone."""
    zone = check_time_zone(time_zone)
    now = now or timezone.now()
    post_at = post_at.astimezone(UTC).replace(second=0, microsecond=0)
    if post_at <= now:
        local_now = now.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        raise ValidationError(
            {
                "post_at": [
                    f"That time has passed (it is now {local_now} in {time_zone}). "
                    "Please choose a time in the future."
                ]
            }
        )
    if post_at > now + MAX_AHEAD:
        raise ValidationError(
            {
                "post_at": [
                    "You can schedule a post at most a year ahead. Please choose an earlier time."
                ]
            }
        )
    return post_at


def _require_creator(work: Work, editor) -> None:
    if not Work.objects.editable_by(editor).filter(pk=work.pk).exists():
        raise PermissionDenied("Only the work's creators can schedule it.")


def _enqueue(kind: str, pk: int, post_at: datetime) -> None:
    """After commit, queue the task that posts `kind` `pk` at `post_at`."""
    # tasks.py imports this module, so it is imported here.
    from . import tasks

    task = {"chapter": tasks.post_scheduled_chapter, "work": tasks.post_scheduled_work}[kind]

    def enqueue() -> None:
        if not task.get_backend().supports_defer:
            # The immediate backend (tests, some development set-ups) cannot wait: the release
            # is posted by the next release task or post_due_chapters instead.
            logger.info("The task backend cannot defer: %s %s waits for post_due", kind, pk)
            return
        task.using(run_after=post_at).enqueue(pk, post_at.isoformat())

    # robust: a queue that is down never undoes the schedule; the overdue sweep covers it.
    transaction.on_commit(enqueue, robust=True)


# --- Setting and changing a schedule --------------------------------------------------------


@transaction.atomic
def schedule_chapter(
    *, chapter: Chapter, editor, post_at: datetime, time_zone: str, now: datetime | None = None
) -> Chapter:
    """Set a draft chapter of a posted work to post at `post_at` (replacing any earlier time).
    `time_zone` is the creator's, kept to show the time back to them."""
    _require_creator(chapter.work, editor)
    post_at = check_post_at(post_at, time_zone=time_zone, now=now)
    work = Work.objects.select_for_update().get(pk=chapter.work_id)
    chapter = Chapter.objects.select_for_update().get(pk=chapter.pk, work=work)
    if chapter.posted:
        raise ValidationError("This chapter is already posted.")
    if not work.posted:
        raise ValidationError(
            "The chapters of a draft work are posted with the work: schedule the work instead."
        )
    chapter.scheduled_for = post_at
    chapter.scheduled_time_zone = time_zone
    chapter.save(update_fields=["scheduled_for", "scheduled_time_zone"])
    _enqueue("chapter", chapter.pk, post_at)
    chapter.work = work
    return chapter


@transaction.atomic
def schedule_work(
    *, work: Work, editor, post_at: datetime, time_zone: str, now: datetime | None = None
) -> Work:
    """Set a draft work to post, with all its chapters, at `post_at`."""
    _require_creator(work, editor)
    post_at = check_post_at(post_at, time_zone=time_zone, now=now)
    work = Work.objects.select_for_update().get(pk=work.pk)
    if work.posted:
        raise ValidationError("This work is already posted: schedule its next chapter instead.")
    work.scheduled_for = post_at
    work.scheduled_time_zone = time_zone
    work.save(update_fields=["scheduled_for", "scheduled_time_zone"])
    _enqueue("work", work.pk, post_at)
    return work


@transaction.atomic
def unschedule_chapter(*, chapter: Chapter, editor) -> Chapter:
    """Cancel a chapter's schedule: it stays a draft. Its queued task will find nothing to do."""
    _require_creator(chapter.work, editor)
    Work.objects.select_for_update().get(pk=chapter.work_id)
    chapter = Chapter.objects.select_for_update().get(pk=chapter.pk)
    chapter.scheduled_for = None
    chapter.scheduled_time_zone = ""
    chapter.save(update_fields=["scheduled_for", "scheduled_time_zone"])
    return chapter


@transaction.atomic
def unschedule_work(*, work: Work, editor) -> Work:
    """Cancel a work's schedule: it stays a draft."""
    _require_creator(work, editor)
    work = Work.objects.select_for_update().get(pk=work.pk)
    work.scheduled_for = None
    work.scheduled_time_zone = ""
    work.save(update_fields=["scheduled_for", "scheduled_time_zone"])
    return work


@receiver(chapters_posted, dispatch_uid="works.scheduling.posted")
def _posted(sender, *, work_id, chapter_ids, new_work, **kwargs):
    # Posted by its schedule or by hand before its time: nothing is scheduled any more, and
    # the old task, finding no schedule, does nothing.
    Chapter.objects.filter(pk__in=chapter_ids).exclude(scheduled_for=None).update(
        scheduled_for=None, scheduled_time_zone=""
    )
    if new_work:
        Work.objects.filter(pk=work_id).exclude(scheduled_for=None).update(
            scheduled_for=None, scheduled_time_zone=""
        )


# --- Posting at the scheduled time ----------------------------------------------------------


def _poster(work: Work):
    """The account the release is posted as: its first credited creator (the one who
    scheduled it may have left the work since)."""
    creatorship = work.creatorships.select_related("pseud__user").first()
    return creatorship.pseud.user if creatorship else None


def _due(scheduled_for: datetime, now: datetime | None) -> bool:
    return scheduled_for <= (now or timezone.now()) + EARLY_TOLERANCE


@transaction.atomic
def post_scheduled_chapter(
    *, chapter_id: int, scheduled_for: datetime, now: datetime | None = None
) -> Chapter | None:
    """Post the chapter if it is still scheduled for `scheduled_for` and that time has come;
    returns it, or None when there is nothing to do (gone, posted, rescheduled, cancelled)."""
    work_id = Chapter.objects.filter(pk=chapter_id).values_list("work_id", flat=True).first()
    if work_id is None:
        return None
    # Locked in the services' order: the work, then the chapter.
    work = Work.objects.select_for_update().filter(pk=work_id).first()
    chapter = Chapter.objects.select_for_update().filter(pk=chapter_id, work_id=work_id).first()
    if work is None or chapter is None or chapter.posted or not work.posted:
        return None
    if chapter.scheduled_for != scheduled_for or not _due(scheduled_for, now):
        return None
    poster = _poster(work)
    if poster is None:
        return None
    chapter.work = work
    return services.post_chapter(chapter=chapter, editor=poster)


@transaction.atomic
def post_scheduled_work(
    *, work_id: int, scheduled_for: datetime, now: datetime | None = None
) -> Work | None:
    """Post the draft work, with its chapters, if it is still scheduled for `scheduled_for` and
    that time has come; returns it, or None when there is nothing to do."""
    work = Work.objects.select_for_update().filter(pk=work_id).first()
    if work is None or work.posted:
        return None
    if work.scheduled_for != scheduled_for or not _due(scheduled_for, now):
        return None
    poster = _poster(work)
    if poster is None:
        return None
    return services.post_work(work=work, editor=poster)


def post_due(*, now: datetime | None = None) -> int:
    """Post every work and chapter whose time has come, each in its own transaction (one
    failing leaves the others posted); returns how many were posted. Safe to run at any time
    and more than once."""
    now = now or timezone.now()
    posted = 0
    works = Work.objects.filter(posted=False, scheduled_for__lte=now)
    for pk, when in works.order_by("scheduled_for", "pk").values_list("pk", "scheduled_for"):
        try:
            posted += post_scheduled_work(work_id=pk, scheduled_for=when, now=now) is not None
        except Exception:
            logger.exception("Could not post scheduled work %s", pk)
    chapters = Chapter.objects.filter(posted=False, scheduled_for__lte=now)
    for pk, when in chapters.order_by("scheduled_for", "pk").values_list("pk", "scheduled_for"):
        try:
            posted += post_scheduled_chapter(chapter_id=pk, scheduled_for=when, now=now) is not None
        except Exception:
            logger.exception("Could not post scheduled chapter %s", pk)
    return posted


# --- The queue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Release:
    """One scheduled release on a creator's queue: a work, or one chapter of it."""

    work: Work
    chapter: Chapter | None
    scheduled_for: datetime
    time_zone: str


def scheduled_releases(user) -> list[Release]:
    """What `user`'s works have scheduled, soonest first (co-created works included)."""
    own = Work.objects.editable_by(user)
    works = own.filter(posted=False, scheduled_for__isnull=False)
    chapters = Chapter.objects.filter(
        work__in=own, posted=False, scheduled_for__isnull=False
    ).select_related("work")
    releases = [Release(w, None, w.scheduled_for, w.scheduled_time_zone) for w in works]
    releases += [Release(c.work, c, c.scheduled_for, c.scheduled_time_zone) for c in chapters]
    return sorted(releases, key=lambda release: (release.scheduled_for, release.work.pk))
