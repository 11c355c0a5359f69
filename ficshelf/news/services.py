"""Writing the news: admins only. Every write moves the listings version (works.versions) in
its transaction, because the home page, which guests get from the page cache, shows the latest
post's title: the next request after a write renders afresh, on every app server.

A scheduled post becomes visible when its time comes, with no write: a task enqueued for that
time (and `manage.py announce_due_news`, safe from cron, for a worker that was down) moves the
listings version then, through `announce_due`.
"""

import logging
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ficshelf.userstuff.formatting import notes_to_html
from ficshelf.works import versions

from .models import NewsPost, is_news_editor

logger = logging.getLogger(__name__)


def _require_editor(user) -> None:
    if not is_news_editor(user):
        raise PermissionDenied("Only the archive's admins can write news posts.")


def _when(*, publish_at: datetime | None, draft: bool, current: datetime | None, now: datetime):
    """The post's published_at: None for a draft, the time given, the time it was first
    published (an edit keeps it), or now."""
    if draft:
        return None
    if publish_at is not None:
        return publish_at
    if current is not None and current <= now:
        return current
    return now


def _shown(post: NewsPost, now: datetime) -> None:
    """Move the cached pages on, and wake up when a scheduled post's time comes."""
    versions.bump_listings()
    if post.published_at is not None and post.published_at > now:
        _enqueue_announcement(post.published_at)


def _enqueue_announcement(when: datetime) -> None:
    from . import tasks  # tasks.py imports this module

    def enqueue() -> None:
        backend = tasks.announce_news_posts.get_backend()
        if not backend.supports_defer:
            # The immediate backend cannot wait: announce_due_news (cron) or the next news
            # write announces it.
            logger.info("The task backend cannot defer: the news post waits for its sweep")
            return
        tasks.announce_news_posts.using(run_after=when).enqueue()

    # robust: a queue that is down never undoes the write; the sweep covers it.
    transaction.on_commit(enqueue, robust=True)


@transaction.atomic
def publish_news_post(
    *,
    author,
    title: str,
    body: str,
    publish_at: datetime | None = None,
    draft: bool = False,
) -> NewsPost:
    """A new post: published now, at `publish_at` (scheduled when in the future), or kept as
    a draft. `body` is rich text as a creator types it (HTML allowed), cleaned by the
    sanitizer; raises TextRefused for markup nested too deep, PermissionDenied for anyone but
    an admin."""
    _require_editor(author)
    now = timezone.now()
    published_at = _when(publish_at=publish_at, draft=draft, current=None, now=now)
    post = NewsPost.objects.create(
        title=title.strip(),
        body=notes_to_html(body),
        author=author,
        published_at=published_at,
        announced=published_at is not None and published_at <= now,
    )
    _shown(post, now)
    return post


@transaction.atomic
def edit_news_post(
    *,
    post: NewsPost,
    editor,
    title: str,
    body: str,
    publish_at: datetime | None = None,
    draft: bool = False,
) -> NewsPost:
    """Change a post's title, text or publication (as `publish_news_post`); a published post
    keeps its date unless another is given."""
    _require_editor(editor)
    now = timezone.now()
    locked = NewsPost.objects.select_for_update().get(pk=post.pk)
    locked.title = title.strip()
    locked.body = notes_to_html(body)
    locked.published_at = _when(
        publish_at=publish_at, draft=draft, current=locked.published_at, now=now
    )
    locked.announced = locked.published_at is not None and locked.published_at <= now
    locked.save(
        update_fields=[
            "title",
            "body",
            "body_sanitizer_version",
            "published_at",
            "announced",
            "updated_at",
        ]
    )
    _shown(locked, now)
    return locked


@transaction.atomic
def delete_news_post(*, post: NewsPost, editor) -> None:
    _require_editor(editor)
    NewsPost.objects.filter(pk=post.pk).delete()
    versions.bump_listings()


@transaction.atomic
def announce_due(now: datetime | None = None) -> int:
    """Move the cached pages on for the scheduled posts whose time has come; returns how
    many. Safe to run any time, from any number of workers: each post is announced once."""
    now = now or timezone.now()
    due = list(
        NewsPost.objects.select_for_update()
        .filter(announced=False, published_at__lte=now)
        .values_list("pk", flat=True)
    )
    if due:
        NewsPost.objects.filter(pk__in=due).update(announced=True)
        versions.bump_listings()
    return len(due)
