"""Inbox items as email and as feed entries: what may be said about each, to whom, now.

`tell(item)` is the one answer to "may this item be told to its recipient now, and what does
it say": the reading policy at this moment (a chapter made a draft or deleted since the item was
made says nothing), the comment still published, the actor not muted or blocked since. Emails
carry one-click unsubscribe links (signed tokens, RFC 8058) for the item's topic.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from ficshelf.feedback.models import Block, CommentStatus, Mute
from ficshelf.userstuff import html_to_text
from ficshelf.works import reading
from ficshelf.works.reading import Way

from .models import InboxItem, ItemKind, Topic

UNSUBSCRIBE_SALT = "ficshelf.inbox.unsubscribe"
# How much of a comment or a chapter summary an email or an entry quotes.
EXCERPT_MAX = 600


def absolute(path: str) -> str:
    """A link for an email or a feed, which have no request to take the host from."""
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/") + path


# --- Unsubscribe tokens -------------------------------------------------------------------------


def unsubscribe_token(user_id: int, topic: str) -> str:
    return signing.dumps({"u": user_id, "t": topic}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """The (account id, topic) a token was made for, or None for a forged or broken one."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("t") not in Topic.values:
        return None
    if not isinstance(data.get("u"), int):
        return None
    return data["u"], data["t"]


def unsubscribe_url(user_id: int, topic: str) -> str:
    token = unsubscribe_token(user_id, topic)
    return absolute(reverse("inbox:unsubscribe", kwargs={"token": token}))


# --- What an item says ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Telling:
    """What one item says: a line, an excerpt (plain text, maybe empty) and a link."""

    subject: str
    excerpt: str
    url: str


def _excerpt(html: str) -> str:
    text = " ".join(html_to_text(html or "").split())
    return text if len(text) <= EXCERPT_MAX else text[: EXCERPT_MAX - 1].rstrip() + "…"


def silenced_pairs(items) -> set[tuple[int, int]]:
    """The (recipient, actor) pairs among `items` where the recipient muted or blocked the
    actor since: two queries for a batch."""
    recipients = {item.recipient_id for item in items if item.actor_id is not None}
    actors = {item.actor_id for item in items if item.actor_id is not None}
    if not actors:
        return set()
    mutes = Mute.objects.filter(muter_id__in=recipients, muted_id__in=actors)
    blocks = Block.objects.filter(blocker_id__in=recipients, blocked_id__in=actors)
    return set(mutes.values_list("muter_id", "muted_id")) | set(
        blocks.values_list("blocker_id", "blocked_id")
    )


def may_tell(item: InboxItem, viewer, way: Way = Way.NOTIFY) -> bool:
    """Whether `viewer` may be told of `item` by `way` now (reads the item's work with its
    prefetched creatorships, its chapter and its comment)."""
    work = item.work
    chapter = item.chapter
    comment = item.comment
    if comment is not None:
        chapter = comment.chapter
        wanted = CommentStatus.AWAITING if item.kind == ItemKind.MODERATION else None
        if comment.status not in (CommentStatus.PUBLISHED, wanted):
            return False
    if item.kind in (ItemKind.CHAPTER, ItemKind.WORK) and chapter is None:
        return False
    return reading.may(viewer, work, way, chapter=chapter)


def telling(item: InboxItem) -> Telling:
    """The words of an item its recipient may be told of (`may_tell` first)."""
    work, title = item.work, item.work.title
    comment = item.comment
    if item.kind in (ItemKind.COMMENT, ItemKind.REPLY, ItemKind.MODERATION):
        name = comment.commenter_name
        subject = {
            ItemKind.COMMENT: f"{name} commented on {title}",
            ItemKind.REPLY: f"{name} replied to your comment on {title}",
            ItemKind.MODERATION: f"A comment by {name} on {title} awaits your approval",
        }[item.kind]
        url = (
            reverse("feedback:awaiting")
            if item.kind == ItemKind.MODERATION
            else comment.get_absolute_url()
        )
        return Telling(subject, _excerpt(comment.text), url)
    if item.kind == ItemKind.KUDOS:
        people = "1 person" if item.count == 1 else f"{item.count} people"
        return Telling(f"{people} left kudos on {title}", "", work.get_absolute_url())
    chapter = item.chapter
    creators = ", ".join(p.name for p in work.creator_pseuds())
    if item.kind == ItemKind.WORK:
        return Telling(
            f"New work by {creators}: {title}", _excerpt(work.summary), work.get_absolute_url()
        )
    more = f" and {item.count - 1} more" if item.count > 1 else ""
    return Telling(
        f"{title}: {chapter.full_title}{more} is posted",
        _excerpt(chapter.summary),
        chapter.get_absolute_url(),
    )


def items_for_telling(ids):
    """Items with what `may_tell` and `telling` read, for a batch."""
    return (
        InboxItem.objects.filter(pk__in=list(ids))
        .select_related("recipient", "work", "chapter", "comment__chapter", "comment__pseud__user")
        .prefetch_related("work__creatorships__pseud__user")
        .order_by("created_at", "pk")
    )


def deliverable(item: InboxItem, silenced: set[tuple[int, int]]) -> bool:
    """May this item go out by email to its recipient now? (`silenced`: `silenced_pairs`.)"""
    recipient = item.recipient
    if not recipient.is_active or not recipient.email:
        return False
    if (item.recipient_id, item.actor_id) in silenced:
        return False
    return may_tell(item, recipient)


# --- Messages -------------------------------------------------------------------------------------


def _message(recipient, topic: str, subject: str, body: str) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(recipient.pk, topic)
    return EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=body,
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def item_email(item: InboxItem) -> EmailMultiAlternatives:
    told = telling(item)
    context = {
        "recipient": item.recipient,
        "told": told,
        "url": absolute(told.url),
        "inbox_url": absolute(reverse("inbox:inbox")),
        "settings_url": absolute(reverse("inbox:settings")),
        "unsubscribe_url": unsubscribe_url(item.recipient_id, item.topic),
        "topic": Topic(item.topic).label,
        "archive_name": settings.SITE_NAME,
    }
    body = render_to_string("inbox/email/item.txt", context)
    return _message(item.recipient, item.topic, told.subject, body)


def digest_email(recipient, items: list[InboxItem], day) -> EmailMultiAlternatives:
    """One email with the day's items, each with its link; unsubscribing from it stops the
    topic of most of them (the kudos, usually)."""
    topics = [item.topic for item in items]
    topic = max(set(topics), key=topics.count)
    told = [telling(item) for item in items]
    context = {
        "recipient": recipient,
        "entries": [(entry, absolute(entry.url)) for entry in told],
        "day": day,
        "inbox_url": absolute(reverse("inbox:inbox")),
        "settings_url": absolute(reverse("inbox:settings")),
        "unsubscribe_url": unsubscribe_url(recipient.pk, topic),
        "topic": Topic(topic).label,
        "archive_name": settings.SITE_NAME,
    }
    body = render_to_string("inbox/email/digest.txt", context)
    count = len(items)
    subject = f"Your daily digest: {count} new item{'s' if count != 1 else ''}"
    return _message(recipient, topic, subject, body)
