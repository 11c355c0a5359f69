"""Writing the buffered hits (stats.counting) to the database.

`flush_hits` may run twice, or on two workers at once, over the same minutes: a hit is one row
per reader, chapter and day (a unique constraint), and an account's ChapterRead only widens
from first to last time, so a second pass changes nothing. Hits on chapters or works that are
gone, or not posted, and the creators' own views are dropped here, off the hot path.
"""

from collections import defaultdict
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ficshelf.works.models import Chapter, Creatorship, Work

from . import counting
from .models import ChapterRead, Hit

BATCH = 1000


def flush_hits(*, now: datetime | None = None) -> int:
    """Write the hits buffered since the last finished flush; returns how many hits (reader,
    chapter, day) the buffer held. Minutes that may still be filling are read again next time."""
    now = now or timezone.now()
    current = counting.minute_of(now)
    cursor = cache.get(counting.cursor_key())
    start = current - counting.PENDING_MINUTES
    if cursor is not None:
        start = max(start, cursor + 1)
    minutes = range(start, current + 1)
    counts = cache.get_many([counting.pending_key(minute) for minute in minutes])
    keys = [
        f"{counting.pending_key(minute)}:{number}"
        for minute in minutes
        for number in range(1, counts.get(counting.pending_key(minute), 0) + 1)
    ]
    written = 0
    for start_at in range(0, len(keys), BATCH):
        chunk = keys[start_at : start_at + BATCH]
        written += record_hits(entries=list(cache.get_many(chunk).values()))
    # Every server has stored what it numbered in a minute this long over.
    settled = (int(now.timestamp()) - counting.GRACE_SECONDS) // 60 - 1
    if settled >= start:
        cache.set(counting.cursor_key(), max(settled, cursor or 0), counting.PENDING_SECONDS)
    return written


@transaction.atomic
def record_hits(*, entries: list[tuple]) -> int:
    """Store buffered views: (work id, chapter ids or None, full, reader, unix time) each;
    a work id of None says the reader was a bot that day. Returns how many distinct hits the
    views made."""
    bots = {
        (reader, datetime.fromtimestamp(at, tz=UTC).date())
        for work_id, _, _, reader, at in entries
        if work_id is None
    }
    entries = [entry for entry in _without_bots(entries) if entry[0] is not None]
    work_ids = {entry[0] for entry in entries}
    posted = defaultdict(list)  # work id -> its posted chapters' ids, in reading order
    for chapter_id, work_id in (
        Chapter.objects.filter(work_id__in=work_ids, posted=True, work__posted=True)
        .order_by("work_id", "position")
        .values_list("pk", "work_id")
    ):
        posted[work_id].append(chapter_id)
    creators = set(
        Creatorship.objects.filter(work_id__in=work_ids).values_list("work_id", "pseud__user_id")
    )
    account_ids = {int(entry[3][1:]) for entry in entries if entry[3].startswith("u")}
    accounts = set(get_user_model().objects.filter(pk__in=account_ids).values_list("pk", flat=True))
    hits: dict[tuple, Hit] = {}
    reads: dict[tuple, list[datetime]] = {}
    for work_id, chapter_ids, full, reader, at in entries:
        chapters = posted.get(work_id)
        if not chapters:
            continue
        user_id = int(reader[1:]) if reader.startswith("u") else None
        if user_id is not None and ((work_id, user_id) in creators or user_id not in accounts):
            continue
        if chapter_ids is None:
            shown = chapters if full else chapters[:1]
        else:
            shown = [chapter_id for chapter_id in chapter_ids if chapter_id in chapters]
        moment = datetime.fromtimestamp(at, tz=UTC)
        for chapter_id in shown:
            key = (chapter_id, moment.date(), reader)
            hits.setdefault(
                key,
                Hit(
                    work_id=work_id,
                    chapter_id=chapter_id,
                    day=moment.date(),
                    reader=reader,
                    is_guest=user_id is None,
                ),
            )
            if user_id is not None:
                span = reads.setdefault((user_id, chapter_id, work_id), [moment, moment])
                span[0], span[1] = min(span[0], moment), max(span[1], moment)
    Hit.objects.bulk_create(hits.values(), ignore_conflicts=True, batch_size=500)
    _record_reads(reads)
    counted = {hit.work_id for hit in hits.values()}
    for reader, day in bots:
        found = Hit.objects.filter(reader=reader, day=day)
        counted.update(found.values_list("work_id", flat=True))
        found.delete()
    _recount_hits(counted)
    return len(hits)


def _recount_hits(work_ids: set[int]) -> None:
    """Set each work's hits_count from its Hit rows (exact, whatever was a duplicate or a bot).
    Pages are not moved on for it: a guest's cached page shows the count as of its last change
    (as AO3's hit counts lag), rather than every busy work's page, and every list, being made
    again after each flush."""
    if not work_ids:
        return
    count = (
        Hit.objects.filter(work=OuterRef("pk"))
        .order_by()
        .values("work")
        .annotate(count=Count("pk"))
        .values("count")
    )
    ids = sorted(work_ids)
    Work.objects.filter(pk__in=ids).update(hits_count=Coalesce(Subquery(count), 0))


def _without_bots(entries: list[tuple]) -> list[tuple]:
    """The entries but those of guests flagged as bots on the day of the view."""

    def flag(entry) -> str | None:
        work_id, chapter_ids, full, reader, at = entry
        if not reader.startswith("g"):
            return None
        return counting.bot_key(datetime.fromtimestamp(at, tz=UTC).date(), reader)

    flags = [flag(entry) for entry in entries]
    bots = cache.get_many({key for key in flags if key is not None})
    return [entry for entry, key in zip(entries, flags, strict=True) if key not in bots]


def _record_reads(reads: dict[tuple, list[datetime]]) -> None:
    """Widen or create each account's ChapterRead, under the rows' locks."""
    if not reads:
        return
    existing = {
        (read.user_id, read.chapter_id): read
        for read in ChapterRead.objects.select_for_update().filter(
            user_id__in={user_id for user_id, _, _ in reads},
            chapter_id__in={chapter_id for _, chapter_id, _ in reads},
        )
    }
    changed, new = [], []
    for (user_id, chapter_id, work_id), (first, last) in reads.items():
        read = existing.get((user_id, chapter_id))
        if read is None:
            new.append(
                ChapterRead(
                    user_id=user_id,
                    work_id=work_id,
                    chapter_id=chapter_id,
                    first_at=first,
                    last_at=last,
                )
            )
        elif first < read.first_at or last > read.last_at:
            read.first_at, read.last_at = min(first, read.first_at), max(last, read.last_at)
            changed.append(read)
    ChapterRead.objects.bulk_update(changed, ["first_at", "last_at"], batch_size=500)
    # Another flush may have created one meanwhile: its times are as good as these.
    ChapterRead.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
