"""Guests' pages come from the cache, and are never stale: every change shows on the next read."""

import gzip
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.session import SessionStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from ficshelf.tags.models import Tag
from ficshelf.works import pagecache
from ficshelf.works.models import CreatorInvitation, Work
from ficshelf.works.services import (
    ChapterContent,
    accept_creator_invitation,
    add_chapter,
    delete_work,
    edit_chapter,
    post_chapter,
    reorder_chapters,
    set_creators,
    update_work,
)
from tests.factories import add_co_creator, make_metadata, make_user, make_work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def _from_cache(response) -> bool:
    """Served without rendering a template: the test client records every template rendered."""
    return response.status_code == 200 and not response.templates


def _read(client, url: str, **headers):
    response = client.get(url, headers=headers)
    return response, response.content.decode()


def _cached(client, url: str) -> str:
    """Read `url` twice as a guest; the second read must come from the cache."""
    first = client.get(url)
    assert first.status_code == 200 and first.templates
    again = client.get(url)
    assert _from_cache(again), f"{url} was rendered again"
    return again.content.decode()


def _metadata(work: Work, **changes):
    """The work's metadata as its edit form would send it, with `changes`."""
    values = {
        "title": work.title,
        "fandoms": [t.name for t in work.fandoms],
        "rating": work.rating,
        "warnings": [t.name for t in work.warnings],
        "categories": [t.name for t in work.categories],
        "relationships": [t.name for t in work.relationships],
        "characters": [t.name for t in work.characters],
        "freeforms": [t.name for t in work.freeforms],
        "restricted": work.restricted,
    }
    values.update(changes)
    return make_metadata(**values)


# --- Served from the cache ------------------------------------------------------------------


def test_a_guests_second_read_is_served_from_the_cache_with_two_queries_at_most(client, author):
    work = make_work(author, chapters=2, title="Quiet Hours", freeforms=["Angst"])
    second = work.chapters.get(position=2)
    for url in [
        f"/works/{work.pk}",
        f"/works/{work.pk}?view_full_work=true",
        f"/works/{work.pk}/chapters/{second.pk}",
        f"/works/{work.pk}/navigate",
        "/works/",
        "/tags/Angst/works",
        "/users/author/works",
        "/users/author/pseuds/author/works",
    ]:
        rendered = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            cached = client.get(url)
        assert _from_cache(cached), url
        assert cached.content == rendered.content, url
        assert len(queries) <= 2, (url, [q["sql"] for q in queries])


def test_a_guest_reading_gets_no_session_cookie(client):
    work = make_work()
    client.get(f"/works/{work.pk}")
    client.get(f"/works/{work.pk}")
    assert "sessionid" not in client.cookies


# --- Never stale ------------------------------------------------------------------------------


def test_an_edited_chapter_shows_on_the_next_read(client, author):
    work = make_work(author, text="<p>The old words.</p>")
    chapter = work.chapters.get()
    urls = [f"/works/{work.pk}", f"/works/{work.pk}/chapters/{chapter.pk}"]
    for url in urls:
        assert "The old words." in _cached(client, url)
    edit_chapter(chapter=chapter, editor=author, content=ChapterContent(text="<p>New words.</p>"))
    for url in urls:
        page = client.get(url).content.decode()
        assert "New words." in page and "The old words." not in page


def test_a_new_chapter_shows_on_the_work_its_index_and_the_listings(client, author):
    work = make_work(author, title="Growing")
    for url in [f"/works/{work.pk}", f"/works/{work.pk}/navigate", "/works/"]:
        _cached(client, url)
    add_chapter(
        work=work, editor=author, content=ChapterContent(text="<p>More.</p>", title="Sequel")
    )
    assert "Next Chapter" in client.get(f"/works/{work.pk}").content.decode()
    assert "Sequel" in client.get(f"/works/{work.pk}/navigate").content.decode()
    assert "More." in client.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    assert '<dd class="chapters">2/?</dd>' in client.get("/works/").content.decode()


def test_a_draft_chapter_posted_shows_at_once(client, author):
    work = make_work(author)
    draft = add_chapter(
        work=work, editor=author, content=ChapterContent(text="<p>Later.</p>"), post=False
    )
    assert "Next Chapter" not in _cached(client, f"/works/{work.pk}")
    assert client.get(f"/works/{work.pk}/chapters/{draft.pk}").status_code == 404
    post_chapter(chapter=draft, editor=author)
    assert "Next Chapter" in client.get(f"/works/{work.pk}").content.decode()
    assert "Later." in client.get(f"/works/{work.pk}/chapters/{draft.pk}").content.decode()


def test_a_retagged_work_shows_its_new_tags_and_moves_between_tag_pages(client, author):
    work = make_work(author, freeforms=["Angst"])
    assert "Angst" in _cached(client, f"/works/{work.pk}")
    assert work.title in _cached(client, "/tags/Angst/works")
    assert "Angst" in _cached(client, "/works/")
    update_work(work=work, editor=author, metadata=_metadata(work, freeforms=["Fluff"]))
    assert "Fluff" in client.get(f"/works/{work.pk}").content.decode()
    assert work.title not in client.get("/tags/Angst/works").content.decode()
    assert work.title in client.get("/tags/Fluff/works").content.decode()
    index = client.get("/works/").content.decode()
    assert "Fluff" in index and "Angst" not in index


def test_a_restricted_work_asks_the_guest_to_log_in_at_once(client, author):
    work = make_work(author, title="Soon Hidden", text="<p>Members soon.</p>")
    _cached(client, f"/works/{work.pk}")
    _cached(client, "/works/")
    update_work(work=work, editor=author, metadata=_metadata(work, restricted=True))
    response = client.get(f"/works/{work.pk}")
    assert response.status_code == 403
    assert "Members soon." not in response.content.decode()
    assert "Soon Hidden" not in client.get("/works/").content.decode()


def test_a_deleted_work_is_gone_at_once(client, author):
    work = make_work(author, title="Going Away", chapters=2)
    second = work.chapters.get(position=2)
    urls = [f"/works/{work.pk}", f"/works/{work.pk}/chapters/{second.pk}"]
    for url in [*urls, "/works/", "/users/author/works"]:
        _cached(client, url)
    delete_work(work=work, editor=author)
    for url in urls:
        assert client.get(url).status_code == 404
    assert "Going Away" not in client.get("/works/").content.decode()
    assert "Going Away" not in client.get("/users/author/works").content.decode()


def test_a_new_title_shows_on_every_page_of_the_work_and_in_the_listings(client, author):
    work = make_work(author, title="Old Title", chapters=2)
    second = work.chapters.get(position=2)
    urls = [
        f"/works/{work.pk}",
        f"/works/{work.pk}/chapters/{second.pk}",
        f"/works/{work.pk}/navigate",
        "/works/",
        "/users/author/works",
    ]
    for url in urls:
        assert "Old Title" in _cached(client, url)
    update_work(work=work, editor=author, metadata=_metadata(work, title="New Title"))
    for url in urls:
        page = client.get(url).content.decode()
        assert "New Title" in page and "Old Title" not in page, url


def test_a_co_creator_shows_in_the_byline_and_on_their_own_works_page(client, author):
    partner = make_user("partner")
    work = make_work(author, title="Together")
    assert "partner" not in _cached(client, f"/works/{work.pk}")
    assert "Together" not in _cached(client, "/users/partner/works")
    set_creators(work=work, editor=author, pseuds=[author.default_pseud, partner.default_pseud])
    # Invited, not credited yet: nothing shows.
    assert (
        'href="/users/partner/pseuds/partner"'
        not in client.get(f"/works/{work.pk}").content.decode()
    )
    invitation = CreatorInvitation.objects.get(work=work)
    accept_creator_invitation(invitation=invitation, user=partner)
    byline = client.get(f"/works/{work.pk}").content.decode()
    assert 'href="/users/partner/pseuds/partner"' in byline
    assert "Together" in client.get("/users/partner/works").content.decode()


def test_reordered_chapters_show_in_their_new_order(client, author):
    work = make_work(author, chapters=3)
    first, second, third = work.chapters.order_by("position")
    index_url = f"/works/{work.pk}/navigate"
    _cached(client, index_url)
    assert "Chapter 2 text." in _cached(client, f"/works/{work.pk}/chapters/{second.pk}")
    assert "The first chapter" in _cached(client, f"/works/{work.pk}")
    reorder_chapters(work=work, editor=author, chapter_ids=[third.pk, first.pk, second.pk])
    assert "Chapter 3 text." in client.get(f"/works/{work.pk}").content.decode()
    page = client.get(f"/works/{work.pk}/chapters/{second.pk}").content.decode()
    assert 'id="chapter-3"' in page and "Next Chapter" not in page
    index = client.get(index_url).content.decode()
    assert index.index("1. Part 3") < index.index("2. Chapter 2") < index.index("3. Part 2")


def test_a_new_work_shows_on_the_index_and_its_tag_page(client, author):
    make_work(author, title="First", freeforms=["Shared"])
    _cached(client, "/works/")
    _cached(client, "/tags/Shared/works")
    make_work(author, title="Second", freeforms=["Shared"])
    assert "Second" in client.get("/works/").content.decode()
    assert "Second" in client.get("/tags/Shared/works").content.decode()


def test_a_pseud_renamed_outside_the_services_shows_in_the_byline(client, author):
    work = make_work(author)
    _cached(client, f"/works/{work.pk}")
    pseud = author.default_pseud
    pseud.name = "Renamed"
    pseud.save()  # as the admin does
    assert "Renamed" in client.get(f"/works/{work.pk}").content.decode()


def test_a_tag_renamed_outside_the_services_shows_on_its_works_and_lists(client, author):
    work = make_work(author, freeforms=["Angst"])
    assert "Angst" in _cached(client, f"/works/{work.pk}")
    _cached(client, "/tags/Angst/works")
    tag = Tag.objects.get(name="Angst")
    tag.name = "Hurt/Comfort"
    tag.save()  # as tag wrangling will
    assert "Hurt/Comfort" in client.get(f"/works/{work.pk}").content.decode()
    assert client.get("/tags/Angst/works").status_code == 404
    assert work.title in client.get("/tags/Hurt*s*Comfort/works").content.decode()


def test_a_deleted_account_leaves_its_works_pages_and_lists_at_once(client, author):
    partner = make_user("partner")
    work = make_work(author, title="Shared Work")
    add_co_creator(work, by=author, user=partner)
    assert 'href="/users/partner/pseuds/partner"' in _cached(client, f"/works/{work.pk}")
    _cached(client, "/users/partner/works")
    partner.delete()  # as the admin does
    assert 'href="/users/partner' not in client.get(f"/works/{work.pk}").content.decode()
    assert client.get("/users/partner/works").status_code == 404


def test_the_pages_of_each_list_are_cached_apart(client, author):
    for number in range(21):
        make_work(author, title=f"Work number {number}")
    assert "Work number 20" in _cached(client, "/works/")
    page_two = _cached(client, "/works/?page=2")
    assert "Work number 0" in page_two and "Work number 20" not in page_two
    # A page number Django's paginator cannot read is the first page, as the view shows it.
    assert "Work number 20" in client.get("/works/?page=two").content.decode()


# --- Who gets which page --------------------------------------------------------------------


def test_guests_with_and_without_adult_consent_get_their_own_variant(client, author):
    work = make_work(author, rating="explicit", text="<p>Adult text.</p>")
    url = f"/works/{work.pk}"
    consenting = type(client)()
    assert "Adult text." in consenting.get(f"{url}?view_adult=true").content.decode()
    assert _from_cache(consenting.get(url))
    for _ in range(2):
        page = client.get(url).content.decode()
        assert "This work could have adult content" in page and "Adult text." not in page
    assert "Adult text." in consenting.get(url).content.decode()


def test_the_response_that_starts_a_guests_session_is_private(client):
    work = make_work(rating="mature")
    response = client.get(f"/works/{work.pk}?view_adult=true")
    assert "sessionid" in response.cookies
    assert "private" in response["Cache-Control"]


def test_a_logged_in_reader_never_gets_a_guests_cached_page(client, author, reader):
    work = make_work(author)
    _cached(client, f"/works/{work.pk}")
    _cached(client, "/works/")
    client.force_login(reader)
    for url in [f"/works/{work.pk}", "/works/"]:
        response = client.get(url)
        assert response.templates, url
        assert 'href="/users/reader"' in response.content.decode()


def test_a_logged_in_readers_page_is_never_given_to_a_guest(client, author, reader):
    work = make_work(author)
    client.force_login(reader)
    client.get(f"/works/{work.pk}")
    client.get(f"/works/{work.pk}")
    client.logout()
    response = client.get(f"/works/{work.pk}")
    assert response.templates  # rendered for the guest: nothing was kept from the reader's
    assert "reader" not in response.content.decode()


def test_a_guest_with_a_message_to_show_gets_a_fresh_page_that_is_not_kept(client, author):
    work = make_work(author)
    url = f"/works/{work.pk}"
    _cached(client, url)
    client.force_login(author)
    client.post("/users/logout")
    shown = client.get(url)
    assert "You have been logged out." in shown.content.decode()
    assert shown.templates
    later = type(client)().get(url)
    assert "You have been logged out." not in later.content.decode()


def test_a_page_that_used_a_csrf_token_or_a_cookie_is_not_kept():
    def request():
        made = RequestFactory().get("/works/1")
        made.user = AnonymousUser()
        made.session = SessionStore()
        made._messages = SessionStorage(made)
        return made

    renders = []

    def with_token(made):
        renders.append(made)
        return HttpResponse(f"<form>{get_token(made)}</form>")

    page = pagecache.Page(("test", "token"), timezone.now())
    for _ in range(2):
        made = request()
        response = pagecache.serve(made, page, lambda made=made: with_token(made))
        assert "private" in response["Cache-Control"] and "ETag" not in response
    assert len(renders) == 2

    def with_cookie():
        response = HttpResponse("Hello")
        response.set_cookie("seen", "1")
        renders.append(None)
        return response

    page = pagecache.Page(("test", "cookie"), timezone.now())
    for _ in range(2):
        pagecache.serve(request(), page, with_cookie)
    assert len(renders) == 4


# --- Headers: caching by browsers and proxies, compression ----------------------------------


def test_a_guests_page_may_be_kept_by_browsers_and_proxies_but_is_asked_for_every_time(client):
    work = make_work()
    for response in [client.get(f"/works/{work.pk}"), client.get(f"/works/{work.pk}")]:
        assert set(response["Cache-Control"].split(", ")) == {
            "public",
            "max-age=0",
            "must-revalidate",
        }
        assert "Cookie" in response["Vary"]
        assert response["ETag"].startswith('"')


def test_a_logged_in_readers_page_is_private_with_no_validators(client, reader):
    work = make_work()
    client.force_login(reader)
    response = client.get(f"/works/{work.pk}")
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-cache"}
    assert "ETag" not in response and "Last-Modified" not in response
    assert "Cookie" in response["Vary"]


def test_an_unchanged_page_is_not_modified_for_its_etag(client, author):
    work = make_work(author)
    url = f"/works/{work.pk}"
    etag = client.get(url)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag and "public" in response["Cache-Control"]
    assert len(queries) <= 1
    # Compressed pages carry a weak ETag (GZipMiddleware), which matches as well.
    assert client.get(url, headers={"if-none-match": f"W/{etag}"}).status_code == 304


def test_a_changed_work_gives_200_with_a_new_etag(client, author):
    work = make_work(author, text="<p>Before.</p>")
    url = f"/works/{work.pk}"
    etag = client.get(url)["ETag"]
    edit_chapter(
        chapter=work.chapters.get(), editor=author, content=ChapterContent(text="<p>After.</p>")
    )
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "After." in response.content.decode()


def test_an_unchanged_list_is_not_modified_until_a_work_is_posted(client, author):
    make_work(author, title="First")
    etag = client.get("/works/")["ETag"]
    assert client.get("/works/", headers={"if-none-match": etag}).status_code == 304
    make_work(author, title="Second")
    response = client.get("/works/", headers={"if-none-match": etag})
    assert response.status_code == 200 and "Second" in response.content.decode()


def test_an_unchanged_page_is_not_modified_since_its_last_modified(client, author, monkeypatch):
    monkeypatch.setattr(pagecache, "STARTED_AT", timezone.now() - timedelta(days=2))
    work = make_work(author)
    Work.objects.filter(pk=work.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    url = f"/works/{work.pk}"
    last_modified = client.get(url)["Last-Modified"]
    response = client.get(url, headers={"if-modified-since": last_modified})
    assert response.status_code == 304
    update_work(work=work, editor=author, metadata=_metadata(work, title="Changed"))
    response = client.get(url, headers={"if-modified-since": last_modified})
    assert response.status_code == 200
    assert "Changed" in response.content.decode()


def test_a_page_changed_in_the_last_seconds_has_no_last_modified(client, author, monkeypatch):
    """Two changes in one second would share an HTTP date: only the ETag can tell them."""
    monkeypatch.setattr(pagecache, "STARTED_AT", timezone.now() - timedelta(days=2))
    work = make_work(author)
    response = client.get(f"/works/{work.pk}")
    assert "Last-Modified" not in response and "ETag" in response
    a_second_ago = http_date((timezone.now() - timedelta(seconds=1)).timestamp())
    response = client.get(f"/works/{work.pk}", headers={"if-modified-since": a_second_ago})
    assert response.status_code == 200


def test_a_logged_in_reader_is_never_answered_not_modified(client, author, reader):
    work = make_work(author)
    etag = client.get(f"/works/{work.pk}")["ETag"]
    client.force_login(reader)
    response = client.get(f"/works/{work.pk}", headers={"if-none-match": etag})
    assert response.status_code == 200


def test_pages_are_compressed_for_browsers_that_accept_gzip(client):
    work = make_work(text="<p>" + "A long night at the precinct. " * 200 + "</p>")
    url = f"/works/{work.pk}"
    bodies = []
    for _ in range(2):  # rendered, then from the cache (kept compressed)
        response = client.get(url, headers={"accept-encoding": "gzip, deflate"})
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert response["ETag"].startswith('W/"')
        bodies.append(gzip.decompress(response.content))
    plain = client.get(url)
    assert _from_cache(plain) and "Content-Encoding" not in plain
    assert bodies[0] == bodies[1] == plain.content
    assert b"A long night at the precinct." in plain.content


# --- One render per key -----------------------------------------------------------------------


def _lock_for(client, url: str) -> str:
    """The render lock of `url`'s cache key, as the first guest's request takes it."""
    taken = []
    real_add = cache.add

    def add(key, *args, **kwargs):
        taken.append(key)
        return real_add(key, *args, **kwargs)

    cache.add = add
    try:
        client.get(url)
    finally:
        del cache.add
    cache.clear()
    (lock,) = [key for key in taken if key.endswith(":rendering")]
    return lock


def test_a_guest_waits_for_the_render_another_request_is_making(client, monkeypatch):
    work = make_work(text="<p>Rendered once.</p>")
    url = f"/works/{work.pk}"
    lock = _lock_for(client, url)
    key = lock.removesuffix(":rendering")
    client.get(url)
    page = cache.get(key)
    cache.clear()
    cache.add(lock, 1, 30)  # another request is rendering this page
    polls = []

    def sleep(seconds):
        polls.append(seconds)
        cache.set(key, page)  # ...and keeps it while this one waits

    monkeypatch.setattr(pagecache.time, "sleep", sleep)
    response = client.get(url)
    assert _from_cache(response) and len(polls) == 1
    assert b"Rendered once." in response.content


def test_a_guest_renders_the_page_itself_when_the_other_render_is_slow(client, monkeypatch):
    work = make_work(text="<p>Rendered anyway.</p>")
    url = f"/works/{work.pk}"
    lock = _lock_for(client, url)
    cache.add(lock, 1, 30)
    monkeypatch.setattr(pagecache, "WAIT_SECONDS", 0.2)
    monkeypatch.setattr(pagecache, "POLL_SECONDS", 0.01)
    response = client.get(url)
    assert response.templates and b"Rendered anyway." in response.content


def test_a_warm_guest_page_renders_no_template(client, author):
    work = make_work(author, chapters=3)
    url = f"/works/{work.pk}?view_full_work=true"
    assert client.get(url).templates
    assert client.get(url).templates == []


def test_a_guest_without_gzip_gets_the_page_the_cache_holds_and_never_an_older_one(client, author):
    work = make_work(author, text="<p>" + "The first version. " * 200 + "</p>")
    chapter = work.chapters.get()
    url = f"/works/{work.pk}"
    client.get(url)
    first, again = client.get(url), client.get(url)  # decompressed once, then kept
    assert _from_cache(first) and _from_cache(again) and first.content == again.content
    cache.clear()  # the cache no longer holds it: rendered, never answered from the kept copy
    assert client.get(url).templates
    edit_chapter(
        chapter=chapter, editor=author, content=ChapterContent(text="<p>The second version.</p>")
    )
    client.get(url)
    page = client.get(url)
    assert _from_cache(page) and b"The second version." in page.content
    assert b"The first version." not in page.content


def test_one_guest_takes_over_a_render_whose_server_died_and_the_others_wait_for_it(
    client, monkeypatch
):
    work = make_work(text="<p>Taken over.</p>")
    url = f"/works/{work.pk}"
    lock = _lock_for(client, url)
    monkeypatch.setattr(pagecache, "WAIT_SECONDS", 0.2)
    monkeypatch.setattr(pagecache, "POLL_SECONDS", 0.01)
    cache.add(lock, 1, 30)  # left by a server killed while rendering the page
    response = client.get(url)  # waits, then renders it in the dead one's place
    assert response.templates and b"Taken over." in response.content
    key = lock.removesuffix(":rendering")
    page = cache.get(key)
    cache.clear()
    cache.add(lock, 1, 30)
    cache.add(f"{lock}:again", 1, 30)  # another guest took it over and is rendering it
    polls = []

    def sleep(seconds):
        polls.append(seconds)
        if len(polls) == 3:
            cache.set(key, page)  # ...and keeps it while this one waits

    monkeypatch.setattr(pagecache.time, "sleep", sleep)
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: len(polls) * 0.15)
    response = client.get(url)
    assert _from_cache(response) and b"Taken over." in response.content
