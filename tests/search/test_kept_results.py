"""A search starts from its rarest included tag or walks the works in order (works.keyset
.with_tags) and finds the same works either way; what a search found is kept under the
listings version, so a change shows in the very next search, and a result kept for a
logged-in reader is never shown to a guest."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ficshelf.archive.synthetic import generate
from ficshelf.search.results import find_works
from ficshelf.tags.models import Tag, TagKind
from ficshelf.works import keyset
from ficshelf.works.models import FilterTagging, Work
from tests.factories import make_user, make_work
from tests.search.conftest import found
from tests.works.pages import parse

pytestmark = pytest.mark.django_db


def _under_all(tags) -> list[int]:
    """The posted, listed works under every one of `tags`, newest updated first, counted
    here without the search: the expected answer."""
    works = Work.objects.filter(posted=True, restricted=False, hidden_by_admin=False)
    for tag in tags:
        works = works.filter(pk__in=FilterTagging.objects.filter(tag=tag).values("work"))
    return list(works.newest_updated_first().values_list("pk", flat=True))


@pytest.mark.parametrize("plan", ["driven", "walked"])
def test_both_plans_find_the_same_works(monkeypatch, transactional_db, plan):
    generate(works=80, seed=21)
    fandom = (
        Tag.objects.filter(kind=TagKind.FANDOM, filter_taggings__isnull=False)
        .order_by("pk")
        .first()
    )
    among = FilterTagging.objects.filter(tag=fandom).values("work")
    characters = list(
        Tag.objects.filter(kind=TagKind.CHARACTER, filter_taggings__work__in=among)
        .distinct()
        .order_by("pk")[:2]
    )
    broad = Tag.objects.get(name="Fluff")
    chosen = []

    def drive_from(tags, sizes, archive, sample):
        rarest = min(tags, key=lambda tag: (sizes[tag.pk], tag.pk))
        chosen.append(rarest if plan == "driven" else None)
        return chosen[-1]

    monkeypatch.setattr(keyset, "drive_from", drive_from)
    for tags in ([broad], [fandom], [fandom, *characters], [broad, fandom]):
        criteria = {"include": tags, "exclude": [], "q": [], "sort": "updated"}
        expected = _under_all(tags)
        got = list(find_works(AnonymousUser(), criteria).values_list("pk", flat=True))
        assert got == expected
    assert chosen and all((tag is None) == (plan == "walked") for tag in chosen)


def test_the_rarest_tag_drives_and_a_broad_one_is_walked():
    rare, common = Tag(pk=1, name="rare"), Tag(pk=2, name="common")
    sizes = {1: 500, 2: 160_000}
    assert keyset.drive_from([rare, common], sizes, 1_000_000, 1_001) is rare
    # One tag on 16 % of a million works: walking finds 1,001 of them in about 6,300 works.
    assert keyset.drive_from([common], sizes, 1_000_000, 1_001) is None
    # Without an estimate of the archive, starting from the rarest is the bounded choice.
    assert keyset.drive_from([common], sizes, None, 1_001) is common


def _facet_count(client, name: str, **params) -> int | None:
    text = " ".join(parse(client.get("/works/search", params).content).text.split())
    marker = f"{name} ("
    if marker not in text:
        return None
    return int(text.split(marker, 1)[1].split(")", 1)[0])


def test_a_kept_search_never_outlives_a_change(client):
    make_work(title="Lanterns", freeforms=["Paper Lanterns", "Night Market"])
    assert found(client, include="Paper Lanterns") == ["Lanterns"]
    assert _facet_count(client, "Night Market", include="Paper Lanterns") == 1
    # Asked again: the kept result, the same.
    assert found(client, include="Paper Lanterns") == ["Lanterns"]
    make_work(title="More Lanterns", freeforms=["Paper Lanterns", "Night Market"])
    assert found(client, include="Paper Lanterns") == ["More Lanterns", "Lanterns"]
    assert _facet_count(client, "Night Market", include="Paper Lanterns") == 2


def test_a_result_kept_for_a_reader_is_never_shown_to_a_guest(client):
    make_work(title="Open Door", freeforms=["Lantern Walk"])
    make_work(title="Members Only", freeforms=["Lantern Walk", "Locked Room"], restricted=True)
    reader = make_user()
    client.force_login(reader)
    assert sorted(found(client, include="Lantern Walk")) == ["Members Only", "Open Door"]
    assert _facet_count(client, "Locked Room", include="Lantern Walk") == 1
    client.logout()
    assert found(client, include="Lantern Walk") == ["Open Door"]
    assert _facet_count(client, "Locked Room", include="Lantern Walk") is None
    assert _facet_count(client, "Lantern Walk", include="Lantern Walk") == 1
