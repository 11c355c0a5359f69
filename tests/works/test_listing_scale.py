"""Lists of works cost the same at any depth (works.keyset): numbered pages first, then cursors
that seek on the index serving the order; no full count; the blurbs' data read for the shown
works only. The page sizes are made small here so that a few hundred works reach the cursors."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ficshelf.archive.synthetic import generate
from ficshelf.works import keyset
from ficshelf.works.models import Work
from ficshelf.works.reading import Way
from tests.works.pages import parse


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(keyset, "PER_PAGE", 5)
    monkeypatch.setattr(keyset, "NUMBERED_PAGES", 3)
    monkeypatch.setattr(keyset, "EXACT_TOTAL", 15)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def archive(transactional_db):
    generate(works=60, seed=5)
    # Ties on the sort key: the id decides, on every page boundary.
    tied = list(Work.objects.filter(posted=True).order_by("pk").values_list("pk", flat=True))
    Work.objects.filter(pk__in=tied[10:22]).update(revised_at=timezone.now())


def _listed(works):
    return list(works.newest_updated_first().values_list("pk", flat=True))


def _ids(response) -> list[int]:
    page = parse(response.content)
    return [
        int(a.attrs["href"].split("/")[2])
        for a in page.select("li.work.blurb h4.heading a")
        if a.attrs["href"].startswith("/works/")
    ]


def _link(response, rel: str) -> str | None:
    found = [a for a in parse(response.content).select("a") if a.attrs.get("rel") == rel]
    return found[0].attrs["href"] if found else None


def _walk(client, path: str) -> tuple[list[int], list[str]]:
    """Every work listed, following Next from the first page; and the links followed."""
    seen, links, url = [], [], path
    while url is not None:
        response = client.get(url)
        assert response.status_code == 200
        seen += _ids(response)
        following = _link(response, "next")
        url = f"{path}{following}" if following else None
        links.append(following or "")
    return seen, links


def test_following_next_lists_every_work_once_in_order(client, small_pages, archive):
    expected = _listed(Work.objects.visible_to(AnonymousUser(), Way.LIST).posted())
    seen, links = _walk(client, "/works/")
    assert seen == expected
    # Numbered pages first (AO3's), then cursors.
    assert links[0] == "?page=2" and links[1] == "?page=3"
    assert links[2].startswith("?after=")


def test_previous_goes_back_through_the_same_pages(client, small_pages, archive):
    pages, url = [], "/works/"
    while url:
        response = client.get(url)
        pages.append(_ids(response))
        following = _link(response, "next")
        url = f"/works/{following}" if following else None
    back = []
    while True:
        back.append(_ids(response))
        previous = _link(response, "prev")
        if previous is None:
            break
        response = client.get(f"/works/{previous}")
    assert back == pages[::-1]


def test_a_long_list_shows_an_estimated_total_marked_as_such(client, small_pages, archive):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    text = parse(client.get("/works/").content).text
    assert "About " in text or "More than 15 works" in text
    assert "Page 1 of" not in text


def test_a_short_list_is_counted_exactly(client, small_pages, transactional_db):
    generate(works=12, seed=6)
    shown = Work.objects.visible_to(AnonymousUser(), Way.LIST).posted().count()
    text = parse(client.get("/works/").content).text
    assert f"{shown} works, newest updated first" in text
    assert f"Page 1 of {-(-shown // 5)}" in text


@pytest.mark.parametrize("cursor", ["garbage", "WyIyMDEzIiw5NCw5NjRd:1xYURg:bad", "", "%00"])
def test_a_forged_or_broken_cursor_gives_the_first_page(client, small_pages, archive, cursor):
    first = client.get("/works/")
    for name in ("after", "before"):
        response = client.get("/works/", {name: cursor})
        assert response.status_code == 200
        assert _ids(response) == _ids(first)


def test_a_tag_page_walks_by_cursor_too(client, small_pages, archive):
    from ficshelf.tags.models import Tag, tag_to_param
    from ficshelf.works.models import FilterTagging

    tag = Tag.objects.get(name="Fluff")
    path = f"/tags/{tag_to_param(tag.name)}/works"
    expected = _listed(
        Work.objects.visible_to(AnonymousUser(), Way.LIST)
        .posted()
        .filter(pk__in=FilterTagging.objects.filter(tag=tag).values("work"))
    )
    assert _walk(client, path)[0] == expected


def _queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_deep_pages_make_as_many_queries_as_the_first(client, small_pages, archive):
    """At 1 work and at 50, on the first page and on a cursor page."""
    first = _queries(client, "/works/")
    _, links = _walk(client, "/works/")
    deep = _queries(client, f"/works/{links[-2]}")
    assert deep <= first + 1  # a cursor page reads the estimate instead of page numbers


def test_the_query_count_is_the_same_at_one_and_at_fifty_works(client, transactional_db):
    generate(works=1, seed=8)
    one = _queries(client, "/works/")
    generate(works=49, seed=9)
    assert Work.objects.count() == 50
    assert _queries(client, "/works/") == one


def test_the_listing_order_is_served_by_an_index(transactional_db):
    generate(works=30, seed=10)
    works = Work.objects.visible_to(AnonymousUser(), Way.LIST).posted()
    keys = works.annotate(_key=keyset.NEWEST_UPDATED.key).order_by(
        *keyset.NEWEST_UPDATED.order_by()
    )
    last = keys.values_list("pk", "_key")[4]
    seek = keys.filter(keyset.NEWEST_UPDATED.beyond(last[1], last[0])).values_list("pk")[:21]
    for query in (keys.values_list("pk")[:21], seek):
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET enable_seqscan = off")  # 30 rows: make it show its choice
                cursor.execute(f"EXPLAIN {sql}", params)
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            if connection.vendor == "postgresql":
                cursor.execute("RESET enable_seqscan")
        assert "work_listing_order" in plan
        assert "TEMP B-TREE" not in plan and "Sort" not in plan
