"""The tag fields of the posting form offer canonical tags as one types: a JSON endpoint that
answers by name prefix, canonical tags first, and a script the form works without."""

import pytest

from ficshelf.tags.models import TagKind
from ficshelf.tags.services import find_or_create_tag, merge_tag
from tests.factories import make_wrangler
from tests.works.pages import parse

pytestmark = pytest.mark.django_db


def _tag(kind, name, *, canonical=False):
    tag = find_or_create_tag(kind=kind, name=name)
    if canonical:
        tag.canonical = True
        tag.save(update_fields=["canonical"])
    return tag


def _names(client, **params) -> list[str]:
    response = client.get("/tags/autocomplete", params)
    assert response.status_code == 200
    return [tag["name"] for tag in response.json()["tags"]]


def test_canonical_tags_come_first_then_unwrangled_ones(client):
    _tag(TagKind.CHARACTER, "Olivia")
    _tag(TagKind.CHARACTER, "Olivia Benson", canonical=True)
    _tag(TagKind.CHARACTER, "Olive Oyl", canonical=True)
    _tag(TagKind.CHARACTER, "Elliot Stabler", canonical=True)
    assert _names(client, kind="character", term="oliv") == [
        "Olive Oyl",
        "Olivia Benson",
        "Olivia",
    ]


def test_only_tags_of_the_kind_asked_for_are_offered(client):
    _tag(TagKind.CHARACTER, "Olivia Benson", canonical=True)
    _tag(TagKind.FREEFORM, "Olivia Benson Appreciation", canonical=True)
    assert _names(client, kind="freeform", term="Olivia") == ["Olivia Benson Appreciation"]


def test_synonyms_are_not_offered(client):
    canonical = _tag(TagKind.RELATIONSHIP, "Alex/Olivia", canonical=True)
    synonym = _tag(TagKind.RELATIONSHIP, "Alex Cabot/Olivia Benson")
    merge_tag(wrangler=make_wrangler(), tag=synonym, into=canonical)
    assert _names(client, kind="relationship", term="alex") == ["Alex/Olivia"]


def test_a_non_ascii_prefix_matches_in_any_case(client):
    _tag(TagKind.CHARACTER, "Émile Zola", canonical=True)
    assert _names(client, kind="character", term="émi") == ["Émile Zola"]
    assert _names(client, kind="character", term="ÉMILE z") == ["Émile Zola"]


def test_at_most_ten_tags_are_offered(client):
    for number in range(15):
        _tag(TagKind.FREEFORM, f"Angst {number:02}", canonical=True)
    names = _names(client, kind="freeform", term="angst")
    assert names == [f"Angst {number:02}" for number in range(10)]


@pytest.mark.parametrize(
    "params",
    [{"kind": "warning", "term": "No"}, {"kind": "character"}, {"kind": "x", "term": "a"}],
)
def test_a_bad_request_is_answered_400_with_the_reason(client, params):
    response = client.get("/tags/autocomplete", params)
    assert response.status_code == 400
    assert "errors" in response.json()


def test_the_posting_forms_tag_fields_ask_for_autocomplete_and_work_without_it(author_client):
    page = parse(author_client.get("/works/new").content)
    kinds = {
        element.attrs["name"]: element.attrs.get("data-tag-autocomplete")
        for element in page.elements()
        if element.tag == "input" and "data-tag-autocomplete" in element.attrs
    }
    assert kinds == {
        "fandoms": "fandom",
        "relationships": "relationship",
        "characters": "character",
        "freeforms": "freeform",
    }
    scripts = [e.attrs.get("src") for e in page.elements() if e.tag == "script"]
    assert "/static/js/tag-autocomplete.js" in scripts
    assert all(scripts)  # no inline script: the CSP allows none
