"""Crossover filters (include / exclude / only), sorting by creator and by bookmarks, and
"more" on a facet."""

import pytest

from ficshelf.bookmarks.services import bookmark_work
from ficshelf.search.results import FACET_SIZE
from ficshelf.tags.models import Tag
from ficshelf.tags.services import merge_tag
from tests.factories import make_user, make_work, make_wrangler
from tests.search.conftest import found
from tests.works.pages import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def fandom_works():
    make_work(title="Only Lord of the Rings", fandoms=["Lord of the Rings"])
    make_work(title="Rings and Potter", fandoms=["Lord of the Rings", "Harry Potter"])
    make_work(title="Only Potter", fandoms=["Harry Potter"])


def test_crossovers_can_be_included_excluded_or_the_only_works_shown(client, fandom_works):
    every = {"Only Lord of the Rings", "Rings and Potter", "Only Potter"}
    assert set(found(client)) == every
    assert set(found(client, crossover="exclude")) == every - {"Rings and Potter"}
    assert found(client, crossover="only") == ["Rings and Potter"]
    assert found(client, include="Harry Potter", crossover="only") == ["Rings and Potter"]


def test_a_fandom_and_its_synonym_together_are_not_a_crossover(client, fandom_works):
    make_work(title="Twice the same fandom", fandoms=["Harry Potter", "HP"])
    assert set(found(client, crossover="only")) == {"Twice the same fandom", "Rings and Potter"}
    merge_tag(
        tag=Tag.objects.named("HP"),
        into=Tag.objects.named("Harry Potter"),
        wrangler=make_wrangler(),
        make_canonical=True,
    )
    assert found(client, crossover="only") == ["Rings and Potter"]


def test_an_unknown_crossover_choice_is_a_form_error_not_a_500(client):
    response = client.get("/works/search", {"crossover": "sideways"})
    assert response.status_code == 200
    assert "Nothing was searched" in response.content.decode()


def test_works_sort_by_their_first_creator_whatever_the_case(client):
    make_work(make_user("zelda"), title="By Zelda")
    make_work(make_user("Amelia"), title="By Amelia")
    make_work(make_user("bertrand"), title="By Bertrand")
    assert found(client, sort="creator") == ["By Amelia", "By Bertrand", "By Zelda"]


def test_works_sort_by_public_bookmarks(client):
    quiet = make_work(title="Quiet")
    loved = make_work(title="Loved")
    liked = make_work(title="Liked")
    for number in range(3):
        bookmark_work(user=make_user(f"fan{number}"), work=loved)
    bookmark_work(user=make_user("fan_liked"), work=liked)
    bookmark_work(user=make_user("secret_fan"), work=quiet, private=True)
    assert found(client, sort="bookmarks") == ["Loved", "Liked", "Quiet"]


def test_more_lists_the_rest_of_a_facet_and_fewer_goes_back(client):
    author = make_user("many_tags")
    tags = [f"Tag number {n:02}" for n in range(FACET_SIZE + 3)]
    make_work(author, title="Tagged a lot", freeforms=tags)
    page = parse(client.get("/works/search").content)
    freeform = next(
        s for s in page.select("section.search-facet") if "Additional tags" in s.one("h2").text
    )
    assert len(freeform.select("li")) == FACET_SIZE
    more = freeform.one("p.facet-more a")
    assert more.text == "More additional tags"

    expanded = parse(client.get("/works/search" + more.attrs["href"]).content)
    freeform = next(
        s for s in expanded.select("section.search-facet") if "Additional tags" in s.one("h2").text
    )
    assert len(freeform.select("li")) == FACET_SIZE + 3
    assert freeform.one("p.facet-more a").text == "Fewer additional tags"
    # Other facets stay at ten; a "more" that names no facet is ignored.
    assert client.get("/works/search?more=nonsense").status_code == 200
