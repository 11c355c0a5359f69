"""Guests' reading pages and lists of works from the cache, never stale, with conditional GETs.

A guest's page is the same for every guest, so it is kept in Django's cache under a key made of
what it shows (key-based expiration: nothing is ever deleted, a change makes a new key):

- the release: this deployment's code, templates and packages, and the settings pages show;
- the path, and the query values the page reads (the entire work, the page of a list);
- the versions of what it shows (`works.versions`): the work's content version and update time
  for a work's pages, the listings version for lists of works;
- the guest's variant: whether they accepted adult content.

The reading policy decides first: the views ask it before they call `serve`, so a restricted
work still answers a guest with the log-in prompt and a 404 stays a 404; only the policy's
allowed pages with status 200 are cached. Never taken from nor put into the cache: a logged-in
viewer's page, a request with messages to show, anything but GET, a page that used a CSRF token
or a CSP nonce or set a cookie.

Guests' pages carry an ETag and a Last-Modified and are answered 304 when unchanged, with
`Cache-Control: public, max-age=0, must-revalidate`: a browser or proxy may keep the page but must
ask again every time, because a work restricted or deleted must be gone on the very next request.
Logged-in viewers' pages are `private, no-cache` and carry no validators: they show the account's
name and a CSRF token, and are built from the cached fragments instead (`fragments`).
"""

import functools
import gzip
import hashlib
import importlib.metadata
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import compress_string

from . import extensions, reading, versions

logger = logging.getLogger(__name__)

# Entries are never deleted, only left behind by new keys: these bound how long they stay.
PAGE_SECONDS = 24 * 60 * 60
FRAGMENT_SECONDS = 7 * 24 * 60 * 60
# On a miss one request renders a key while others wait for it, polling, then render anyway.
RENDER_LOCK_SECONDS = 10
WAIT_SECONDS = 2.0
POLL_SECONDS = 0.05
# An HTTP date has whole seconds, so two changes within one second would share a Last-Modified;
# a page changed this recently gets none (its ETag still answers), and an uncommitted write
# cannot hide behind an older date either.
SETTLED = timedelta(seconds=5)
# A deployment changes the HTML without changing any row: no Last-Modified before it started.
STARTED_AT = timezone.now()

# Decompressed pages kept by each process, for clients without gzip (`_identity_body`).
IDENTITY_BYTES = 32 * 1024 * 1024
_identity: OrderedDict[str, tuple[bytes, bytes]] = OrderedDict()
_identity_bytes = 0
_identity_lock = threading.Lock()

ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as GZipMiddleware reads Accept-Encoding
_BASE_DIR = settings.BASE_DIR
# Static files too: collected, their names in the pages carry their content's hash.
_SOURCES = [
    (_BASE_DIR / "ficshelf", "*.py"),
    (_BASE_DIR / "templates", "*"),
    (_BASE_DIR / "static", "*"),
]


@dataclass(frozen=True)
class Page:
    """What a cacheable page shows: `parts` key it, `changed_at` is its last change."""

    parts: tuple
    changed_at: datetime
    # What a reading page shows, for counting (extensions.chapter_viewed): (work id, chapter
    # ids or None for the first page, full). Not part of the key.
    viewed: tuple | None = None


@functools.cache
def _code_digest() -> str:
    """A digest of the code, templates and installed packages, computed once per process:
    servers running the same release agree on it."""
    digest = hashlib.sha256()
    for name in sorted(
        f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()
    ):
        digest.update(name.encode())
    for root, pattern in _SOURCES:
        for path in sorted(root.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(_BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def release() -> str:
    """Names the HTML this deployment makes: the code, and the settings that pages show.
    FICSHELF_CACHE_PREFIX (setting PAGE_CACHE_PREFIX) separates archives sharing a cache, or
    drops every cached page at once when changed."""
    shown = (
        settings.SITE_NAME,
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        settings.STATIC_URL,
        getattr(settings, "STATIC_COLLECTED", False),
        settings.TIME_ZONE,
        settings.LANGUAGE_CODE,
    )
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:8]
    return f"{getattr(settings, 'PAGE_CACHE_PREFIX', '')}{_code_digest()}{digest}"


def fragments() -> dict:
    """For templates' {% cache %} blocks: how long to keep a fragment, and the release to key
    it by (a fragment's other keys are the versions of what it shows)."""
    return {"seconds": FRAGMENT_SECONDS, "release": release()}


# --- What a page is keyed by ----------------------------------------------------------------


def work_page(request, work, *parts, viewed: tuple | None = None) -> Page:
    """A page of one work, which the reading policy let this viewer open."""
    adult = work.is_adult and reading.adult_consent(request)
    return Page(
        ("work", work.pk, work.content_version, work.updated_at.isoformat(), adult, *parts),
        work.updated_at,
        viewed,
    )


def _page_number(request) -> int:
    # As Paginator.get_page reads it: anything int() refuses is page 1.
    try:
        return int(request.GET.get("page"))
    except (TypeError, ValueError):
        return 1


def guest_page(page_for):
    """Marks a view whose guests' pages `archive.guest_pages.GuestPageMiddleware` may answer
    from the cache before the rest of the middleware runs. `page_for(request, *args, **kwargs)`
    asks the reading policy and returns what the guest's page is keyed by, or None when the
    view must answer (a notice, a 404)."""

    def mark(view):
        view.guest_page = page_for
        return view

    return mark


def listing_page(view):
    """Serve a list of works from the cache to guests, keyed by the listings version and the
    page number. The view may raise Http404 (no such tag or creator): that is never cached,
    and a creator or tag that goes away moves the listings version on."""

    def page_for(request, *args, **kwargs) -> Page | None:
        current = versions.listings()
        if current is None:
            return None
        return Page(
            ("listing", current.version, current.changed_at.isoformat(), _page_number(request)),
            current.changed_at,
        )

    @guest_page(page_for)
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        page = page_for(request) if _is_guest_read(request) else None
        return serve(request, page, lambda: view(request, *args, **kwargs))

    return wrapper


# --- Serving --------------------------------------------------------------------------------


def _is_guest_read(request) -> bool:
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and not extensions.has_personal_cookie(request)
        # Counting the messages does not mark them shown.
        and not len(get_messages(request))
    )


def serve(request, page: Page | None, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The response to a page the reading policy allowed: `render()` for a logged-in viewer,
    or when `page` is None; for a guest, a 304 when their copy is current, else the cached page,
    else `render()` once (kept for the next guest when it can be shared)."""
    return _counted(request, page, _serve(request, page, render))


def _serve(request, page: Page | None, render: Callable[[], HttpResponse]) -> HttpResponse:
    if page is None or not _is_guest_read(request):
        return _private(render())
    key, etag, last_modified = validators(request, page)
    response = _answer(request, key, etag, last_modified)
    if response is not None:
        return response
    response, shared = _render_once(request, key, render)
    if not shared:
        # Whatever made it personal (a token, a cookie) is this guest's alone.
        return _private(response)
    return _public(request, response, etag, last_modified)


def cached(request, page: Page) -> HttpResponse | None:
    """A guest's page without rendering it: a 304 when their copy is current, else the cached
    page; None when it must be rendered."""
    response = _answer(request, *validators(request, page))
    return response if response is None else _counted(request, page, response)


def _counted(request, page: Page | None, response: HttpResponse) -> HttpResponse:
    # A 304 is a reader shown their copy again: a view like any other.
    if page is not None and page.viewed is not None and response.status_code in (200, 304):
        work_id, chapter_ids, full = page.viewed
        extensions.chapter_viewed(request, work_id, chapter_ids, full=full)
    return response


def validators(request, page: Page) -> tuple[str, str, datetime | None]:
    """The page's cache key, ETag and Last-Modified (None while it settles)."""
    digest = hashlib.sha256(repr((release(), request.path, page.parts)).encode()).hexdigest()
    return f"ficshelf:page:{digest}", f'"{digest[:32]}"', _last_modified(page)


def _answer(request, key: str, etag: str, last_modified: datetime | None):
    response = get_conditional_response(
        request, etag=etag, last_modified=last_modified and int(last_modified.timestamp())
    )
    if response is not None:  # 304, or 412 for a failed If-Match
        return _public(request, response, etag, last_modified)
    stored = cache_call(cache.get, key)
    if stored is not None:
        return _public(request, _from_cache(request, key, stored), etag, last_modified)
    return None


def _last_modified(page: Page) -> datetime | None:
    when = max(page.changed_at, STARTED_AT)
    return when if timezone.now() - when >= SETTLED else None


def _render_once(request, key: str, render) -> tuple[HttpResponse, bool]:
    """Render and keep the page, one request per key at a time: the others wait for its result.
    A render that does not end within WAIT_SECONDS (slow, or its server died holding the lock)
    is taken over by one of them, whom the rest wait for in turn; only after that second wait
    do they render it themselves. Also says whether the page could be shared."""
    for lock in (f"{key}:rendering", f"{key}:rendering:again"):
        if cache_call(cache.add, lock, 1, RENDER_LOCK_SECONDS):
            try:
                return _render_and_keep(request, key, render)
            finally:
                cache_call(cache.delete, lock)
        stored, released = _wait_for(key, lock)
        if stored is not None:
            return _from_cache(request, key, stored), True
        if released:
            break  # it rendered a page it could not share, or the cache is down
    return _render_and_keep(request, key, render)


def _wait_for(key: str, lock: str) -> tuple[dict | None, bool]:
    """The page once another request has kept it, or whether its lock went without it."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        if (stored := cache_call(cache.get, key)) is not None:
            return stored, False
        if cache_call(cache.get, lock) is None:
            return None, True
    return None, False


def _render_and_keep(request, key: str, render) -> tuple[HttpResponse, bool]:
    response = render()
    shared = _shareable(request, response)
    if shared:
        # Kept compressed, once: most guests accept gzip, and compressing a long chapter on
        # every hit would cost more than serving it. A page shared by all guests holds no
        # secret for BREACH to guess.
        stored = {
            "gzip": compress_string(response.content, max_random_bytes=0),
            "content_type": response["Content-Type"],
        }
        cache_call(cache.set, key, stored, PAGE_SECONDS)
    return response, shared


def _shareable(request, response) -> bool:
    """Whether a page rendered for this guest may be given to every guest."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # it used {% csrf_token %}
        and not isinstance(getattr(request, "_csp_nonce", None), str)  # it used the CSP nonce
    )


def _from_cache(request, key: str, stored: dict) -> HttpResponse:
    if not ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        return HttpResponse(
            _identity_body(key, stored["gzip"]), content_type=stored["content_type"]
        )
    response = HttpResponse(stored["gzip"], content_type=stored["content_type"])
    # As GZipMiddleware marks what it compresses (it leaves an encoded response alone).
    response.headers["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _identity_body(key: str, compressed: bytes) -> bytes:
    """The page for a client that does not accept gzip (a script, a proxy that drops the
    header), decompressed once per process rather than on every hit (0.6 ms for a long
    chapter). Only while the cache holds those very bytes under `key`: a cleared or replaced
    entry is never answered from here."""
    with _identity_lock:
        kept = _identity.get(key)
        if kept is not None and kept[0] == compressed:
            _identity.move_to_end(key)
            return kept[1]
    body = gzip.decompress(compressed)
    global _identity_bytes
    with _identity_lock:
        if (old := _identity.pop(key, None)) is not None:
            _identity_bytes -= len(old[0]) + len(old[1])
        _identity[key] = (compressed, body)
        _identity_bytes += len(compressed) + len(body)
        while _identity_bytes > IDENTITY_BYTES:
            _, (dropped, dropped_body) = _identity.popitem(last=False)
            _identity_bytes -= len(dropped) + len(dropped_body)
    return body


def _public(request, response, etag: str, last_modified: datetime | None) -> HttpResponse:
    # A compressed page is another representation: its ETag is weak, as GZipMiddleware makes
    # it (which compresses what is rendered afresh), and so is a 304's for a gzip client.
    compressed = response.get("Content-Encoding") == "gzip" or (
        response.status_code == 304
        and ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    )
    response.headers["ETag"] = f"W/{etag}" if compressed else etag
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified.timestamp())
    # The response that starts a guest's session (accepting adult content) sets a cookie,
    # which no shared cache may hand to anyone else.
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
    else:
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    # A 304 names what the full page varies on too.
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    return response


def _private(response) -> HttpResponse:
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def cache_call(method, *args):
    """A cache that is down must not take the pages down with it: it is a miss."""
    try:
        return method(*args)
    except Exception:
        logger.warning("The page cache did not answer (%s)", method.__name__, exc_info=True)
        return None
