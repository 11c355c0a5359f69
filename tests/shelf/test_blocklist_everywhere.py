"""Blocking a tag makes its works vanish from every list the reader sees: one walk through
every listing, tag page, search, creator page, profile, series page, bookmark listing and
saved-search feed (the demo of issue 11, item 4)."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from ficshelf.shelf import searches
from ficshelf.tags.models import Tag
from tests.factories import make_user, make_work
from tests.shelf.test_blocklist import block, notice, titles

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]
ATOM = "{http://www.w3.org/2005/Atom}"
BLOCKED, KEPT = "Sad Harbour", "Warm Kitchen"


@pytest.fixture
def works(author):
    return [
        make_work(author, title=BLOCKED, freeforms=["Angst"], summary="<p>By the harbour.</p>"),
        make_work(author, title=KEPT, freeforms=["Fluff"], summary="<p>By the harbour.</p>"),
    ]


def _page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _series_url(works) -> str | None:
    from ficshelf.series.models import Series, SeriesCreatorship, SeriesPart

    series = Series.objects.create(title="Harbour Stories")
    SeriesCreatorship.objects.create(series=series, pseud=works[0].creatorships.get().pseud)
    for position, work in enumerate(works, start=1):
        SeriesPart.objects.create(series=series, work=work, position=position)
    try:
        url = series.get_absolute_url()
    except NoReverseMatch:
        return None
    return url if _resolves(url) else None


def test_a_blocked_tag_vanishes_from_every_list_the_reader_sees(client, reader, author, works):
    client.force_login(reader)
    assert block(client, "Angst").status_code == 302
    fandom_url = Tag.objects.named("Law & Order: Special Victims Unit").get_absolute_url()
    listings = [
        "/",
        "/works/",
        fandom_url,
        f"/users/{author.username}/works",
        f"/users/{author.username}/pseuds/{author.default_pseud.name}/works",
        "/works/search",
        "/works/search?q=harbour",
    ]
    for url in listings:
        assert titles(client, url) == [KEPT], url
        assert "1 work hidden by your filters." in notice(client, url), url
        # Asked to, the list shows them, and says so.
        assert BLOCKED in titles(client, url, show_hidden="1"), url
    # A tag page the blocked work was never on has nothing to hide.
    assert titles(client, "/tags/Fluff/works") == [KEPT]
    assert notice(client, "/tags/Fluff/works") == ""
    # The profile's and the pseud's recent works.
    for url in (
        f"/users/{author.username}",
        f"/users/{author.username}/pseuds/{author.default_pseud.name}",
    ):
        page = _page_text(client, url)
        assert KEPT in page and BLOCKED not in page, url
    # The blocked tag's own page and a search for it explain, rather than show nothing.
    for url in ("/tags/Angst/works", "/works/search?include=Angst"):
        assert titles(client, url) == [], url
        assert "Your filters hide all 1 work here." in notice(client, url), url
    # The saved search's feed.
    saved = searches.save_search(user=reader, name="Harbour", query="q=harbour")
    feed = client.get(f"/searches/{saved.pk}/feed.atom?token={searches.feed_token(saved)}")
    entries = [
        e.find(f"{ATOM}title").text
        for e in ET.fromstring(feed.content).iter(f"{ATOM}entry")  # noqa: S314
    ]
    assert entries == [KEPT]
    # Nobody else's lists change.
    client.force_login(make_user("bystander"))
    for url in listings:
        assert set(titles(client, url)) == {KEPT, BLOCKED}, url


@pytest.mark.skipif(
    not _resolves("/series/1"), reason="the series page (series:series) is not built yet"
)
def test_a_series_page_leaves_the_blocked_works_out(client, reader, works):
    url = _series_url(works)
    assert url is not None
    client.force_login(reader)
    block(client, "Angst")
    page = _page_text(client, url)
    assert KEPT in page and BLOCKED not in page
    # The series page says so with its own note (or, once it includes it, with ours).
    assert "hidden by your" in page


@pytest.mark.skipif(
    not _resolves("/users/someone/bookmarks"),
    reason="bookmark listings (/users/<name>/bookmarks) are not built yet",
)
def test_bookmark_listings_leave_the_blocked_works_out(client, reader, works):
    from ficshelf.bookmarks.models import Bookmark

    fan = make_user("fan")
    for work in works:
        Bookmark.objects.create(user=fan, pseud=fan.default_pseud, work=work)
    client.force_login(reader)
    block(client, "Angst")
    for url in (f"/users/{fan.username}/bookmarks", "/bookmarks"):
        if not _resolves(url):
            continue
        page = _page_text(client, url)
        assert KEPT in page and BLOCKED not in page, url
    assert reverse("shelf:blocklist") == "/blocklist"
