"""Works are found under their filter tags: their own tags, the canonicals of synonyms they are
tagged with, and every tag above those. Wrangling moves works between tag pages without any
work being edited, and a guest's cached tag page is never stale."""

import pytest
from django.test import Client

from ficshelf.imports.demo import SEED_CHOICES
from ficshelf.imports.services import import_work
from ficshelf.tags.models import Tag, TagKind
from ficshelf.tags.services import add_parent, find_or_create_tag, make_canonical, merge_tag
from ficshelf.works.models import FilterTagging, Tagging
from ficshelf.works.services import update_work
from tests.factories import make_metadata, make_user, make_work, make_wrangler
from tests.imports.conftest import SEED_PATH
from tests.works.pages import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

SVU = "Law & Order: Special Victims Unit"
SVU_URL = "/tags/Law *a* Order: Special Victims Unit/works"


@pytest.fixture
def wrangler(db):
    return make_wrangler()


def _canonical(kind, name) -> Tag:
    tag = find_or_create_tag(kind=kind, name=name)
    tag.canonical = True
    tag.save(update_fields=["canonical"])
    return tag


def _titles(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return [h.select("a")[0].text for h in parse(response.content).select("li.work h4.heading")]


def _filter_names(work) -> list[str]:
    return sorted(FilterTagging.objects.filter(work=work).values_list("tag__name", flat=True))


def test_a_posted_works_filter_tags_are_its_tags_canonicals_and_ancestors_each_once(wrangler):
    svu = _canonical(TagKind.FANDOM, SVU)
    olivia = _canonical(TagKind.CHARACTER, "Olivia Benson")
    add_parent(wrangler=wrangler, tag=olivia, parent=svu)
    merge_tag(
        wrangler=wrangler, tag=find_or_create_tag(kind=TagKind.CHARACTER, name="Liv"), into=olivia
    )
    work = make_work(characters=["Liv", "Olivia Benson"])
    assert _filter_names(work) == [
        SVU,
        "Liv",
        "No Archive Warnings Apply",
        "Olivia Benson",
    ]


def test_the_seed_is_found_under_its_fandom_through_its_characters(
    client, wrangler, django_capture_on_commit_callbacks
):
    """The seed's characters, wrangled under the fandom, bring to the fandom's page a work that
    names another fandom; and the fandom's own parent lists them both."""
    seed = import_work(
        file_bytes=SEED_PATH.read_bytes(),
        filename=SEED_PATH.name,
        importer=make_user(),
        defaults=SEED_CHOICES,
    ).work
    crossover = make_work(title="Crossover", fandoms=["Sherlock"], characters=["Olivia Benson"])
    assert _titles(client, SVU_URL) == [seed.title]
    svu = Tag.objects.named(SVU)
    with django_capture_on_commit_callbacks(execute=True):
        make_canonical(wrangler=wrangler, tag=svu)
        law_and_order = _canonical(TagKind.FANDOM, "Law & Order")
        add_parent(wrangler=wrangler, tag=svu, parent=law_and_order)
        for name in SEED_CHOICES.characters:
            character = Tag.objects.named(name)
            make_canonical(wrangler=wrangler, tag=character)
            add_parent(wrangler=wrangler, tag=character, parent=svu)
    assert sorted(_titles(client, SVU_URL)) == sorted(["Crossover", seed.title])
    assert sorted(_titles(client, "/tags/Law *a* Order/works")) == sorted(["Crossover", seed.title])
    # Tagged with the fandom and with three characters under it: found under it once.
    assert FilterTagging.objects.filter(work=seed, tag=svu).count() == 1
    assert FilterTagging.objects.filter(work=crossover, tag=law_and_order).exists()


def test_merging_a_synonym_moves_filtering_without_editing_works(
    client, wrangler, django_capture_on_commit_callbacks
):
    canonical = _canonical(TagKind.RELATIONSHIP, "Alex/Olivia")
    work = make_work(title="Traitor", relationships=["Olivia/Alex"])
    revision, taggings = work.revision, list(Tagging.objects.filter(work=work).values_list("tag"))
    assert _titles(client, "/tags/Alex*s*Olivia/works") == []
    with django_capture_on_commit_callbacks(execute=True):
        merge_tag(wrangler=wrangler, tag=Tag.objects.named("Olivia/Alex"), into=canonical)
    assert _titles(client, "/tags/Alex*s*Olivia/works") == ["Traitor"]
    work.refresh_from_db()
    assert work.revision == revision
    assert list(Tagging.objects.filter(work=work).values_list("tag")) == taggings


def test_a_synonyms_page_redirects_to_its_canonical_as_on_ao3(client, wrangler):
    canonical = _canonical(TagKind.RELATIONSHIP, "Alex/Olivia")
    merge_tag(
        wrangler=wrangler,
        tag=find_or_create_tag(kind=TagKind.RELATIONSHIP, name="Olivia/Alex"),
        into=canonical,
    )
    response = client.get("/tags/Olivia*s*Alex/works")
    assert response.status_code == 302
    assert response["Location"] == canonical.get_absolute_url()


def test_a_tag_page_names_its_synonyms_parents_and_subtags(client, wrangler):
    svu = _canonical(TagKind.FANDOM, SVU)
    olivia = _canonical(TagKind.CHARACTER, "Olivia Benson")
    add_parent(wrangler=wrangler, tag=olivia, parent=svu)
    merge_tag(
        wrangler=wrangler, tag=find_or_create_tag(kind=TagKind.CHARACTER, name="Liv"), into=olivia
    )
    page = parse(client.get("/tags/Olivia Benson/works").content).text
    assert "Parent tags" in page and SVU in page
    assert "Synonyms" in page and "Liv" in page
    assert "Subtags" in parse(client.get(SVU_URL).content).text


def test_a_guests_cached_tag_page_shows_a_merge_on_the_next_fetch(
    client, wrangler, django_capture_on_commit_callbacks
):
    _canonical(TagKind.RELATIONSHIP, "Alex/Olivia")
    make_work(title="Traitor", relationships=["Olivia/Alex"])
    assert _titles(client, "/tags/Alex*s*Olivia/works") == []
    again = client.get("/tags/Alex*s*Olivia/works")
    assert again.status_code == 200 and not again.templates  # served from the cache
    wrangler_client = Client()
    wrangler_client.force_login(wrangler)
    with django_capture_on_commit_callbacks(execute=True):
        response = wrangler_client.post(
            "/tags/Olivia*s*Alex/edit", {"action": "merge", "other": "Alex/Olivia"}
        )
    assert response.status_code == 302
    assert _titles(client, "/tags/Alex*s*Olivia/works") == ["Traitor"]
    assert "Olivia/Alex" in parse(client.get("/tags/Alex*s*Olivia/works").content).text


def test_retagging_a_work_keeps_its_filter_tags_right(author, wrangler):
    svu = _canonical(TagKind.FANDOM, SVU)
    olivia = _canonical(TagKind.CHARACTER, "Olivia Benson")
    add_parent(wrangler=wrangler, tag=olivia, parent=svu)
    work = make_work(author, fandoms=["Sherlock"], characters=["Olivia Benson"])
    assert SVU in _filter_names(work)
    update_work(
        work=work,
        editor=author,
        metadata=make_metadata(fandoms=["Sherlock"], characters=["John Watson"]),
    )
    assert _filter_names(work) == ["John Watson", "No Archive Warnings Apply", "Sherlock"]
