"""The inbox's answers to works' and feedback's signals. They are sent inside the writing
transaction: each receiver only enqueues a task once it commits (nothing heavy in the request,
and nothing told of a write that was rolled back). `robust`: a failure to enqueue is logged and
never fails the post."""

from django.db import transaction
from django.utils import timezone

from . import tasks


def chapters_posted(sender, *, work_id: int, chapter_ids, new_work: bool, **kwargs) -> None:
    chapter_ids = list(chapter_ids)
    transaction.on_commit(
        lambda: tasks.fan_out_posting.enqueue(work_id, chapter_ids, bool(new_work)), robust=True
    )


def work_added_to_series(sender, *, series_id: int, work_id: int, **kwargs) -> None:
    transaction.on_commit(
        lambda: tasks.fan_out_series_addition.enqueue(series_id, work_id), robust=True
    )


def comment_posted(sender, *, comment_id: int, work_id: int, **kwargs) -> None:
    transaction.on_commit(lambda: tasks.note_comment.enqueue(comment_id), robust=True)


def comment_approved(sender, *, comment_id: int, work_id: int, **kwargs) -> None:
    transaction.on_commit(
        lambda: tasks.note_comment.enqueue(comment_id, approved=True), robust=True
    )


def kudos_given(sender, *, kudos_id: int, work_id: int, **kwargs) -> None:
    day = timezone.localdate().isoformat()
    transaction.on_commit(lambda: tasks.note_kudos.enqueue(work_id, day), robust=True)
