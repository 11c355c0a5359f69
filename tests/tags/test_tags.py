"""Tags: one row per name and kind, AO3's name rules and AO3's tag URLs."""

import pytest

from ficshelf.tags.models import Tag, TagKind, tag_from_param, tag_to_param
from ficshelf.tags.services import (
    TagNameError,
    find_or_create_tag,
    normalize_tag_name,
    split_tag_list,
)
from tests.factories import make_user, make_work
from tests.works.pages import parse

pytestmark = pytest.mark.django_db


def _listed_titles(response) -> list[str]:
    headings = parse(response.content).select("li.work.blurb h4.heading")
    return [heading.select("a")[0].text for heading in headings]


# --- Names ----------------------------------------------------------------------------------


def test_spaces_in_a_tag_name_are_collapsed_and_trimmed():
    tag = find_or_create_tag(kind=TagKind.FREEFORM, name="  Slow \t  Burn \n")
    assert tag.name == "Slow Burn"


def test_relationship_names_are_spaced_as_on_ao3():
    assert normalize_tag_name(TagKind.RELATIONSHIP, "Alex / Olivia") == "Alex/Olivia"
    assert normalize_tag_name(TagKind.RELATIONSHIP, "Alex&Olivia") == "Alex & Olivia"
    assert normalize_tag_name(TagKind.RELATIONSHIP, "Alex  &   Olivia") == "Alex & Olivia"


def test_only_relationships_get_their_slashes_respaced():
    assert normalize_tag_name(TagKind.FREEFORM, "Hurt / Comfort") == "Hurt / Comfort"
    assert normalize_tag_name(TagKind.FANDOM, "Law & Order") == "Law & Order"


@pytest.mark.parametrize("character", list(",*<>^{}=`\\%"))
def test_a_tag_cannot_contain_a_forbidden_character(character):
    with pytest.raises(TagNameError, match="cannot contain"):
        find_or_create_tag(kind=TagKind.FREEFORM, name=f"Bad{character}Tag")
    assert not Tag.objects.exists()


def test_a_tag_cannot_be_empty_or_too_long():
    with pytest.raises(TagNameError, match="empty"):
        find_or_create_tag(kind=TagKind.FREEFORM, name="   ")
    with pytest.raises(TagNameError, match="longer than 150"):
        find_or_create_tag(kind=TagKind.FREEFORM, name="x" * 151)
    assert find_or_create_tag(kind=TagKind.FREEFORM, name="x" * 150).name == "x" * 150


def test_punctuation_that_ao3_allows_is_kept():
    name = "Dr. Who? #1 & Co/Friends: 'Quotes' (and more)!"
    assert find_or_create_tag(kind=TagKind.FREEFORM, name=name).name == name


# --- One row per tag ------------------------------------------------------------------------


def test_the_same_name_in_another_case_is_the_same_tag():
    first = find_or_create_tag(kind=TagKind.CHARACTER, name="Olivia Benson")
    again = find_or_create_tag(kind=TagKind.CHARACTER, name="olivia BENSON")
    assert again.pk == first.pk
    assert again.name == "Olivia Benson"
    assert Tag.objects.count() == 1


def test_a_respaced_relationship_is_the_same_tag():
    first = find_or_create_tag(kind=TagKind.RELATIONSHIP, name="Alex/Olivia")
    assert find_or_create_tag(kind=TagKind.RELATIONSHIP, name="alex / olivia").pk == first.pk


def test_the_same_name_of_another_kind_is_another_tag():
    character = find_or_create_tag(kind=TagKind.CHARACTER, name="Sherlock")
    freeform = find_or_create_tag(kind=TagKind.FREEFORM, name="Sherlock")
    assert character.pk != freeform.pk
    # Names are unique across kinds, as on AO3: the later one takes its kind's suffix.
    assert freeform.name == "Sherlock - Freeform"


def test_the_database_refuses_a_second_row_differing_only_in_case():
    from django.db import IntegrityError, transaction

    Tag.objects.create(kind=TagKind.FANDOM, name="Sherlock")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(kind=TagKind.FANDOM, name="SHERLOCK")


def test_a_tag_list_is_split_on_commas_without_blanks_or_repeats():
    assert split_tag_list(" Angst ,, fluff,ANGST,  Slow   Burn , ") == [
        "Angst",
        "fluff",
        "Slow Burn",
    ]


# --- AO3 tag URLs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "param"),
    [
        ("Alex/Olivia", "Alex*s*Olivia"),
        ("Olivia & Elliot", "Olivia *a* Elliot"),
        ("Dr. Who", "Dr*d* Who"),
        ("Why?", "Why*q*"),
        ("#1 Fan", "*h*1 Fan"),
    ],
)
def test_tag_names_are_escaped_in_urls_as_on_ao3(name, param):
    assert tag_to_param(name) == param
    assert tag_from_param(param) == name


def test_a_relationship_tag_page_at_its_ao3_url_lists_the_work(client):
    make_work(title="Quiet Hours", relationships=["Alex/Olivia"])
    make_work(title="Elsewhere", relationships=["Alex/Casey"])
    response = client.get("/tags/Alex*s*Olivia/works")
    assert response.status_code == 200
    assert _listed_titles(response) == ["Quiet Hours"]
    assert "Works tagged “Alex/Olivia”" in response.content.decode()


def test_a_tag_link_on_a_work_leads_to_the_tag_page(client):
    work = make_work(title="Quiet Hours")
    fandom = work.fandoms[0]
    assert fandom.get_absolute_url() == (
        "/tags/Law%20*a*%20Order:%20Special%20Victims%20Unit/works"
    )
    assert _listed_titles(client.get(fandom.get_absolute_url())) == ["Quiet Hours"]


def test_a_tag_page_ignores_case(client):
    make_work(title="Quiet Hours", freeforms=["Slow Burn"])
    assert _listed_titles(client.get("/tags/slow burn/works")) == ["Quiet Hours"]


def test_a_tag_page_hides_drafts(client):
    author = make_user()
    make_work(author, title="Posted", freeforms=["Angst"])
    make_work(author, title="Draft", freeforms=["Angst"], post=False)
    assert _listed_titles(client.get("/tags/Angst/works")) == ["Posted"]
    client.force_login(author)
    assert _listed_titles(client.get("/tags/Angst/works")) == ["Posted"]


def test_a_tag_page_shows_restricted_works_only_to_logged_in_readers(client):
    make_work(title="Members Only", freeforms=["Angst"], restricted=True)
    response = client.get("/tags/Angst/works")
    assert _listed_titles(response) == []
    assert "No works you can see use this tag." in response.content.decode()
    client.force_login(make_user())
    assert _listed_titles(client.get("/tags/Angst/works")) == ["Members Only"]


def test_an_unknown_tag_is_not_found(client):
    assert client.get("/tags/Nothing*s*Here/works").status_code == 404
