"""The works list takes the search page's filters and finds exactly what it finds; cursors
walk it without a duplicate or a gap."""

import re

import pytest
from django.utils import timezone

from ficshelf.works.models import Work
from tests.api.conftest import api_get, ids
from tests.factories import make_work
from tests.works.pages import parse


@pytest.fixture
def library(author):
    make_work(author, title="One", relationships=["A/B"], freeforms=["Fluff"])
    make_work(author, title="Two", relationships=["A/B"], freeforms=["Angst"], rating="mature")
    make_work(author, title="Three", freeforms=["Fluff", "Angst"], rating="general")
    make_work(author, title="Four", fandoms=["Other Fandom"], freeforms=["Fluff"])
    make_work(author, title="Five", restricted=True, freeforms=["Fluff"])


def site_ids(client, **params) -> list[int]:
    response = client.get("/works/search", params)
    assert response.status_code == 200
    links = parse(response.content).select("li.work h4.heading a")
    hrefs = [a.attrs.get("href", "") for a in links]
    return [int(href.rsplit("/", 1)[1]) for href in hrefs if re.fullmatch(r"/works/\d+", href)]


QUERIES = [
    {},
    {"include": "Fluff"},
    {"include": "A/B", "exclude": "Angst"},
    {"exclude": "Angst, Other Fandom"},
    {"include": "Fluff", "rating": "general"},
    {"q": "Three"},
    {"include": "Fluff", "sort": "title"},
    {"sort": "words", "status": "in_progress"},
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_api_finds_what_the_search_page_finds(client, library, query):
    expected = site_ids(client, **query)
    assert expected  # each query finds something, so a match means something
    assert ids(api_get(client, "/works", **query)) == expected


def test_bad_filters_are_a_400_with_the_forms_messages(client, library):
    response = api_get(client, "/works", include="No Such Tag")
    assert response.status_code == 400
    assert "No tag is named" in response.json()["errors"]["include"][0]
    response = api_get(client, "/works", include="Fluff", exclude="Fluff")
    assert response.status_code == 400
    assert api_get(client, "/works", words_from="lots").status_code == 400
    assert api_get(client, "/works", sort="random").status_code == 400


@pytest.mark.parametrize("sort", ["updated", "title", "creator", "kudos", "posted"])
def test_cursor_pages_have_no_duplicates_and_no_gaps(client, author, sort):
    for number in range(7):
        make_work(author, title=f"Work {number % 3}")
    # Equal keys on several rows: the pk breaks the tie.
    Work.objects.update(revised_at=timezone.now())
    everything = ids(api_get(client, "/works", sort=sort, limit=100))
    assert len(everything) == 7
    seen, cursor = [], None
    while True:
        response = api_get(
            client, "/works", sort=sort, limit=3, **({"cursor": cursor} if cursor else {})
        )
        seen += ids(response)
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break
        assert response.json()["next"].startswith("http://testserver/api/v1/works?")
    assert seen == everything


def test_a_forged_or_foreign_cursor_is_a_400(client, author):
    for _ in range(3):
        make_work(author)
    cursor = api_get(client, "/works", limit=1).json()["next_cursor"]
    assert api_get(client, "/works", cursor=cursor + "x").status_code == 400
    assert api_get(client, "/works", cursor=cursor, sort="title").status_code == 400
    assert api_get(client, "/works", cursor=cursor).status_code == 200
