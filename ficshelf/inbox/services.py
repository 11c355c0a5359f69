"""Writes of the inbox app: subscribing, an account's inbox (read, unread, delete, reply), and
its email choices and feed secret. Each checks that its caller may act; refusals are a
ValidationError with the message to show. Nothing here changes a page a guest sees, so no
work's version moves."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from ficshelf.feedback.models import CommentStatus
from ficshelf.feedback.services.comments import post_comment
from ficshelf.series.models import Series
from ficshelf.works import reading
from ficshelf.works.models import Work
from ficshelf.works.reading import Way

from .models import (
    COMMENT_KINDS,
    DEFAULT_DELIVERY,
    Delivery,
    InboxItem,
    InboxSettings,
    Subscription,
    SubscriptionKind,
    Topic,
    new_feed_token,
)

LOG_IN = "Log in to subscribe."
NO_SUCH_WORK = "There is no such work."
OWN_WORK = "You can't subscribe to your own work."
ONESELF = "You can't subscribe to yourself."
NO_SUCH_ACCOUNT = "There is no such account."
NO_SUCH_SERIES = "There is no such series."
OWN_SERIES = "You can't subscribe to your own series."


def _require_account(user) -> None:
    if not reading.is_reader(user):
        raise ValidationError(LOG_IN, code="guest")


# --- Subscriptions -----------------------------------------------------------------------------


def may_subscribe_to_work(user, work: Work) -> str:
    """Why `user` may not subscribe to `work`, or "" when they may (reads the work's
    prefetched creatorships)."""
    if not reading.is_reader(user):
        return LOG_IN
    if not reading.may(user, work, Way.NOTIFY):
        return NO_SUCH_WORK
    if reading.is_creator(user, work):
        return OWN_WORK
    return ""


def subscribe_to_work(*, user, work: Work) -> Subscription:
    """`user` hears of `work`'s new chapters (again: nothing changes). Refused for a draft, a
    work they may not read, and their own work."""
    _require_account(user)
    with transaction.atomic():
        # The work's fresh state under its lock: one made a draft a moment ago is refused.
        work = Work.objects.select_for_update().filter(pk=work.pk).first()
        if work is None:
            raise ValidationError(NO_SUCH_WORK, code="unreadable")
        refusal = may_subscribe_to_work(user, work)
        if refusal:
            raise ValidationError(refusal, code="refused")
        return _subscribe(user, kind=SubscriptionKind.WORK, work=work)


def subscribe_to_creator(*, user, creator) -> Subscription:
    """`user` hears of `creator`'s new works and chapters (again: nothing changes)."""
    _require_account(user)
    if creator is None or not creator.is_active:
        raise ValidationError(NO_SUCH_ACCOUNT, code="no_account")
    if creator.pk == user.pk:
        raise ValidationError(ONESELF, code="oneself")
    with transaction.atomic():
        return _subscribe(user, kind=SubscriptionKind.CREATOR, creator=creator)


def may_subscribe_to_series(user, series: Series) -> str:
    """Why `user` may not subscribe to `series`, or "" when they may: a series none of whose
    works they may hear of is no series to them."""
    if not reading.is_reader(user):
        return LOG_IN
    if not Series.objects.visible_to(user, Way.NOTIFY).filter(pk=series.pk).exists():
        return NO_SUCH_SERIES
    if series.is_creator(user):
        return OWN_SERIES
    return ""


def subscribe_to_series(*, user, series: Series) -> Subscription:
    """`user` hears of works added to `series` and of its works' new chapters (again:
    nothing changes). Refused for a series they may not see and their own."""
    _require_account(user)
    with transaction.atomic():
        series = Series.objects.select_for_update().filter(pk=series.pk).first()
        if series is None:
            raise ValidationError(NO_SUCH_SERIES, code="unreadable")
        refusal = may_subscribe_to_series(user, series)
        if refusal:
            raise ValidationError(refusal, code="refused")
        return _subscribe(user, kind=SubscriptionKind.SERIES, series=series)


def _subscribe(user, **target) -> Subscription:
    lookup = {k: v for k, v in target.items() if k != "kind"}
    existing = Subscription.objects.filter(subscriber=user, **lookup).first()
    if existing is not None:
        return existing
    try:
        # A savepoint: a second tab's subscription, made a moment ago, is the same one.
        with transaction.atomic():
            return Subscription.objects.create(subscriber=user, **target)
    except IntegrityError:
        return Subscription.objects.get(subscriber=user, **lookup)


def unsubscribe(
    *, user, subscription_id: int | None = None, work=None, creator=None, series=None
) -> bool:
    """End one of `user`'s subscriptions (by id, or by its work, creator or series); whether
    there was one. Nobody can end another account's."""
    _require_account(user)
    mine = Subscription.objects.filter(subscriber=user)
    if subscription_id is not None:
        mine = mine.filter(pk=subscription_id)
    elif work is not None:
        mine = mine.filter(work=work)
    elif creator is not None:
        mine = mine.filter(creator=creator)
    elif series is not None:
        mine = mine.filter(series=series)
    else:
        return False
    with transaction.atomic():
        deleted, _ = mine.delete()
    return bool(deleted)


# --- The inbox ---------------------------------------------------------------------------------


def _own_items(user, item_ids):
    if not reading.is_reader(user):
        raise PermissionDenied("Log in to see your inbox.")
    return InboxItem.objects.filter(recipient=user, pk__in=list(item_ids))


def mark_items(*, user, item_ids, read: bool) -> int:
    """Mark some of `user`'s items read or unread; how many changed."""
    with transaction.atomic():
        return _own_items(user, item_ids).exclude(read=read).update(read=read)


def mark_all_read(*, user) -> int:
    if not reading.is_reader(user):
        raise PermissionDenied("Log in to see your inbox.")
    with transaction.atomic():
        return InboxItem.objects.filter(recipient=user, read=False).update(read=True)


def delete_items(*, user, item_ids) -> int:
    with transaction.atomic():
        deleted, _ = _own_items(user, item_ids).delete()
    return deleted


def reply_from_inbox(*, user, item: InboxItem, text: str):
    """Reply to the comment an item of `user`'s is about, through feedback's own rules (a
    frozen thread, a block, a closed work refuse it: PermissionDenied or ValidationError with
    the reason). Marks the item read."""
    if item.recipient_id != getattr(user, "pk", None) or item.kind not in COMMENT_KINDS:
        raise PermissionDenied("You can only reply to comments in your own inbox.")
    comment = item.comment
    if comment is None or comment.status != CommentStatus.PUBLISHED:
        raise ValidationError("That comment takes no replies now.", code="closed")
    with transaction.atomic():
        reply = post_comment(
            work=comment.work, chapter=comment.chapter, commenter=user, parent=comment, text=text
        )
        InboxItem.objects.filter(pk=item.pk).update(read=True)
    return reply


# --- Choices and the feed ---------------------------------------------------------------------


def settings_of(user) -> InboxSettings:
    """The account's inbox settings, made with the defaults the first time."""
    found = InboxSettings.objects.filter(user=user).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return InboxSettings.objects.create(user=user)
    except IntegrityError:
        return InboxSettings.objects.get(user=user)


def deliveries_of(user_ids) -> dict[int, InboxSettings | None]:
    """Each account's settings (None: the defaults), in one query."""
    found = {s.user_id: s for s in InboxSettings.objects.filter(user_id__in=list(user_ids))}
    return {user_id: found.get(user_id) for user_id in user_ids}


def delivery_for(found: InboxSettings | None, topic: str) -> str:
    return found.delivery(topic) if found is not None else DEFAULT_DELIVERY[topic]


def set_email_choices(*, user, choices: dict[str, str]) -> InboxSettings:
    """Save how each topic reaches `user` (topics left out keep their choice)."""
    if not reading.is_reader(user):
        raise PermissionDenied("Log in to change your email choices.")
    fields = []
    with transaction.atomic():
        found = settings_of(user)
        found = InboxSettings.objects.select_for_update().get(pk=found.pk)
        for topic, delivery in choices.items():
            if topic not in Topic.values or delivery not in Delivery.values:
                raise ValidationError({topic: ["Please choose how this reaches you."]})
            setattr(found, topic, delivery)
            fields.append(topic)
        if fields:
            found.save(update_fields=fields)
    return found


def stop_emails(*, user_id: int, topic: str) -> bool:
    """An unsubscribe link's work: no more email about `topic` (no login: the link's signed
    token is the proof). Whether the account is there."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or topic not in Topic.values:
        return False
    with transaction.atomic():
        found = InboxSettings.objects.select_for_update().get(pk=settings_of(user).pk)
        if found.delivery(topic) != Delivery.NEVER:
            setattr(found, topic, Delivery.NEVER)
            found.save(update_fields=[topic])
    return True


def reset_feed_token(*, user) -> InboxSettings:
    """A new secret address for the private feed: the old one stops working."""
    if not reading.is_reader(user):
        raise PermissionDenied("Log in to change your feed.")
    with transaction.atomic():
        found = InboxSettings.objects.select_for_update().get(pk=settings_of(user).pk)
        found.feed_token = new_feed_token()
        found.save(update_fields=["feed_token"])
    return found
