"""The inbox's background work. Tasks take ids (and days as ISO dates), read the rows afresh and
tolerate them gone; the receivers enqueue them with `transaction.on_commit`.

Email that fails to go out (the mail server is down) is logged and tried again later: django-tasks
retries nothing by itself, so a failed task enqueues itself again with `run_after`, at most
MAX_ATTEMPTS times in all. What made the item (a post, a comment) never fails for it.
"""

import datetime as dt
import logging

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import emails, notices
from .models import DailyDigest, Delivery, InboxItem
from .services import deliveries_of, delivery_for

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# After the first, second… failure.
RETRY_DELAYS = [dt.timedelta(minutes=m) for m in (5, 30, 120, 480)]


@task()
def fan_out_posting(work_id: int, chapter_ids: list[int], new_work: bool = False) -> int:
    """Tell the subscribers of a work, of its creators and of its series of chapters just
    posted."""
    return notices.fan_out_posting(work_id, chapter_ids, new_work)


@task()
def fan_out_series_addition(series_id: int, work_id: int) -> int:
    """Tell the subscribers of a series of a posted work just added to it."""
    return notices.fan_out_series_addition(series_id, work_id)


@task()
def note_comment(comment_id: int, approved: bool = False) -> int:
    return notices.note_comment(comment_id, approved=approved)


@task()
def note_kudos(work_id: int, day: str) -> int:
    return notices.note_kudos(work_id, day)


def _retry(task_, args: list, attempt: int) -> bool:
    """Enqueue `task_` again later with `args`; whether it will be tried again."""
    if attempt + 1 >= MAX_ATTEMPTS:
        logger.error("Giving up on %s%r after %d attempts", task_.name, args, attempt + 1)
        return False
    if not task_.get_backend().supports_defer:
        logger.error("Cannot retry %s%r later: the task backend cannot defer", task_.name, args)
        return False
    later = timezone.now() + RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)]
    task_.using(run_after=later).enqueue(*args, attempt=attempt + 1)
    return True


def _send(messages_and_ids: list[tuple], retry) -> int:
    """Send each message and mark its items emailed; on a failure, `retry(unsent item ids)`.
    Returns how many went out."""
    sent = 0
    try:
        with get_connection() as connection:
            for message, item_ids in messages_and_ids:
                connection.send_messages([message])
                InboxItem.objects.filter(pk__in=item_ids).update(emailed_at=timezone.now())
                sent += 1
    except Exception:
        logger.exception("Could not send inbox email; will try again later")
        unsent = [pk for _, item_ids in messages_and_ids[sent:] for pk in item_ids]
        retry(unsent)
    return sent


@task()
def send_item_emails(item_ids: list[int], attempt: int = 0) -> int:
    """Email each item on its own, to recipients who want this topic at once, if it may still
    be told (the reading policy decides now). Returns how many emails went out."""
    items = [item for item in emails.items_for_telling(item_ids) if item.emailed_at is None]
    chosen = deliveries_of({item.recipient_id for item in items})
    silenced = emails.silenced_pairs(items)
    outgoing = [
        (emails.item_email(item), [item.pk])
        for item in items
        if delivery_for(chosen[item.recipient_id], item.topic) == Delivery.AT_ONCE
        and emails.deliverable(item, silenced)
    ]
    return _send(outgoing, lambda unsent: _retry(send_item_emails, [unsent], attempt))


@task()
def send_digest(user_id: int, day: str, attempt: int = 0) -> int:
    """One account's daily digest: the items of `day` and before not emailed yet, of topics
    they want daily, that may still be told. Returns 1 when it went out."""
    digest = DailyDigest.objects.filter(user_id=user_id, day=day).first()
    if digest is None or digest.sent_at is not None:
        return 0
    day_ = dt.date.fromisoformat(day)
    waiting = InboxItem.objects.filter(
        recipient_id=user_id,
        emailed_at__isnull=True,
        created_at__lt=notices.digest_time(day_),
    ).values_list("pk", flat=True)
    chosen = deliveries_of([user_id])[user_id]
    candidates = list(emails.items_for_telling(waiting))
    silenced = emails.silenced_pairs(candidates)
    items = [
        item
        for item in candidates
        if delivery_for(chosen, item.topic) == Delivery.DAILY and emails.deliverable(item, silenced)
    ]
    sent = 0
    if items:
        message = emails.digest_email(items[0].recipient, items, day_)
        sent = _send(
            [(message, [item.pk for item in items])],
            lambda unsent: _retry(send_digest, [user_id, day], attempt),
        )
        if not sent:
            return 0
    with transaction.atomic():
        DailyDigest.objects.filter(pk=digest.pk, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
    return sent
