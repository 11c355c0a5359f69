"""Who hears of what: inbox items made from a comment, the day's kudos and a posting, and the
emails they lead to. Run by tasks (inbox.tasks), never inside the request that did the thing.

Nobody hears of their own doing, nor of someone they muted or blocked; a recipient is told of a
work only if the reading policy lets them reach it by `Way.NOTIFY` now. Each function may run
twice: the items' unique constraints make the second run add nothing.
"""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ficshelf.feedback.models import Block, Comment, CommentStatus, Kudos, Mute
from ficshelf.works import reading
from ficshelf.works.models import Chapter, Work
from ficshelf.works.reading import Way

from .models import TOPIC_OF_KIND, DailyDigest, Delivery, InboxItem, ItemKind, Subscription
from .services import deliveries_of, delivery_for

# Rows per INSERT and recipients per round of a fan-out; items per email task.
BATCH = 500
EMAILS_PER_TASK = 100


def _work(work_id: int) -> Work | None:
    return Work.objects.filter(pk=work_id).prefetch_related("creatorships__pseud").first()


def _creator_ids(work: Work) -> list[int]:
    return list(dict.fromkeys(c.pseud.user_id for c in work.creatorships.all()))


def silenced_by(recipient_ids: Iterable[int], actor_ids: Iterable[int]) -> set[int]:
    """Those of `recipient_ids` who muted or blocked any of `actor_ids`."""
    recipients, actors = list(recipient_ids), list(actor_ids)
    if not recipients or not actors:
        return set()
    muted = Mute.objects.filter(muter_id__in=recipients, muted_id__in=actors)
    blocked = Block.objects.filter(blocker_id__in=recipients, blocked_id__in=actors)
    return set(muted.values_list("muter_id", flat=True)) | set(
        blocked.values_list("blocker_id", flat=True)
    )


def _readers(user_ids: Iterable[int], work: Work, chapter=None) -> list[int]:
    """The active accounts among `user_ids` the reading policy lets hear of `work`."""
    accounts = get_user_model().objects.filter(pk__in=list(user_ids), is_active=True).only("pk")
    return [a.pk for a in accounts if reading.may(a, work, Way.NOTIFY, chapter=chapter)]


# --- Routing: email at once, in the day's digest, or never ------------------------------------


def route(items: list[tuple[int, int, str]]) -> None:
    """Send on (item id, recipient id, kind) as each recipient chose for the kind's topic:
    email tasks for "at once" in batches, a digest for "daily". After the current
    transaction commits, if there is one."""
    if not items:
        return
    from .tasks import send_item_emails

    found = deliveries_of({recipient for _, recipient, _ in items})
    at_once, daily = [], set()
    for item_id, recipient, kind in items:
        delivery = delivery_for(found[recipient], TOPIC_OF_KIND[kind])
        if delivery == Delivery.AT_ONCE:
            at_once.append(item_id)
        elif delivery == Delivery.DAILY:
            daily.add(recipient)
    for start in range(0, len(at_once), EMAILS_PER_TASK):
        batch = at_once[start : start + EMAILS_PER_TASK]
        transaction.on_commit(lambda batch=batch: send_item_emails.enqueue(batch), robust=True)
    if daily:
        schedule_digests(daily, timezone.localdate())


def digest_time(day: dt.date) -> dt.datetime:
    """When the digest of `day` goes out: as that day ends, in the archive's time zone."""
    start = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    return timezone.make_aware(start)


def schedule_digests(user_ids: Iterable[int], day: dt.date) -> int:
    """Enqueue one digest task per account for `day` unless it is enqueued already; how many.

    The task runs as the day ends (`run_after`), which needs a backend that can defer (the
    database one); a backend that cannot (immediate) gets none, and the items wait in the inbox.
    """
    from .tasks import send_digest

    user_ids = set(user_ids)
    known = set(
        DailyDigest.objects.filter(day=day, user_id__in=user_ids).values_list("user_id", flat=True)
    )
    new = sorted(user_ids - known)
    if not new:
        return 0
    DailyDigest.objects.bulk_create(
        [DailyDigest(user_id=user_id, day=day) for user_id in new], ignore_conflicts=True
    )
    if not send_digest.get_backend().supports_defer:
        return 0
    deferred = send_digest.using(run_after=digest_time(day))
    for user_id in new:
        transaction.on_commit(
            lambda user_id=user_id: deferred.enqueue(user_id, day.isoformat()), robust=True
        )
    return len(new)


def _make_items(items: list[InboxItem], lookup: Q) -> list[tuple[int, int, str]]:
    """Insert the items (those there already stay as they are) and return what to route: the
    matching items not emailed yet."""
    InboxItem.objects.bulk_create(items, batch_size=BATCH, ignore_conflicts=True)
    made = InboxItem.objects.filter(lookup, emailed_at__isnull=True)
    return list(made.values_list("pk", "recipient_id", "kind"))


# --- Comments ---------------------------------------------------------------------------------


def note_comment(comment_id: int, *, approved: bool = False) -> int:
    """Items for a new comment: its work's creators (a comment, or one to approve), the
    commenter replied to (a reply). After an approval, only the one replied to: the creators
    were asked already. Returns how many items there are to route."""
    comment = Comment.objects.select_related("parent").filter(pk=comment_id).first()
    if comment is None:
        return 0
    work = _work(comment.work_id)
    if work is None:
        return 0
    creators = _creator_ids(work)
    wanted: dict[int, str] = {}
    if comment.status == CommentStatus.AWAITING and not approved:
        wanted = dict.fromkeys(creators, ItemKind.MODERATION)
    elif comment.status == CommentStatus.PUBLISHED:
        if not approved:
            wanted = dict.fromkeys(creators, ItemKind.COMMENT)
        if comment.parent is not None and comment.parent.user_id is not None:
            wanted[comment.parent.user_id] = ItemKind.REPLY
    wanted.pop(comment.user_id, None)
    if comment.user_id is not None:
        for silent in silenced_by(wanted, [comment.user_id]):
            wanted.pop(silent, None)
    readers = _readers(wanted, work, chapter=comment.chapter)
    items = [
        InboxItem(
            recipient_id=recipient,
            kind=wanted[recipient],
            work_id=work.pk,
            comment_id=comment.pk,
            actor_id=comment.user_id,
        )
        for recipient in readers
    ]
    made = _make_items(items, Q(comment_id=comment.pk, recipient_id__in=readers))
    route(made)
    return len(made)


# --- Kudos --------------------------------------------------------------------------------------


def _people(kudos) -> int:
    accounts = kudos.filter(user__isnull=False).values("user_id").distinct().count()
    guests = kudos.filter(user__isnull=True).values("guest_key").distinct().count()
    return accounts + guests


def note_kudos(work_id: int, day: str) -> int:
    """The day's kudos item of each creator of the work: "N people left kudos on X", N counted
    afresh from the kudos (so a second run changes nothing), leaving out people the creator
    muted. A grown count makes the item unread again, and due for email again."""
    day = dt.date.fromisoformat(day)
    work = _work(work_id)
    if work is None:
        return 0
    today = Kudos.objects.filter(work_id=work_id, created_at__date=day)
    to_route = []
    for creator in _readers(_creator_ids(work), work):
        silenced = Mute.objects.filter(muter_id=creator).values("muted_id")
        people = _people(today.exclude(user_id__in=silenced))
        if not people:
            continue
        with transaction.atomic():
            item, created = InboxItem.objects.select_for_update().get_or_create(
                recipient_id=creator,
                kind=ItemKind.KUDOS,
                work_id=work_id,
                day=day,
                defaults={"count": people},
            )
            if not created and item.count != people:
                item.count, item.read, item.emailed_at = people, False, None
                item.save(update_fields=["count", "read", "emailed_at", "updated_at"])
            elif not created:
                continue
            to_route.append((item.pk, creator, ItemKind.KUDOS))
    route(to_route)
    return len(to_route)


# --- Postings -----------------------------------------------------------------------------------


def fan_out_posting(work_id: int, chapter_ids: list[int], new_work: bool) -> int:
    """Items for everyone subscribed to the work, to one of its creators or to one of its
    series, in batches of BATCH (one INSERT each), and their emails in tasks of
    EMAILS_PER_TASK. Chapters deleted or made drafts since the posting are left out; with none
    left, nobody hears. Returns how many items there are to route."""
    work = _work(work_id)
    if work is None:
        return 0
    chapters = list(
        Chapter.objects.filter(pk__in=chapter_ids, work_id=work_id, posted=True)
        .order_by("position")
        .only("pk", "posted", "work_id")
    )
    if not chapters:
        return 0
    creators = _creator_ids(work)
    # A series' subscribers hear of its works' postings too; one item each, whatever they
    # follow (the work, a creator, one or more of its series).
    follows = Q(work_id=work_id) | Q(creator_id__in=creators) | Q(series__parts__work_id=work_id)
    subscribers = set(Subscription.objects.filter(follows).values_list("subscriber_id", flat=True))
    kind = ItemKind.WORK if new_work else ItemKind.CHAPTER
    return _fan_out(work, chapters, subscribers, kind)


def fan_out_series_addition(series_id: int, work_id: int) -> int:
    """Items for the subscribers of a series to which a posted work was just added (a "new
    work" item: one who heard of the work already, by another subscription, hears nothing
    more). Returns how many items there are to route."""
    work = _work(work_id)
    if work is None or not work.posted:
        return 0
    if not Work.objects.filter(pk=work_id, series_parts__series_id=series_id).exists():
        return 0  # taken out of the series since
    chapters = list(
        Chapter.objects.filter(work_id=work_id, posted=True)
        .order_by("position")
        .only("pk", "posted", "work_id")[:1]
    )
    if not chapters:
        return 0
    subscribers = set(
        Subscription.objects.filter(series_id=series_id).values_list("subscriber_id", flat=True)
    )
    return _fan_out(work, chapters, subscribers, ItemKind.WORK)


def _fan_out(work: Work, chapters: list, subscribers: set[int], kind: str) -> int:
    """Items of `kind` about `chapters` (the first names the item) for those of `subscribers`
    who may hear of it: never the work's creators, nor who muted or blocked them."""
    first = chapters[0]
    work_id = work.pk
    creators = _creator_ids(work)
    subscribers = set(subscribers) - set(creators)
    subscribers -= silenced_by(subscribers, creators)
    routed = 0
    ordered = sorted(subscribers)
    for start in range(0, len(ordered), BATCH):
        readers = _readers(ordered[start : start + BATCH], work, chapter=first)
        items = [
            InboxItem(
                recipient_id=reader,
                kind=kind,
                work_id=work_id,
                chapter_id=first.pk,
                actor_id=creators[0] if creators else None,
                count=len(chapters),
            )
            for reader in readers
        ]
        made = _make_items(items, Q(kind=kind, chapter_id=first.pk, recipient_id__in=readers))
        route(made)
        routed += len(made)
    return routed
