"""Works' background work. Tasks take ids and read the rows afresh; they are enqueued with
`transaction.on_commit` (works.filtertags)."""

from datetime import datetime

from django.db import transaction
from django_tasks import task

from . import filtertags, scheduling, versions
from .models import Work

BATCH = 500


@task()
def refresh_wrangled_works(tag_ids: list[int]) -> int:
    """Recompute the filter tags of the works found under these tags after a wrangling change,
    in batches of one transaction each; returns how many works changed. Each batch moves the
    page-cache versions of the works it changed, so tag pages show the new filtering at once."""
    work_ids = list(filtertags.works_under(tag_ids).order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(work_ids), BATCH):
        with transaction.atomic():
            # Locked as the posting services lock them, so an edit and this never interleave.
            batch = list(
                Work.objects.select_for_update()
                .filter(pk__in=work_ids[start : start + BATCH])
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            moved = filtertags.refresh_filter_tags(batch)
            if moved:
                versions.bump_works(moved)
            changed += len(moved)
    return changed


# --- Scheduled release (works.scheduling) ---------------------------------------------------
# Enqueued with run_after at the release time, with the time the release was set for: a task
# whose release was changed, cancelled, posted by hand or deleted finds nothing to do. Each one
# also posts whatever else is overdue, so a worker that was down, or a lost task, posts as
# soon as any release task runs (and `manage.py post_due_chapters` does the same from cron).


@task()
def post_scheduled_chapter(chapter_id: int, scheduled_for: str) -> int:
    """Post the chapter if it is still scheduled for that time; returns how many releases
    were posted (its own and any overdue ones)."""
    when = datetime.fromisoformat(scheduled_for)
    posted = scheduling.post_scheduled_chapter(chapter_id=chapter_id, scheduled_for=when)
    return (posted is not None) + scheduling.post_due()


@task()
def post_scheduled_work(work_id: int, scheduled_for: str) -> int:
    """Post the draft work if it is still scheduled for that time; as above."""
    when = datetime.fromisoformat(scheduled_for)
    posted = scheduling.post_scheduled_work(work_id=work_id, scheduled_for=when)
    return (posted is not None) + scheduling.post_due()
