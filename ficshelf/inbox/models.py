"""Subscriptions, the inbox's items, and each account's choices about email and its feed.

A subscription follows one thing: a work (its new chapters), a creator's account (their new
works and chapters) or a series (works added to it, and its works' new chapters). Each kind has
its own nullable column; a check constraint says exactly the kind's one is set.
An inbox item tells one account of one thing: a comment, a reply, a posting, the day's kudos on
a work, a comment waiting for approval. Items point at the rows they are about, so a deleted
chapter or comment takes its items with it; whether the recipient may still read the work is
asked again each time an item is shown, mailed or fed (works.reading, Way.NOTIFY / Way.FEED).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from ficshelf.feedback.models import Comment
from ficshelf.series.models import Series
from ficshelf.works.models import Chapter, Work


class SubscriptionKind(models.TextChoices):
    WORK = "work", "Work"
    CREATOR = "creator", "Creator"
    SERIES = "series", "Series"


class Subscription(models.Model):
    subscriber = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(max_length=10, choices=SubscriptionKind.choices)
    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscribers",
    )
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=SubscriptionKind.WORK,
                        work__isnull=False,
                        creator__isnull=True,
                        series__isnull=True,
                    )
                    | Q(
                        kind=SubscriptionKind.CREATOR,
                        creator__isnull=False,
                        work__isnull=True,
                        series__isnull=True,
                    )
                    | Q(
                        kind=SubscriptionKind.SERIES,
                        series__isnull=False,
                        work__isnull=True,
                        creator__isnull=True,
                    )
                ),
                name="subscription_has_its_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(subscriber=F("creator")), name="no_subscribing_to_oneself"
            ),
            models.UniqueConstraint(
                fields=["subscriber", "work"],
                condition=Q(work__isnull=False),
                name="one_subscription_per_work",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "creator"],
                condition=Q(creator__isnull=False),
                name="one_subscription_per_creator",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "series"],
                condition=Q(series__isnull=False),
                name="one_subscription_per_series",
            ),
        ]

    def __str__(self) -> str:
        target = self.work_id or self.creator_id or self.series_id
        return f"{self.subscriber_id} follows {self.kind} {target}"


class Topic(models.TextChoices):
    """What an email is about: each account chooses how each reaches them."""

    COMMENTS = "comments", "Comments on your works"
    REPLIES = "replies", "Replies to your comments"
    SUBSCRIPTIONS = "subscriptions", "New chapters and works you subscribed to"
    KUDOS = "kudos", "Kudos on your works"
    MODERATION = "moderation", "Comments waiting for your approval"


class Delivery(models.TextChoices):
    AT_ONCE = "at_once", "At once"
    DAILY = "daily", "In a daily digest"
    NEVER = "never", "Never"


DEFAULT_DELIVERY = {
    Topic.COMMENTS: Delivery.AT_ONCE,
    Topic.REPLIES: Delivery.AT_ONCE,
    Topic.SUBSCRIPTIONS: Delivery.AT_ONCE,
    Topic.KUDOS: Delivery.DAILY,
    Topic.MODERATION: Delivery.AT_ONCE,
}


class ItemKind(models.TextChoices):
    COMMENT = "comment", "Comments"
    REPLY = "reply", "Replies"
    CHAPTER = "chapter", "New chapters"
    WORK = "work", "New works"
    KUDOS = "kudos", "Kudos"
    MODERATION = "moderation", "Awaiting approval"


TOPIC_OF_KIND = {
    ItemKind.COMMENT: Topic.COMMENTS,
    ItemKind.REPLY: Topic.REPLIES,
    ItemKind.CHAPTER: Topic.SUBSCRIPTIONS,
    ItemKind.WORK: Topic.SUBSCRIPTIONS,
    ItemKind.KUDOS: Topic.KUDOS,
    ItemKind.MODERATION: Topic.MODERATION,
}
POSTING_KINDS = (ItemKind.CHAPTER, ItemKind.WORK)
COMMENT_KINDS = (ItemKind.COMMENT, ItemKind.REPLY, ItemKind.MODERATION)


class InboxItem(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_items"
    )
    kind = models.CharField(max_length=12, choices=ItemKind.choices)
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    # A posting's first chapter; a comment's chapter is on the comment.
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Who did it (the commenter, the posting creator); None for a guest or the day's kudos.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Chapters posted at once; people who left kudos that day.
    count = models.PositiveIntegerField(default=1)
    # The day a kudos item gathers.
    day = models.DateField(null=True, blank=True)
    read = models.BooleanField(default=False)
    # When it went out by email (alone or in a digest); None while it waits or if never.
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-updated_at"], name="inbox_newest"),
            # The header's unread count is one COUNT on this partial index.
            models.Index(fields=["recipient"], condition=Q(read=False), name="inbox_unread"),
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(emailed_at__isnull=True),
                name="inbox_not_emailed",
            ),
        ]
        constraints = [
            # A task that runs twice makes no second item.
            models.UniqueConstraint(
                fields=["recipient", "comment", "kind"],
                condition=Q(comment__isnull=False),
                name="one_item_per_comment",
            ),
            models.UniqueConstraint(
                fields=["recipient", "chapter", "kind"],
                condition=Q(kind__in=POSTING_KINDS),
                name="one_item_per_posting",
            ),
            models.UniqueConstraint(
                fields=["recipient", "work", "day"],
                condition=Q(kind=ItemKind.KUDOS),
                name="one_kudos_item_per_work_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} on {self.work_id}"

    @property
    def topic(self) -> str:
        return TOPIC_OF_KIND[self.kind]


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class InboxSettings(models.Model):
    """How each topic reaches an account by email, and the secret of its private feed. Made
    when first needed; an account without one has the defaults (DEFAULT_DELIVERY)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_settings"
    )
    comments = models.CharField(
        max_length=10, choices=Delivery.choices, default=DEFAULT_DELIVERY[Topic.COMMENTS]
    )
    replies = models.CharField(
        max_length=10, choices=Delivery.choices, default=DEFAULT_DELIVERY[Topic.REPLIES]
    )
    subscriptions = models.CharField(
        max_length=10, choices=Delivery.choices, default=DEFAULT_DELIVERY[Topic.SUBSCRIPTIONS]
    )
    kudos = models.CharField(
        max_length=10, choices=Delivery.choices, default=DEFAULT_DELIVERY[Topic.KUDOS]
    )
    moderation = models.CharField(
        max_length=10, choices=Delivery.choices, default=DEFAULT_DELIVERY[Topic.MODERATION]
    )
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)

    class Meta:
        verbose_name_plural = "inbox settings"

    def __str__(self) -> str:
        return f"Inbox settings of {self.user_id}"

    def delivery(self, topic: str) -> str:
        return getattr(self, topic)


class DailyDigest(models.Model):
    """One account's digest for one day: its row says the task is enqueued, `sent_at` that
    it went out, so a digest is neither enqueued nor sent twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_digest_a_day"),
        ]

    def __str__(self) -> str:
        return f"Digest of {self.user_id} for {self.day}"
