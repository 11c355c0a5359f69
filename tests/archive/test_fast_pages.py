"""A guest's cached page is answered in front of Django's handler with the very answer the whole
stack gave, and never once what it shows has changed: the next request after an edit, a new
chapter, a retag, a hide, a restriction or a deletion shows the change."""

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from ficshelf.archive import fast_pages
from ficshelf.archive.guest_pages import GuestPageMiddleware
from ficshelf.works import pagecache
from ficshelf.works.models import Work
from ficshelf.works.services import (
    ChapterContent,
    add_chapter,
    delete_work,
    edit_chapter,
    update_work,
)
from tests.factories import make_metadata, make_user, make_work
from tests.moderation.helpers import make_admin

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    cache.clear()
    fast_pages._kept.clear()
    # Pages keep Last-Modified back for a few seconds after a change; these are all new.
    monkeypatch.setattr(pagecache, "SETTLED", pagecache.SETTLED * 0)
    # As Django's test client does: the test's transaction keeps its connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    cache.clear()
    fast_pages._kept.clear()


@pytest.fixture
def middleware_calls(monkeypatch):
    """The paths that reached GuestPageMiddleware (the handler's middleware, under the fast
    answer)."""
    seen = []
    real = GuestPageMiddleware.__call__

    def call(self, request):
        seen.append(request.path)
        return real(self, request)

    monkeypatch.setattr(GuestPageMiddleware, "__call__", call)
    return seen


class Answer:
    def __init__(self, status: str, headers: list, body: bytes):
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)
        self.body = body


def get(url: str, **headers) -> Answer:
    """The archive's WSGI application's answer to a GET, as a server would call it."""
    handler = _handler()
    environ = RequestFactory().get(url, **headers).environ
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started["status"], started["headers"] = status, response_headers

    result = handler(environ, start_response)
    body = b"".join(result)
    if hasattr(result, "close"):
        result.close()
    return Answer(started["status"], started["headers"], body)


_handlers = {}


def _handler():
    # One per test (the settings may differ): the middleware are loaded when it is made.
    from django.conf import settings

    key = (id(settings._wrapped), tuple(settings.MIDDLEWARE))
    if key not in _handlers:
        _handlers.clear()
        _handlers[key] = fast_pages.ArchiveHandler()
    return _handlers[key]


def _without_date(headers: dict) -> dict:
    return {name: value for name, value in headers.items() if name != "Date"}


def _pages(work: Work) -> list[str]:
    chapter = work.chapters.get()
    return [
        f"/works/{work.pk}",
        f"/works/{work.pk}/chapters/{chapter.pk}",
        f"/works/{work.pk}?view_full_work=true",
        "/works/",
        "/tags/Angst/works",
    ]


@pytest.mark.parametrize("encoding", ["", "gzip, deflate"])
def test_the_fast_answer_is_the_one_the_whole_stack_gave(middleware_calls, encoding):
    work = make_work(make_user("author"), freeforms=["Angst"], text="<p>Night shift.</p>" * 50)
    headers = {"HTTP_ACCEPT_ENCODING": encoding} if encoding else {}
    for url in _pages(work):
        get(url, **headers)  # rendered and kept in the page cache
        whole = get(url, **headers)  # answered by GuestPageMiddleware, and kept here
        middleware_calls.clear()
        with CaptureQueriesContext(connection) as queries:
            fast = get(url, **headers)
        assert middleware_calls == [], url
        assert len(queries) == 1, url  # the reading policy's gate, or the listings version
        assert fast.status_code == whole.status_code == 200
        assert fast.body == whole.body, url
        assert _without_date(fast.headers) == _without_date(whole.headers), url
        assert "public" in fast.headers["Cache-Control"] and "ETag" in fast.headers


def _chapter_url(work) -> str:
    return f"/works/{work.pk}/chapters/{work.chapters.order_by('position').first().pk}"


def _warm(url: str, middleware_calls) -> None:
    for _ in range(3):
        get(url)
    middleware_calls.clear()
    get(url)
    assert middleware_calls == [], "the page is not answered in front of the handler"


def test_an_edit_shows_on_the_very_next_request(middleware_calls):
    author = make_user("author")
    work = make_work(author, text="<p>Before the edit.</p>")
    url = _chapter_url(work)
    _warm(url, middleware_calls)
    chapter = work.chapters.get()
    edit_chapter(chapter=chapter, editor=author, content=ChapterContent(text="<p>After it.</p>"))
    page = get(url)
    assert b"After it." in page.body and b"Before the edit." not in page.body


def test_a_new_chapter_and_a_retag_show_on_the_very_next_request(middleware_calls):
    author = make_user("author")
    work = make_work(author, title="Lighthouse", freeforms=["Angst"])
    url, index = f"/works/{work.pk}", f"/works/{work.pk}/navigate"
    for page in (url, index, "/tags/Angst/works"):
        _warm(page, middleware_calls)
    add_chapter(work=work, editor=author, content=ChapterContent(text="<p>Two.</p>", title="Dusk"))
    assert b"Dusk" in get(index).body
    _warm(url, middleware_calls)
    update_work(
        work=work, editor=author, metadata=make_metadata(title="Lighthouse", freeforms=["Fluff"])
    )
    assert b"Fluff" in get(url).body
    assert b"Lighthouse" not in get("/tags/Angst/works").body


def test_a_restriction_a_hide_and_a_deletion_show_on_the_very_next_request(middleware_calls):
    author = make_user("author")
    work = make_work(author, title="Lighthouse")
    url = _chapter_url(work)
    _warm(url, middleware_calls)
    update_work(work=work, editor=author, metadata=make_metadata(restricted=True))
    restricted = get(url)
    assert restricted.status_code == 403 and b"log in" in restricted.body.lower()

    update_work(work=work, editor=author, metadata=make_metadata(restricted=False))
    _warm(url, middleware_calls)
    from ficshelf.moderation.services import hide_work

    hide_work(work=Work.objects.get(pk=work.pk), admin=make_admin(), reason="Spam.")
    assert get(url).status_code == 404

    other = make_work(author, title="Second")
    other_url = _chapter_url(other)
    _warm(other_url, middleware_calls)
    delete_work(work=other, editor=author)
    assert get(other_url).status_code == 404


def test_a_cleared_cache_is_never_answered_from_the_process(middleware_calls):
    work = make_work(text="<p>Kept.</p>")
    url = _chapter_url(work)
    _warm(url, middleware_calls)
    cache.clear()
    assert get(url).status_code == 200
    assert middleware_calls == [url]  # rendered again, down the stack


def test_conditional_requests_sessions_and_other_methods_go_down_the_stack(middleware_calls):
    work = make_work()
    url = _chapter_url(work)
    _warm(url, middleware_calls)
    etag = get(url).headers["ETag"]
    assert get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    get(url, HTTP_COOKIE="sessionid=0123456789abcdefghijklmnopqrstuv")
    get(f"{url}?view_adult=true")
    handler, environ = _handler(), RequestFactory().head(url).environ
    handler(environ, lambda status, headers, exc_info=None: None)
    assert middleware_calls == [url] * 4
    middleware_calls.clear()
    get(url, HTTP_COOKIE="csrftoken=abc")  # a CSRF cookie alone makes no personal page
    assert middleware_calls == []


def test_the_request_limits_still_count_every_fast_answer(settings, middleware_calls):
    work = make_work()
    url = _chapter_url(work)
    _warm(url, middleware_calls)
    settings.REQUEST_LIMITS = {
        **settings.REQUEST_LIMITS,
        "ENABLED": True,
        "EXEMPT": [],
        "PER_MINUTE": {**settings.REQUEST_LIMITS["PER_MINUTE"], "pages": (3, 3)},
    }
    middleware_calls.clear()
    answers = [get(url, REMOTE_ADDR="203.0.113.9").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    # Only the first went down to the middleware (the settings changed: kept again); the
    # refusal is made above it, by the stack counting that request once more.
    assert len(middleware_calls) == 1
    assert get(url, REMOTE_ADDR="203.0.113.10").status_code == 200
