"""Search results page by cursor past the numbered pages, in every sort, with facets counted
over the first results when a search finds many (search.results.FACET_SAMPLE)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from ficshelf.archive.synthetic import generate
from ficshelf.search import results, views
from ficshelf.search.forms import SORTS
from ficshelf.search.results import find_works
from ficshelf.works import keyset
from tests.works.pages import parse


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(keyset, "PER_PAGE", 5)
    monkeypatch.setattr(keyset, "NUMBERED_PAGES", 2)
    monkeypatch.setattr(keyset, "EXACT_TOTAL", 10)
    monkeypatch.setattr(results, "FACET_SAMPLE", 10)
    monkeypatch.setattr(views, "FACET_SAMPLE", 10)
    cache.clear()


@pytest.fixture
def archive(transactional_db):
    generate(works=40, seed=12)


def _ids(response) -> list[int]:
    return [
        int(a.attrs["href"].split("/")[2])
        for a in parse(response.content).select("li.work.blurb h4.heading a")
        if a.attrs["href"].startswith("/works/")
    ]


def _next(response) -> str | None:
    found = [a for a in parse(response.content).select("a") if a.attrs.get("rel") == "next"]
    return found[0].attrs["href"] if found else None


@pytest.mark.parametrize("sort", list(SORTS))
def test_every_sort_pages_through_all_results_once(client, small_pages, archive, sort):
    criteria = {"sort": sort, "q": [], "include": [], "exclude": []}
    expected = list(find_works(AnonymousUser(), criteria).values_list("pk", flat=True))
    seen, url = [], f"/works/search?sort={sort}"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen += _ids(response)
        following = _next(response)
        url = f"/works/search{following}" if following else None
    assert seen == expected
    assert len(expected) > 10  # past the numbered pages


def test_cursor_links_keep_the_filters(client, small_pages, archive):
    page2 = client.get("/works/search", {"include": "Fluff", "page": "2"})
    following = _next(page2)
    if following:
        assert following.startswith("?include=Fluff&after=")


def test_a_search_finding_many_counts_facets_among_the_first(client, small_pages, archive):
    text = parse(client.get("/works/search").content).text
    assert "More than 10 works found." in text
    assert "Counts among the first 10 works found." in text
    ratings = parse(client.get("/works/search").content).select(".search-facet")[0]
    counts = [int(li.text.split("(")[1].split(")")[0]) for li in ratings.select("li")]
    assert sum(counts) == 10


def test_a_search_finding_few_counts_exactly(client, small_pages, transactional_db):
    generate(works=8, seed=13)
    text = parse(client.get("/works/search").content).text
    assert "Counts among" not in text
    assert "More than" not in text
