"""Wranglers make tags canonical, merge synonyms and place tags under parents; every change is
logged; readers cannot wrangle; the wrangling pages suggest likely synonyms."""

import html
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from ficshelf.tags.models import Tag, TagKind, TagParent, WranglingChange
from ficshelf.tags.services import (
    add_parent,
    find_or_create_tag,
    make_canonical,
    make_not_canonical,
    merge_tag,
    remove_parent,
    unmerge_tag,
)
from ficshelf.tags.suggestions import suggest_synonyms
from tests.factories import make_user, make_work, make_wrangler

pytestmark = pytest.mark.django_db

SVU = "Law & Order: Special Victims Unit"


@pytest.fixture
def wrangler(db):
    return make_wrangler()


@pytest.fixture
def wrangler_client(client, wrangler):
    client.force_login(wrangler)
    return client


def _tag(kind, name, *, canonical=False):
    tag = find_or_create_tag(kind=kind, name=name)
    if canonical:
        tag.canonical = True
        tag.save(update_fields=["canonical"])
    return tag


def _text(response) -> str:
    """The page's text as a reader sees it, one space between the pieces."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


# --- Who may wrangle -------------------------------------------------------------------------


def test_a_reader_cannot_wrangle(client):
    tag = _tag(TagKind.CHARACTER, "Olivia")
    reader = make_user("reader")
    client.force_login(reader)
    assert client.get("/tags/Olivia/edit").status_code == 403
    assert client.post("/tags/Olivia/edit", {"action": "canonical"}).status_code == 403
    assert client.get("/tags/wrangling").status_code == 403
    assert client.get(f"/tags/{SVU.replace('&', '*a*')}/wrangle").status_code == 403
    tag.refresh_from_db()
    assert not tag.canonical
    with pytest.raises(PermissionDenied):
        make_canonical(wrangler=reader, tag=tag)


def test_a_guest_is_asked_to_log_in_before_wrangling(client):
    _tag(TagKind.CHARACTER, "Olivia")
    response = client.get("/tags/Olivia/edit")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_superuser_wrangles_without_joining_the_group(client):
    from tests.factories import make_account

    admin = make_account("admin", is_superuser=True, is_staff=True)
    tag = _tag(TagKind.CHARACTER, "Olivia")
    assert make_canonical(wrangler=admin, tag=tag).canonical


# --- The rules ---------------------------------------------------------------------------------


def test_every_change_is_logged_with_who_made_it(wrangler):
    olivia = _tag(TagKind.CHARACTER, "Olivia Benson")
    liv = _tag(TagKind.CHARACTER, "Liv")
    fandom = _tag(TagKind.FANDOM, SVU, canonical=True)
    make_canonical(wrangler=wrangler, tag=olivia)
    merge_tag(wrangler=wrangler, tag=liv, into=olivia)
    add_parent(wrangler=wrangler, tag=olivia, parent=fandom)
    remove_parent(wrangler=wrangler, tag=olivia, parent=fandom)
    unmerge_tag(wrangler=wrangler, tag=liv)
    changes = [
        (c.tag.name, c.action, c.other.name if c.other else None, c.wrangler.username)
        for c in WranglingChange.objects.order_by("pk")
    ]
    assert changes == [
        ("Olivia Benson", "canonical", None, "wrangler"),
        ("Liv", "merged", "Olivia Benson", "wrangler"),
        ("Olivia Benson", "parent_added", SVU, "wrangler"),
        ("Olivia Benson", "parent_removed", SVU, "wrangler"),
        ("Liv", "unmerged", "Olivia Benson", "wrangler"),
    ]
    assert all(c.created_at for c in WranglingChange.objects.all())


def test_only_a_canonical_tag_of_the_same_kind_takes_synonyms(wrangler):
    liv = _tag(TagKind.CHARACTER, "Liv")
    olivia = _tag(TagKind.CHARACTER, "Olivia Benson")
    with pytest.raises(ValidationError, match="not canonical"):
        merge_tag(wrangler=wrangler, tag=liv, into=olivia)
    fandom = _tag(TagKind.FANDOM, SVU, canonical=True)
    with pytest.raises(ValidationError, match="Fandom tag"):
        merge_tag(wrangler=wrangler, tag=liv, into=fandom)
    merge_tag(wrangler=wrangler, tag=liv, into=olivia, make_canonical=True)
    olivia.refresh_from_db()
    liv.refresh_from_db()
    assert olivia.canonical and liv.merger == olivia and not liv.canonical


def test_a_synonym_is_never_canonical_nor_a_target(wrangler):
    olivia = _tag(TagKind.CHARACTER, "Olivia Benson", canonical=True)
    liv = _tag(TagKind.CHARACTER, "Liv")
    merge_tag(wrangler=wrangler, tag=liv, into=olivia)
    with pytest.raises(ValidationError, match="unmerge it first"):
        make_canonical(wrangler=wrangler, tag=liv)
    with pytest.raises(ValidationError, match="itself a synonym"):
        merge_tag(wrangler=wrangler, tag=_tag(TagKind.CHARACTER, "Benson"), into=liv)
    liv.canonical = True
    with pytest.raises(IntegrityError), transaction.atomic():
        liv.save(update_fields=["canonical"])


def test_merging_a_canonical_moves_its_synonyms_and_parents_to_the_new_canonical(wrangler):
    fandom = _tag(TagKind.FANDOM, SVU, canonical=True)
    old = _tag(TagKind.CHARACTER, "Olivia", canonical=True)
    liv = _tag(TagKind.CHARACTER, "Liv")
    merge_tag(wrangler=wrangler, tag=liv, into=old)
    add_parent(wrangler=wrangler, tag=old, parent=fandom)
    new = _tag(TagKind.CHARACTER, "Olivia Benson", canonical=True)
    merge_tag(wrangler=wrangler, tag=old, into=new)
    liv.refresh_from_db()
    old.refresh_from_db()
    assert liv.merger == new and old.merger == new and not old.canonical
    assert list(new.parents.all()) == [fandom]
    assert not old.parents.exists()
    with pytest.raises(ValidationError, match="has synonyms"):
        make_not_canonical(wrangler=wrangler, tag=new)


def test_a_parent_must_be_canonical_of_a_fitting_kind_and_make_no_loop(wrangler):
    svu = _tag(TagKind.FANDOM, SVU)
    olivia = _tag(TagKind.CHARACTER, "Olivia Benson", canonical=True)
    with pytest.raises(ValidationError, match="not canonical"):
        add_parent(wrangler=wrangler, tag=olivia, parent=svu)
    make_canonical(wrangler=wrangler, tag=svu)
    with pytest.raises(ValidationError, match="cannot be above"):
        add_parent(wrangler=wrangler, tag=svu, parent=olivia)
    law_and_order = _tag(TagKind.FANDOM, "Law & Order", canonical=True)
    add_parent(wrangler=wrangler, tag=svu, parent=law_and_order)
    with pytest.raises(ValidationError, match="loop"):
        add_parent(wrangler=wrangler, tag=law_and_order, parent=svu)
    warning = find_or_create_tag(kind=TagKind.WARNING, name="No Archive Warnings Apply")
    with pytest.raises(ValidationError, match="fixed tags"):
        make_not_canonical(wrangler=wrangler, tag=warning)
    assert TagParent.objects.count() == 1


# --- The pages --------------------------------------------------------------------------------


def test_a_wrangler_merges_a_tag_from_its_page(wrangler_client):
    _tag(TagKind.RELATIONSHIP, "Alex/Olivia", canonical=True)
    _tag(TagKind.RELATIONSHIP, "Olivia/Alex")
    page = wrangler_client.get("/tags/Olivia*s*Alex/edit")
    assert page.status_code == 200 and "Unwrangled" in _text(page)
    response = wrangler_client.post(
        "/tags/Olivia*s*Alex/edit", {"action": "merge", "other": "alex/olivia"}
    )
    assert response.status_code == 302
    page = wrangler_client.get(response["Location"])
    assert "Synonym of Alex/Olivia" in _text(page)
    assert "made a synonym of “Alex/Olivia”" in _text(page)


def test_a_refused_change_is_explained_on_the_page(wrangler_client):
    _tag(TagKind.CHARACTER, "Liv")
    _tag(TagKind.CHARACTER, "Olivia Benson")
    response = wrangler_client.post("/tags/Liv/edit", {"action": "merge", "other": "Olivia Benson"})
    assert response.status_code == 400
    assert "only a canonical tag has synonyms" in _text(response)
    response = wrangler_client.post("/tags/Liv/edit", {"action": "merge", "other": "Nobody"})
    assert "There is no tag named “Nobody”." in _text(response)


def test_a_fandoms_bin_lists_its_unwrangled_tags_and_puts_them_under_it(wrangler_client):
    fandom = _tag(TagKind.FANDOM, SVU, canonical=True)
    make_work(title="One", characters=["Olivia Benson", "Olivia"], freeforms=["Angst"])
    make_work(title="Two", characters=["Olivia Benson"])
    make_work(title="Elsewhere", fandoms=["Sherlock"], characters=["John Watson"])
    bin_url = fandom.get_bin_url()
    page = _text(wrangler_client.get(bin_url))
    assert "Olivia Benson 2" in page and "Olivia 1" in page and "Angst 1" in page
    assert "John Watson" not in page
    assert "Olivia Olivia Benson" in page  # a first name suggested as the full name's synonym
    response = wrangler_client.post(
        "/tags/Olivia Benson/edit",
        {"action": "add_parent", "other": SVU, "next": bin_url},
    )
    assert response["Location"] == bin_url
    assert "Olivia Benson 2" not in _text(wrangler_client.get(bin_url))
    home = _text(wrangler_client.get("/tags/wrangling"))
    assert f"{SVU} 2" in home  # "Olivia" and "Angst" still wait


def test_accepting_a_suggestion_merges_the_tags(wrangler_client):
    _tag(TagKind.FANDOM, SVU, canonical=True)
    make_work(relationships=["Alex/Olivia", "Alex/Olivia"])
    make_work(relationships=["Alex/Olivia"])
    make_work(relationships=["Olivia/Alex"])
    wrangler_client.post(
        "/tags/Olivia*s*Alex/edit",
        {"action": "merge", "other": "Alex/Olivia", "make_canonical": "on"},
    )
    alex_olivia = Tag.objects.named("Alex/Olivia")
    assert alex_olivia.canonical
    assert Tag.objects.named("Olivia/Alex").merger == alex_olivia


# --- Suggestions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name", "other", "reason"),
    [
        (TagKind.FREEFORM, "Hurt/Comfort", "hurt comfort", "written differently"),
        (TagKind.FREEFORM, "Slow Burn", "Slow-Burn", "written differently"),
        (TagKind.FREEFORM, "Fluff", "fluff.", "written differently"),
        (TagKind.CHARACTER, "Émile Zola", "Emile Zola", "written differently"),
        (TagKind.RELATIONSHIP, "Alex/Olivia", "Olivia/Alex", "another order"),
        (TagKind.RELATIONSHIP, "Alex & Olivia", "Olivia & Alex", "another order"),
        (TagKind.CHARACTER, "Olivia Benson", "Olivia", "first name"),
    ],
)
def test_likely_synonyms_are_suggested(kind, name, other, reason):
    first = _tag(kind, name, canonical=True)
    second = _tag(kind, other)
    (suggestion,) = suggest_synonyms([first, second])
    assert (suggestion.tag, suggestion.into) == (second, first)
    assert reason in suggestion.reason


@pytest.mark.parametrize(
    ("kind", "name", "other"),
    [
        (TagKind.FREEFORM, "Angst", "Fluff"),
        (TagKind.RELATIONSHIP, "Alex/Olivia", "Alex & Olivia"),  # romantic and platonic
        (TagKind.RELATIONSHIP, "Alex/Olivia", "Alex/Casey"),
        (TagKind.CHARACTER, "Olivia Benson", "Elliot Stabler"),
        (TagKind.CHARACTER, "Olivia Benson", "Benson"),  # a surname is not a first name
    ],
)
def test_unrelated_names_are_not_suggested(kind, name, other):
    assert suggest_synonyms([_tag(kind, name), _tag(kind, other)]) == []


def test_names_of_different_kinds_or_two_canonicals_are_not_suggested():
    character = _tag(TagKind.CHARACTER, "Olivia")
    freeform = _tag(TagKind.FREEFORM, "olivia")
    assert suggest_synonyms([character, freeform]) == []
    assert (
        suggest_synonyms(
            [
                _tag(TagKind.FREEFORM, "Angst", canonical=True),
                _tag(TagKind.FREEFORM, "ANGST!", canonical=True),
            ]
        )
        == []
    )
