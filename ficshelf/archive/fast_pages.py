"""Guests' cached pages answered in front of Django's handler, the stored bytes written as is.

`guest_pages.GuestPageMiddleware` answers a guest's cached page below half of the middleware,
yet the handler around it (the request object, the seven middleware above it, the signals, the
response object and its headers) costs more than the page cache's own part of the hit. So the
WSGI application (`ArchiveHandler`, ficshelf/wsgi.py) keeps, in each process, the finished
answer (status, headers, body) that the whole stack gave to one kind of guest request for a page
the middleware answered from the cache, and answers the next such request with it when:

- the request is the same kind: GET, the same host, scheme, path and query, the same choice of
  gzip; no conditional header, no cookie but the CSRF cookie (a session, messages, a guest's own
  settings or the "you just wrote" cookie go down the stack), no `view_adult`;
- the reading policy still gives the same page: the view's own gate (`guest_page`) is asked on
  every request, as the middleware asks it, with the work's row read from the database, never
  from here; the page's key (its versions) must be the one kept. An edit, a new chapter, a
  retag, a hide, a restriction or a deletion changes the key or the verdict: the request goes
  down the stack and is answered afresh;
- the shared page cache still holds those very bytes under that key (a cleared cache is never
  answered from here);
- the request limits let it through (counted as `RequestLimitMiddleware` counts it), and the
  page view is counted (`works.extensions.chapter_viewed`), as on the middleware's answer.

Anything else, and any error, goes down the whole stack, which answers as it always has.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse

from ficshelf.works import extensions, pagecache

from . import replicas
from .proxies import ClientAddressMiddleware
from .request_limits import RequestLimitMiddleware

# Finished answers kept by each process (bodies and headers), least recently used out first.
KEPT_BYTES = 32 * 1024 * 1024
# Headers that ask for a conditional answer (a 304 or a 412): the stack answers those.
_CONDITIONAL = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)
_HIT = "_ficshelf_guest_hit"
_ALLOWED = HttpResponse()  # what the middleware run here return when they let a request on


@dataclass(frozen=True)
class _Answer:
    page_for: object  # the view's gate: (request, *args, **kwargs) -> pagecache.Page | None
    args: tuple
    kwargs: dict
    parts: tuple  # the page's key, as the gate gave it
    cache_key: str
    stored: bytes  # the gzip bytes the page cache held under cache_key
    status: str
    headers: list
    body: bytes
    viewed: tuple | None

    @property
    def size(self) -> int:
        return len(self.body) + len(self.stored) + sum(len(n) + len(v) for n, v in self.headers)


class _Kept:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.answers: OrderedDict[tuple, _Answer] = OrderedDict()
        self.bytes = 0

    def get(self, kind: tuple) -> _Answer | None:
        with self.lock:
            answer = self.answers.get(kind)
            if answer is not None:
                self.answers.move_to_end(kind)
            return answer

    def put(self, kind: tuple, answer: _Answer) -> None:
        with self.lock:
            self._drop(kind)
            self.answers[kind] = answer
            self.bytes += answer.size
            while self.bytes > KEPT_BYTES and self.answers:
                self._drop(next(iter(self.answers)))

    def forget(self, kind: tuple, answer: _Answer) -> None:
        with self.lock:
            if self.answers.get(kind) is answer:
                self._drop(kind)

    def clear(self) -> None:
        with self.lock:
            self.answers.clear()
            self.bytes = 0

    def _drop(self, kind: tuple) -> None:
        old = self.answers.pop(kind, None)
        if old is not None:
            self.bytes -= old.size


_kept = _Kept()


@receiver(setting_changed, dispatch_uid="archive.fast_pages.setting_changed")
def _settings_changed(**kwargs):
    _kept.clear()


def mark_hit(request, page_for, args: tuple, kwargs: dict, page) -> None:
    """Called by GuestPageMiddleware when it answered a plain guest's page from the cache."""
    request.__dict__[_HIT] = (page_for, args, kwargs, page)


def _kind(environ) -> tuple | None:
    """What the finished answer depends on besides the page's key, or None when this request
    is not one to answer here."""
    if environ.get("REQUEST_METHOD") != "GET":
        return None
    if any(name in environ for name in _CONDITIONAL):
        return None
    query = environ.get("QUERY_STRING", "")
    if "view_adult" in query:  # consenting starts a session
        return None
    cookies = environ.get("HTTP_COOKIE")
    if cookies and any(
        part.split("=", 1)[0].strip() not in ("", settings.CSRF_COOKIE_NAME)
        for part in cookies.split(";")
    ):
        return None
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    return (
        environ.get("HTTP_HOST"),
        environ.get("SERVER_NAME"),
        environ.get("SERVER_PORT"),
        environ.get("wsgi.url_scheme"),
        environ.get(proxy_header[0]) if proxy_header else None,
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        query,
        bool(pagecache.ACCEPTS_GZIP.search(environ.get("HTTP_ACCEPT_ENCODING", ""))),
    )


class ArchiveHandler(WSGIHandler):
    """Django's WSGI handler, with guests' cached pages answered in front of it."""

    def __init__(self) -> None:
        super().__init__()
        self.addresses = ClientAddressMiddleware(lambda request: _ALLOWED)
        self.limits = RequestLimitMiddleware(lambda request: _ALLOWED)
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, environ, start_response):
        kind = _kind(environ)
        answer = _kept.get(kind) if kind is not None else None
        if answer is not None:
            # As Django's handler starts and ends a request (old database connections closed).
            signals.request_started.send(sender=self.__class__, environ=environ)
            try:
                served = self._answer(environ, kind, answer)
            except Exception:  # the database or the cache failed: the stack deals with it
                _kept.forget(kind, answer)
                served = False
            finally:
                signals.request_finished.send(sender=self.__class__)
            if served:
                start_response(answer.status, list(answer.headers))
                return [answer.body]
        return super().__call__(environ, start_response)

    def _answer(self, environ, kind: tuple, answer: _Answer) -> bool:
        """Whether `answer` is still the one the whole stack would give (and the request was
        counted as it would be)."""
        request = WSGIRequest(environ)
        # What GuestPageMiddleware gives a guest with no session cookie.
        request.session = self.session_store()
        request.user = AnonymousUser()
        with replicas.replica_reads(True) as reads:  # a guest with no "you just wrote" cookie
            page = answer.page_for(request, *answer.args, **answer.kwargs)
            if reads is not None and reads.failed:
                return False
        if page is None or page.parts != answer.parts:
            _kept.forget(kind, answer)
            return False
        stored = pagecache.cache_call(cache.get, answer.cache_key)
        if stored is None or stored.get("gzip") != answer.stored:
            _kept.forget(kind, answer)
            return False
        self.addresses(request)
        if self.limits(request) is not _ALLOWED:
            return False  # refused: the stack counts it again, refuses it and says so
        if answer.viewed is not None:
            work_id, chapter_ids, full = answer.viewed
            extensions.chapter_viewed(request, work_id, chapter_ids, full=full)
        return True

    def get_response(self, request):
        response = super().get_response(request)
        hit = request.__dict__.get(_HIT)
        if hit is not None:
            self._keep(request, response, hit)
        return response

    def _keep(self, request, response, hit) -> None:
        """Keep the stack's answer to a guest's cached page, if it can be given again as is."""
        kind = _kind(request.META)
        if (
            kind is None
            or response.status_code != 200
            or response.streaming
            or response.cookies
            or "public" not in response.get("Cache-Control", "")
            # A page changed in the last seconds has no Last-Modified yet (pagecache.SETTLED):
            # the answer given once it has one is the one to keep.
            or not response.has_header("Last-Modified")
        ):
            return
        page_for, args, kwargs, page = hit
        cache_key = pagecache.validators(request, page)[0]
        stored = pagecache.cache_call(cache.get, cache_key)
        if stored is None:
            return
        status = f"{response.status_code} {response.reason_phrase}"
        answer = _Answer(
            page_for=page_for,
            args=args,
            kwargs=kwargs,
            parts=page.parts,
            cache_key=cache_key,
            stored=stored["gzip"],
            status=status,
            headers=list(response.items()),
            body=response.content,
            viewed=page.viewed,
        )
        _kept.put(kind, answer)
