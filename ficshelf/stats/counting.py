"""Counting hits on the hot path: a few cache calls, never a database write.

Every reading page served (rendered, or answered from the page cache, even by
GuestPageMiddleware before the view runs) calls `count_view` through works'
`extensions.chapter_viewed`. It keeps one hit per reader, chapter and day:

- the reader is an account ("u<id>") or a guest ("g<hash>"): an HMAC of their address and user
  agent under a key derived from SECRET_KEY and the day, so no address is kept, and a guest
  cannot be followed from one day to the next;
- `cache.add` of a per-day "seen" key says whether this is the reader's first view of the
  chapter today: only then is the hit buffered;
- the buffer is per minute: `cache.incr` hands each hit a number in its minute, atomically on
  every app server sharing the cache, and the hit is stored under that number. The flush
  (services.flush_hits) reads each minute's hits once the minute is over; the database's
  unique constraints make a second flush of the same hits change nothing.
- bots are not counted: user agents that say what they are, and guests without cookies who
  open many new chapters within seconds (flagged for the day: the flush drops, or deletes if
  it was written already, what they opened before the flag too). The work's own creators are
  dropped by the flush, which reads the creators off the hot path.

A cache that fails raises here; works' hook logs it and serves the page: hits are lost, never
pages (the Redis cache reads its errors as misses, which also counts nothing).
"""

import re
from datetime import UTC, date, datetime

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

# User agents that say they are programs. An empty user agent is one too.
BOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|scrap|curl|wget|python-requests|python-urllib|httpx|aiohttp"
    r"|go-http-client|java/|libwww|okhttp|headless|phantomjs|lighthouse|preview|monitor",
    re.IGNORECASE,
)
# A guest without cookies opening more new chapters than this within BURST_SECONDS is a bot.
BURST_PAGES = 8
BURST_SECONDS = 10
# A "seen" key lives past the end of its day (the day is part of the key).
SEEN_SECONDS = 2 * 24 * 60 * 60
# How long buffered hits wait for a flush (a worker that was down) before they are lost.
PENDING_SECONDS = 2 * 24 * 60 * 60
PENDING_MINUTES = PENDING_SECONDS // 60
# A minute's buffer is read for good this long after the minute ends: a server that numbered a
# hit in it may still be storing the hit.
GRACE_SECONDS = 15

_READER_SALT = "ficshelf.stats.reader"


# --- Keys -------------------------------------------------------------------------------------


def minute_of(moment: datetime) -> int:
    return int(moment.timestamp()) // 60


def pending_key(minute: int) -> str:
    """The number of hits buffered in `minute`; hit n is under f"{pending_key(minute)}:{n}"."""
    return f"stats:pending:{minute}"


def bot_key(day: date, reader: str) -> str:
    return f"stats:bot:{day.isoformat()}:{reader}"


def cursor_key() -> str:
    """The last minute whose buffer was flushed for good."""
    return "stats:flushed"


def _seen_key(day: date, target: str, reader: str) -> str:
    return f"stats:seen:{day.isoformat()}:{target}:{reader}"


# --- Who is reading ---------------------------------------------------------------------------


def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or BOT_AGENTS.search(user_agent) is not None


def reader_key(request, day: date) -> str:
    """ "u<id>" for an account; for a guest "g" and 32 hex digits of an HMAC-SHA256 of their
    address and user agent, keyed by SECRET_KEY and the day (a new salt every day)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    address = request.META.get("REMOTE_ADDR", "")
    agent = request.META.get("HTTP_USER_AGENT", "")
    digest = salted_hmac(
        f"{_READER_SALT}:{day.isoformat()}", f"{address}\n{agent}", algorithm="sha256"
    )
    return "g" + digest.hexdigest()[:32]


# --- The hook ---------------------------------------------------------------------------------


def count_view(request, work_id: int, chapter_ids: tuple | None, *, full: bool = False) -> None:
    """Count a reading page served to `request` (works.extensions.chapter_viewed)."""
    if request.method != "GET" or is_bot(request.META.get("HTTP_USER_AGENT", "")):
        return  # a HEAD is a link checker's
    if "prefetch" in request.headers.get("Sec-Purpose", request.headers.get("Purpose", "")):
        return  # the browser guessing where the reader goes next
    now = timezone.now()
    day = now.date()
    reader = reader_key(request, day)
    if chapter_ids is None:
        targets = [f"w{work_id}{'all' if full else 'first'}"]
    else:
        targets = [f"c{chapter_id}" for chapter_id in chapter_ids]
    new = [t for t in targets if cache.add(_seen_key(day, t, reader), 1, SEEN_SECONDS)]
    if not new:
        return
    if reader.startswith("g") and not request.COOKIES and _bursting(reader, day, now, len(new)):
        return
    _buffer((work_id, chapter_ids, full, reader, int(now.timestamp())), now)


def _bursting(reader: str, day: date, now: datetime, pages: int) -> bool:
    key = f"stats:burst:{reader}:{int(now.timestamp()) // BURST_SECONDS}"
    cache.add(key, 0, BURST_SECONDS * 2)
    if cache.incr(key, pages) <= BURST_PAGES:
        return False
    if cache.add(bot_key(day, reader), 1, SEEN_SECONDS):
        # What it opened before the burst may be flushed already: the flush takes it back.
        _buffer((None, None, False, reader, int(now.timestamp())), now)
    return True


def _buffer(entry: tuple, now: datetime) -> None:
    minute = minute_of(now)
    count = pending_key(minute)
    cache.add(count, 0, PENDING_SECONDS)
    number = cache.incr(count)
    cache.set(f"{count}:{number}", entry, PENDING_SECONDS)
    # The first hit of each minute asks for the flush of that minute.
    if cache.add(f"stats:flush:{minute}", 1, PENDING_SECONDS):
        schedule_flush(minute)


def schedule_flush(minute: int) -> None:
    """Flush `minute`'s hits once it is over: a task run after its end, on the worker. A cache
    kept by each process (locmem) is out of the worker's sight: this process flushes what it
    holds itself, at most once a minute."""
    from . import services, tasks

    if isinstance(caches["default"], LocMemCache | DummyCache):
        services.flush_hits()
        return
    flush = tasks.flush_hits
    if flush.get_backend().supports_defer:
        run_after = datetime.fromtimestamp((minute + 1) * 60 + GRACE_SECONDS, tz=UTC)
        flush = flush.using(run_after=run_after)
    transaction.on_commit(flush.enqueue)
