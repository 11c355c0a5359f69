"""A guest's cached page is answered before the rest of the middleware, exactly as the whole
stack would answer it, and the reading policy still decides every request."""

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ficshelf.works.models import Work
from ficshelf.works.services import ChapterContent, edit_chapter, update_work
from tests.factories import make_metadata, make_user, make_work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

# A session cookie naming no session: the guest is still a guest, but the request goes down the
# whole stack (sessions, authentication, messages, CSRF, the view) to the view's page cache.
NO_SUCH_SESSION = "0123456789abcdefghijklmnopqrstuv"


@pytest.fixture
def sessions_looked_at(monkeypatch):
    """How many requests SessionMiddleware saw."""
    seen = []
    real = SessionMiddleware.process_request

    def process_request(self, request):
        seen.append(request.path)
        return real(self, request)

    monkeypatch.setattr(SessionMiddleware, "process_request", process_request)
    return seen


def _urls(work: Work) -> list[str]:
    chapter = work.chapters.get()
    return [
        f"/works/{work.pk}",
        f"/works/{work.pk}?view_full_work=true",
        f"/works/{work.pk}/chapters/{chapter.pk}",
        f"/works/{work.pk}/navigate",
        "/works/",
        "/tags/Angst/works",
        "/users/author/works",
        "/",
    ]


def _through_the_stack() -> Client:
    client = Client()
    client.cookies["sessionid"] = NO_SUCH_SESSION
    return client


def test_a_cached_guest_page_is_answered_before_the_session_is_looked_at(
    client, sessions_looked_at
):
    work = make_work(make_user("author"), freeforms=["Angst"])
    for url in _urls(work):
        assert client.get(url).status_code == 200  # rendered and kept
        sessions_looked_at.clear()
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url)
        assert again.status_code == 200 and not again.templates, url
        assert sessions_looked_at == [], url
        assert len(queries) == 1, (url, [q["sql"] for q in queries])  # the policy's gate


@pytest.mark.parametrize("encoding", ["", "gzip, deflate"])
def test_the_early_answer_is_the_one_the_whole_stack_gives(client, encoding):
    work = make_work(make_user("author"), freeforms=["Angst"], text="<p>Night shift.</p>" * 50)
    headers = {"accept-encoding": encoding} if encoding else {}
    for url in _urls(work):
        client.get(url, headers=headers)
        early = client.get(url, headers=headers)
        whole = _through_the_stack().get(url, headers=headers)
        assert not early.templates and not whole.templates, url
        assert early.content == whole.content, url
        assert _headers(early) == _headers(whole), url
        assert {"Content-Security-Policy", "X-Frame-Options", "ETag"} <= early.headers.keys()


def _headers(response) -> dict:
    return {name: value for name, value in response.headers.items() if name != "Date"}


def test_the_policy_decides_every_request_even_when_the_page_is_cached(client):
    author = make_user("author")
    work = make_work(author, freeforms=["Angst"])
    url = f"/works/{work.pk}"
    client.get(url)
    assert not client.get(url).templates
    update_work(work=work, editor=author, metadata=make_metadata(restricted=True))
    restricted = client.get(url)
    assert restricted.status_code == 403 and "log in" in restricted.content.decode().lower()
    Work.objects.filter(pk=work.pk).delete()
    assert client.get(url).status_code == 404


def test_an_edit_shows_on_the_next_early_answer(client):
    author = make_user("author")
    work = make_work(author, text="<p>Before.</p>")
    chapter = work.chapters.get()
    url = f"/works/{work.pk}/chapters/{chapter.pk}"
    client.get(url)
    assert b"Before." in client.get(url).content
    edit_chapter(chapter=chapter, editor=author, content=ChapterContent(text="<p>After.</p>"))
    page = client.get(url)
    assert page.templates and b"After." in page.content and b"Before." not in page.content


def test_a_miss_asks_the_policy_once(client):
    work = make_work()
    chapter = work.chapters.get()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/works/{work.pk}/chapters/{chapter.pk}").templates
    gates = [q["sql"] for q in queries if "chapter_posted" in q["sql"]]
    assert len(gates) == 1


def test_guests_with_a_session_or_consent_and_other_methods_take_the_whole_stack(
    client, sessions_looked_at
):
    work = make_work(rating="mature", text="<p>Adult text.</p>")
    url = f"/works/{work.pk}"
    assert b"Adult text." in client.get(f"{url}?view_adult=true").content
    assert sessions_looked_at  # consenting starts a session
    sessions_looked_at.clear()
    assert b"Adult text." in client.get(url).content  # that guest's own variant
    assert sessions_looked_at == [url]
    sessions_looked_at.clear()
    guest = Client()
    assert b"could have adult content" in guest.get(url).content
    assert guest.head(url).status_code == 200
    assert guest.post(url).templates  # rendered, never taken from the cache
    assert len(sessions_looked_at) == 3


def test_an_unknown_host_is_refused_not_served_from_the_cache(client):
    work = make_work()
    client.get(f"/works/{work.pk}")
    assert client.get(f"/works/{work.pk}", headers={"host": "evil.example"}).status_code == 400
