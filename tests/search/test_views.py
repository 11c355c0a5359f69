"""The works search page: the same works found on SQLite and PostgreSQL for the same query,
through the reading policy, and a page (never a 500) for any input."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ficshelf.imports.demo import SEED_CHOICES
from ficshelf.imports.services import import_work
from ficshelf.tags.models import Tag, TagKind
from ficshelf.tags.services import add_parent, find_or_create_tag, make_canonical, merge_tag
from tests.factories import make_user, make_work, make_wrangler
from tests.imports.conftest import SEED_PATH, SVU
from tests.search.conftest import found
from tests.sharing import built_once, run_on_commit
from tests.works.pages import parse

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="class")
def archive(django_db_setup, django_db_blocker):
    """The seed, wrangled: its characters under its fandom, its pairing a synonym of
    "Olivia/Alex"; a crossover found under the fandom through a character; two others.
    Built once for the tests of TestTheWrangledSeed, which only read it (tests/sharing.py)."""
    with built_once(django_db_blocker):
        wrangler = make_wrangler()
        seed = import_work(
            file_bytes=SEED_PATH.read_bytes(),
            filename=SEED_PATH.name,
            importer=make_user(),
            defaults=SEED_CHOICES,
        ).work
        make_work(title="Crossover", fandoms=["Sherlock"], characters=["Olivia Benson"])
        make_work(title="Baker Street Fire", fandoms=["Sherlock"], freeforms=["Fluff"])
        make_work(
            title="Quiet Harbour", fandoms=["Sherlock"], freeforms=["Angst"], rating="general"
        )
        with run_on_commit(execute=True):
            svu = Tag.objects.named(SVU)
            make_canonical(wrangler=wrangler, tag=svu)
            for name in SEED_CHOICES.characters:
                character = Tag.objects.named(name)
                make_canonical(wrangler=wrangler, tag=character)
                add_parent(wrangler=wrangler, tag=character, parent=svu)
            canonical = find_or_create_tag(kind=TagKind.RELATIONSHIP, name="Olivia/Alex")
            make_canonical(wrangler=wrangler, tag=canonical)
            merge_tag(wrangler=wrangler, tag=Tag.objects.named("Alex/Olivia"), into=canonical)
        yield seed


QUERIES = [
    ({"q": '"fire escapes"'}, ["Traitor"]),
    ({"q": "fire"}, ["Traitor", "Baker Street Fire"]),
    ({"q": "harbour"}, ["Quiet Harbour"]),
    ({"include": "Fluff"}, ["Baker Street Fire"]),
    ({"include": "Sherlock", "exclude": "fluff"}, ["Quiet Harbour", "Crossover"]),
    ({"include": "Olivia/Alex"}, ["Traitor"]),
    ({"include": "Alex/Olivia"}, ["Traitor"]),
    ({"include": SVU}, ["Crossover", "Traitor"]),
    ({"include": SVU, "q": "escapes"}, ["Traitor"]),
    ({"rating": "general"}, ["Quiet Harbour"]),
]


@pytest.mark.usefixtures("archive")
class TestTheWrangledSeed:
    """Searches of the wrangled seed archive (built once for the class)."""

    @pytest.mark.parametrize("params, titles", QUERIES)
    def test_the_query_table_finds_the_same_works_on_either_database(
        self, client, archive, params, titles
    ):
        assert sorted(found(client, **params)) == sorted(titles)

    def test_the_default_order_is_newest_updated_first(self, client, archive):
        assert found(client)[:3] == ["Quiet Harbour", "Baker Street Fire", "Crossover"]

    def test_unknown_tags_are_named_with_an_empty_result(self, client, archive):
        response = client.get("/works/search", {"include": "No Such Tag"})
        assert response.status_code == 200
        assert "No tag is named “No Such Tag”" in response.content.decode()
        assert found(client, include="No Such Tag") == []

    def test_a_tag_both_included_and_excluded_is_refused_clearly(self, client, archive):
        response = client.get("/works/search", {"include": "Fluff", "exclude": "fluff"})
        assert "cannot be both included and excluded" in response.content.decode()
        assert found(client, include="Fluff", exclude="fluff") == []

    def test_a_facet_link_excludes_its_tag(self, client, archive):
        page = parse(client.get("/works/search", {"include": "Sherlock"}).content)
        link = [
            a for a in page.select("a.facet-exclude") if a.attrs["aria-label"] == "Exclude Fluff"
        ]
        response = client.get("/works/search" + link[0].attrs["href"])
        assert "Baker Street Fire" not in response.content.decode()
        assert "Quiet Harbour" in response.content.decode()

    def test_sorting_by_title(self, client, archive):
        assert found(client, sort="title") == sorted(found(client))


def test_a_restricted_work_is_neither_shown_nor_counted_for_a_guest(client):
    make_work(title="Open", freeforms=["Secret Garden"])
    make_work(title="Members Only", freeforms=["Secret Garden", "Hidden Door"], restricted=True)
    page = parse(client.get("/works/search", {"q": "chapter"}).content).text
    assert "Members Only" not in page and "Hidden Door" not in page
    assert "Secret Garden (1)" in " ".join(page.split())
    client.force_login(make_user())
    assert sorted(found(client, include="Secret Garden")) == ["Members Only", "Open"]


def test_a_draft_is_never_found(client):
    make_work(title="Unfinished Draft", post=False)
    assert found(client, q="draft") == []
    assert found(client) == []


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "*",
        "NEAR",
        "-",
        "OR",
        "(",
        ")",
        ":",
        '"fire escapes',
        'fire "',
        "a OR b NEAR(c)",
        "-fire",
        "fire*",
        "title:fire",
        "^",
        "'",
        "&|!",
        "x" * 500,
    ],
)
def test_hostile_text_gives_a_page(client, text):
    make_work(title="Fire escapes", text="<p>Out on the fire escapes (again): NEAR - OR.</p>")
    assert client.get("/works/search", {"q": text}).status_code == 200


def test_an_over_long_query_is_refused_clearly(client):
    response = client.get("/works/search", {"q": "fire " * 120})
    assert response.status_code == 200
    assert "at most 500 characters" in response.content.decode()


@pytest.mark.parametrize("page", ["999999", "-3", "abc", "1e9", "99999999999999999999999"])
def test_any_page_number_gives_a_page(client, page):
    for number in range(25):
        make_work(title=f"Work {number}")
    response = client.get("/works/search", {"page": page, "sort": "title"})
    assert response.status_code == 200


def test_pages_keep_the_filters(client):
    for number in range(25):
        make_work(title=f"Work {number}", freeforms=["Fluff"])
    page = parse(client.get("/works/search", {"include": "Fluff"}).content)
    following = [a for a in page.select("a") if a.attrs.get("rel") == "next"]
    assert following[0].attrs["href"] == "?include=Fluff&page=2"


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/works/search", {"q": "work", "exclude": "Angst"}).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_results(client):
    make_work(title="Only work", freeforms=["Fluff"], characters=["Someone"])
    one = _queries(client)
    for number in range(29):
        make_work(title=f"Work {number}", freeforms=[f"Tag {number}"], characters=["Someone"])
    assert _queries(client) == one


def test_dates_narrow_the_works_by_when_they_were_posted(client):
    make_work(title="Today")
    today = timezone.localdate()
    assert found(client, posted_from=today.isoformat()) == ["Today"]
    assert found(client, posted_to=(today - timedelta(days=1)).isoformat()) == []
    response = client.get(
        "/works/search", {"updated_from": "2026-02-02", "updated_to": "2026-01-01"}
    )
    assert "The end date must not be before the start date." in response.content.decode()
    assert client.get("/works/search", {"posted_from": "not a date"}).status_code == 200
