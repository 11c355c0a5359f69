"""Every reading and listing page makes as many queries for one work, chapter and tag as for
fifty: for a guest and for a logged-in reader, with the cache empty and with it warm."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ficshelf.works.services import ChapterContent, add_chapter
from tests.factories import make_account, make_work
from tests.sharing import built_once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

# The pages guests get from the page cache: when warm, the versions are all they read.
CACHED = {"work", "chapter", "entire work", "chapter index", "index", "tag", "creator", "pseud"}
WARM_GUEST_QUERIES = 2


def _world(name: str, size: int):
    """A creator with a work of `size` chapters and `size` tags, and about `size` more works
    under one shared tag; the creator, and the URLs of every page about them."""
    author = make_account(name)
    shared = f"Shared {name}"
    tags = [f"{name} tag {number}" for number in range(size)]
    work = make_work(author, freeforms=[shared, *tags], characters=tags[:10])
    for number in range(2, size + 1):
        add_chapter(
            work=work,
            editor=author,
            content=ChapterContent(text=f"<p>Chapter {number}.</p>", title=f"Part {number}"),
        )
    # Drafts too, which their creator sees in their own lists with the beta reader's badge.
    make_work(author, title=f"{name} draft", post=False, freeforms=[shared])
    for number in range(size - 1):
        make_work(
            author, title=f"{name} {number}", freeforms=[shared, *tags[:5]], post=number % 2 == 0
        )
    middle = work.chapters.order_by("position")[size // 2]
    return author, {
        "work": f"/works/{work.pk}",
        "chapter": f"/works/{work.pk}/chapters/{middle.pk}",
        "entire work": f"/works/{work.pk}?view_full_work=true",
        "chapter index": f"/works/{work.pk}/navigate",
        "index": "/works/",
        "tag": f"/tags/{shared.replace(' ', '%20')}/works",
        "creator": f"/users/{name}/works",
        "pseud": f"/users/{name}/pseuds/{name}/works",
        "profile": f"/users/{name}",
        "home": "/",
    }


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _counts(client, urls: dict[str, str]) -> dict[tuple[str, str], int]:
    """Queries per page, with the cache emptied first (cold) and read again (warm)."""
    counts = {}
    for page, url in urls.items():
        cache.clear()
        counts[page, "cold"] = _count(client, url)
        counts[page, "warm"] = _count(client, url)
    return counts


VIEWERS = ["guest", "reader", "creator"]


@pytest.fixture(scope="class")
def measured(django_db_setup, django_db_blocker):
    """Each viewer's counts on the small world, then on the large one: the worlds are built once
    for the three viewers (tests/sharing.py), each viewer measured on the small world before the
    large one exists, as if alone. A creator reads their own works (drafts' badges, edit
    links); a reader someone else's."""
    with built_once(django_db_blocker):
        cache.clear()
        reader = make_account("reader")
        client = Client()
        measured = {viewer: [] for viewer in VIEWERS}
        for name, size in [("small", 1), ("large", 50)]:
            author, urls = _world(name, size)
            for viewer in VIEWERS:
                client.logout()
                if viewer != "guest":
                    client.force_login(author if viewer == "creator" else reader)
                measured[viewer].append(_counts(client, urls))
        cache.clear()
        yield measured


class TestQueryCounts:
    @pytest.mark.parametrize("viewer", VIEWERS)
    def test_query_counts_do_not_grow_with_works_chapters_and_tags(self, measured, viewer):
        few, many = measured[viewer]
        print(
            f"\n{viewer}: " + ", ".join(f"{page} {state}: {n}" for (page, state), n in few.items())
        )
        assert few == many
        if viewer == "guest":
            for page in CACHED:
                assert many[page, "warm"] <= WARM_GUEST_QUERIES, page
