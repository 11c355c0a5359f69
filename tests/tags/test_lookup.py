"""Tag names are unique across kinds and found ignoring case, Unicode included, through an
index on both databases; the migration that made them so renames as otwarchive does."""

import importlib

import pytest
from django.db import IntegrityError, connection, transaction

from ficshelf.tags.models import Tag, TagKind, tag_key
from ficshelf.tags.services import find_or_create_tag
from tests.factories import make_work
from tests.works.pages import parse

pytestmark = pytest.mark.django_db

migration = importlib.import_module("ficshelf.tags.migrations.0003_names_unique_across_kinds")


def _listed_titles(response) -> list[str]:
    return [h.select("a")[0].text for h in parse(response.content).select("li.work h4.heading")]


# --- Ignoring case, beyond ASCII ------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "asked"),
    [("Émile", "émile"), ("émile", "ÉMILE"), ("Straße", "STRASSE"), ("Ωmega", "ωMEGA")],
)
def test_a_tag_is_found_by_its_name_in_any_case(stored, asked):
    tag = find_or_create_tag(kind=TagKind.CHARACTER, name=stored)
    assert Tag.objects.named(asked) == tag
    assert find_or_create_tag(kind=TagKind.CHARACTER, name=asked).pk == tag.pk
    assert Tag.objects.count() == 1


def test_a_tag_page_is_found_by_a_non_ascii_name_in_another_case(client):
    make_work(title="Émile’s Summer", characters=["Émile"])
    response = client.get("/tags/émile/works")
    assert response.status_code == 200
    assert _listed_titles(response) == ["Émile’s Summer"]


def test_the_database_refuses_two_tags_whose_names_differ_only_in_case():
    Tag.objects.create(kind=TagKind.CHARACTER, name="Émile")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(kind=TagKind.FREEFORM, name="ÉMILE")


def test_a_renamed_tag_gets_its_new_key():
    tag = Tag.objects.create(kind=TagKind.FREEFORM, name="Slow Burn")
    tag.name = "Slower Burn"
    tag.save(update_fields=["name"])
    tag.refresh_from_db()
    assert tag.name_key == "slower burn"


def _uses_an_index(queryset) -> bool:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A table of a few rows is read whole; the question is whether an index can serve.
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = queryset.explain()
    # SQLite says SEARCH … USING INDEX, or SCAN <table> for a full scan; PostgreSQL Index Scan.
    return ("USING INDEX" in plan or "Index Scan" in plan) and not (
        "SCAN tags_tag" in plan or "Seq Scan" in plan
    )


def test_looking_a_tag_up_by_name_uses_an_index():
    find_or_create_tag(kind=TagKind.CHARACTER, name="Olivia Benson")
    assert _uses_an_index(Tag.objects.filter(name_key=tag_key("OLIVIA benson")))


def test_a_name_prefix_of_one_kind_uses_an_index():
    find_or_create_tag(kind=TagKind.CHARACTER, name="Olivia Benson")
    prefixed = Tag.objects.of_kind(TagKind.CHARACTER).starting_with("Oliv")
    assert _uses_an_index(prefixed.canonical().order_by("name_key"))
    assert _uses_an_index(prefixed.canonical(False).order_by("name_key"))


# --- Unique across kinds ----------------------------------------------------------------------


def test_the_same_name_in_another_kind_takes_the_kinds_suffix_as_on_ao3():
    character = find_or_create_tag(kind=TagKind.CHARACTER, name="Sherlock")
    freeform = find_or_create_tag(kind=TagKind.FREEFORM, name="sherlock")
    assert (character.name, freeform.name) == ("Sherlock", "sherlock - Freeform")
    assert find_or_create_tag(kind=TagKind.FREEFORM, name="Sherlock").pk == freeform.pk
    assert find_or_create_tag(kind=TagKind.CHARACTER, name="SHERLOCK").pk == character.pk


def test_a_warning_or_category_name_is_reserved_for_its_fixed_tag():
    freeform = find_or_create_tag(kind=TagKind.FREEFORM, name="Gen")
    category = find_or_create_tag(kind=TagKind.CATEGORY, name="Gen")
    assert (freeform.name, category.name) == ("Gen - Freeform", "Gen")
    assert category.canonical


def test_a_tag_url_names_one_tag_whatever_its_kind(client):
    make_work(title="Deduction", characters=["Sherlock"])
    make_work(title="Consulting", freeforms=["Sherlock"])
    assert _listed_titles(client.get("/tags/Sherlock/works")) == ["Deduction"]
    assert _listed_titles(client.get("/tags/Sherlock - Freeform/works")) == ["Consulting"]


# --- The migration ----------------------------------------------------------------------------


def test_the_migration_renames_the_later_of_two_tags_with_one_name_in_two_kinds():
    rows = [
        (1, "character", "Sherlock"),
        (2, "freeform", "Sherlock"),
        (3, "fandom", "sherlock"),
        (4, "freeform", "Angst"),
        (5, "character", "émile"),
        (6, "character", "ÉMILE"),  # SQLite's LOWER() left these apart
    ]
    assert migration.unique_names(rows) == {
        2: "Sherlock - Freeform",
        3: "sherlock - Fandom",
        6: "ÉMILE - Character",
    }


def test_the_migration_keeps_warning_and_category_names_and_never_repeats_a_name():
    rows = [
        (1, "freeform", "Gen"),
        (2, "category", "Gen"),
        (3, "freeform", "Gen - Freeform"),
    ]
    renamed = migration.unique_names(rows)
    assert renamed == {1: "Gen - Freeform", 3: "Gen - Freeform - Freeform"}
    names = [renamed.get(tag_id, name) for tag_id, _, name in rows]
    assert len({migration.tag_key(name) for name in names}) == 3
    assert "Gen" in names
