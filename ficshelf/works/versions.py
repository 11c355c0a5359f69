"""The versions that cached pages are keyed by, moved on in the same transaction as the write.

Nothing is ever deleted from the cache ("key-based expiration"): a change makes new keys, so the
next request on any app server misses and renders afresh.

- `Work.content_version` counts changes to what a work's own pages show: its metadata and
  tags, its creators, any of its chapters (text, title, order, posting).
- `ListingsVersion` (one row) counts changes that can alter any list of works: the works
  index, tag pages, a creator's works, the home page.

Every service in `works.services` that changes a page says so through `_chapter_saved` or
`_work_changed`, which call `bump_work` (`delete_work` calls `bump_listings`: the work is gone).
Renames and deletions that happen outside the services (the admin renaming an account or a
pseud, deleting an account) are caught by the receivers at the end of this module.
"""

import functools
from collections.abc import Iterable

from django.conf import settings
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from ficshelf.accounts.models import Pseud
from ficshelf.tags.models import Tag

from .models import ListingsVersion, Work

LISTINGS = 1  # the primary key of the one ListingsVersion row


def bump_works(works: QuerySet | Iterable[int]) -> None:
    """Move on the content version of these works (a QuerySet of works, or their ids), and the
    listings version, which shows them too. Call it inside the write's transaction, after the
    work rows are locked: works first, then the listings row, so writers never deadlock."""
    ids = works.values("pk") if isinstance(works, QuerySet) else list(works)
    # updated_at moves too: it keys the pages as well (a database restored from a backup
    # reuses versions, never timestamps) and is their Last-Modified.
    Work.objects.filter(pk__in=ids).update(
        content_version=F("content_version") + 1, updated_at=timezone.now()
    )
    bump_listings()


def bump_work(work_id: int) -> None:
    bump_works([work_id])


def bump_listings() -> None:
    now = timezone.now()
    moved = ListingsVersion.objects.filter(pk=LISTINGS).update(
        version=F("version") + 1, changed_at=now
    )
    if not moved:
        # The row is made by a migration; a flushed database (transactional tests) lacks it.
        _, created = ListingsVersion.objects.get_or_create(
            pk=LISTINGS, defaults={"version": 2, "changed_at": now}
        )
        if not created:
            bump_listings()


@functools.cache
def _listings_sql() -> str:
    quote = connection.ops.quote_name  # SQLite and PostgreSQL quote names alike
    meta = ListingsVersion._meta
    columns = ", ".join(
        quote(meta.get_field(name).column) for name in ("id", "version", "changed_at")
    )
    return f"SELECT {columns} FROM {quote(meta.db_table)} WHERE id = %s"  # noqa: S608


def listings() -> ListingsVersion | None:
    """The current listings version (one query); None if its row is missing, in which case
    nothing is cached. It is the only query of a cached list: written once, not compiled by
    the ORM on every request."""
    return next(iter(ListingsVersion.objects.raw(_listings_sql(), [LISTINGS])), None)


# --- Changes made outside works' services -------------------------------------------------


@receiver(post_save, sender=Pseud, dispatch_uid="works.versions.pseud_saved")
def _pseud_saved(sender, instance, created, raw=False, **kwargs):
    # A renamed pseud changes every byline and blurb it is credited on. (Rows loaded from a
    # fixture, `raw`, are left alone: the tables may be half loaded.)
    if not created and not raw:
        bump_works(Work.objects.filter(creatorships__pseud=instance))


@receiver(pre_delete, sender=Pseud, dispatch_uid="works.versions.pseud_deleted")
def _pseud_deleted(sender, instance, **kwargs):
    # Before the cascade removes the creatorships that say which works it was on (deleting an
    # account deletes its pseuds, so this covers accounts too).
    bump_works(Work.objects.filter(creatorships__pseud=instance))


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="works.versions.account_saved")
def _account_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    # A byline shows the account's user name beside a pseud's. Logging in saves last_login
    # only, which no page shows.
    if created or raw or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    bump_works(Work.objects.filter(creatorships__pseud__user=instance))


@receiver(post_save, sender=Tag, dispatch_uid="works.versions.tag_saved")
def _tag_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        bump_works(Work.objects.filter(taggings__tag=instance))


@receiver(pre_delete, sender=Tag, dispatch_uid="works.versions.tag_deleted")
def _tag_deleted(sender, instance, **kwargs):
    # Only an unused tag can be deleted (taggings protect it): its page becomes a 404.
    bump_listings()
