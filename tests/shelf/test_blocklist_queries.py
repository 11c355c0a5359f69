"""What a reader's blocklist costs a list, in queries (issue 10). A reader with an empty one
pays nothing for it: no exclusion and no "works hidden by your filters" count, the same queries
as the page with no exclusion at all, and a guest's plus only what any logged-in page reads (its
session, account, reading settings, unread inbox; a tag page also the account's permissions).
The one read of which kinds of exclusion the account has is the reading-settings row's query,
which every logged-in page makes anyway. A reader with a blocklist pays the same number of
queries whether a list holds 1 work or 50."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ficshelf.feedback.services.blocking import hide_work, mute_user
from ficshelf.feedback.services.kudos import give_kudos
from ficshelf.shelf import blocklist, reading_settings
from ficshelf.shelf.models import Reading, ShelfSettings
from ficshelf.tags.models import Tag
from ficshelf.works import extensions
from ficshelf.works.models import Work
from tests.factories import make_user, make_work
from tests.shelf.test_blocklist import block, notice, titles

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

LISTS = ["/works/", "/tags/Fluff/works", "/works/search?q=harbour"]
# What any logged-in page reads, list or not: the reader's own, not their blocklist's.
ACCOUNT_TABLES = re.compile(
    r'FROM "(django_session|inbox_inboxitem|auth_permission)"'
    r"|AS settings_row"  # the reading settings, read with what the account excludes
    r'|^SELECT "accounts_user"\."id", "accounts_user"\."password"'
)


def fluff(author, n: int = 1) -> list:
    return [
        make_work(author, title=f"Warm Kitchen {i}", freeforms=["Fluff"], summary="<p>harbour</p>")
        for i in range(n)
    ]


def queries(client, url: str) -> list[str]:
    """The SQL of one request to `url`, after one to warm it (the first request of a test
    creates rows, e.g. the listings version, that every later one only reads)."""
    cache.clear()
    assert client.get(url).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [query["sql"] for query in captured.captured_queries]


def counts_hidden(sql: list[str]) -> bool:
    return any(q.startswith("SELECT COUNT(*) FROM (SELECT") for q in sql)


def test_an_empty_blocklist_leaves_nothing_to_exclude(reader, author):
    fluff(author)
    request = RequestFactory().get("/works/")
    request.user = reader
    with CaptureQueriesContext(connection) as captured:
        assert blocklist.listing_exclusion(reader, request) is None
        assert blocklist.listing_exclusion(reader, request) is None
    assert len(captured) == 1  # read once per request
    # That one read was the reading settings' too: base.html asks for nothing more.
    with CaptureQueriesContext(connection) as captured:
        assert reading_settings.for_request(request) == reading_settings.DEFAULT
        assert reading_settings.history_paused_for(request) is False
    assert len(captured) == 0


def test_each_kind_is_left_out_only_once_the_reader_has_it(reader, author):
    make_work(author, title="Sad Harbour", freeforms=["Angst"])
    kudosed = make_work(author, title="Given Kudos")
    read = make_work(author, title="Already Read")
    hidden = make_work(author, title="Hidden")
    by_muted = make_work(make_user("muted"), title="By Someone Muted")
    make_work(author, title="Kept")

    def left_out() -> set[str]:
        q = blocklist.account_blocklist_q(reader)
        return set() if q is None else set(Work.objects.filter(q).values_list("title", flat=True))

    assert left_out() == set()
    blocklist.block_tag(user=reader, tag=Tag.objects.named("Angst"))
    assert left_out() == {"Sad Harbour"}
    give_kudos(work=kudosed, giver=reader)
    Reading.objects.create(user=reader, work=read, viewed_at=timezone.now())
    assert left_out() == {"Sad Harbour"}  # shown until the reader chooses to hide them
    blocklist.set_hiding(user=reader, hide_read=True, hide_kudosed=True)
    assert left_out() == {"Sad Harbour", "Given Kudos", "Already Read"}
    hide_work(user=reader, work=hidden)
    mute_user(muter=reader, muted=by_muted.creatorships.get().pseud.user)
    assert left_out() == {
        "Sad Harbour",
        "Given Kudos",
        "Already Read",
        "Hidden",
        "By Someone Muted",
    }


@pytest.mark.parametrize("url", LISTS)
def test_an_empty_blocklist_costs_a_list_nothing(client, reader, author, monkeypatch, url):
    fluff(author, 3)
    client.force_login(reader)
    with_exclusions = queries(client, url)
    assert not counts_hidden(with_exclusions)
    monkeypatch.setattr(extensions, "_listing_exclusions", [])
    assert len(queries(client, url)) == len(with_exclusions)
    # A guest with a cookie of their own is given their own page, never the cached copy.
    client.logout()
    client.cookies[reading_settings.COOKIE] = "theme-dark"
    guest = queries(client, url)
    reader_own = [q for q in with_exclusions if not ACCOUNT_TABLES.search(q)]
    assert len(reader_own) == len(guest), (reader_own, guest)


def test_the_reading_settings_still_dress_a_list_read_with_the_blocklist(client, reader, author):
    fluff(author)
    ShelfSettings.objects.create(user=reader, theme="dark", hide_read=True)
    client.force_login(reader)
    assert '<html lang="en" class="theme-dark">' in client.get("/works/").content.decode()


@pytest.mark.parametrize("url", LISTS)
def test_a_blocklist_costs_the_same_queries_at_1_and_at_50_works(client, reader, author, url):
    make_work(author, title="Sad Harbour", freeforms=["Angst", "Fluff"], summary="<p>harbour</p>")
    kudosed, hidden = fluff(author, 2)
    by_muted = make_work(make_user("muted"), freeforms=["Fluff"], summary="<p>harbour</p>")
    client.force_login(reader)
    block(client, "Angst")
    blocklist.set_hiding(user=reader, hide_read=True, hide_kudosed=True)
    give_kudos(work=kudosed, giver=reader)
    hide_work(user=reader, work=hidden)
    mute_user(muter=reader, muted=by_muted.creatorships.get().pseud.user)
    fluff(author)
    assert len(titles(client, url)) == 1
    assert "4 works hidden by your filters." in notice(client, url)
    at_one = queries(client, url)
    fluff(author, 49)
    assert len(titles(client, url)) == 20  # a page of 50
    assert "4 works hidden by your filters." in notice(client, url)
    at_fifty = queries(client, url)
    assert counts_hidden(at_fifty)
    assert len(at_fifty) == len(at_one), (at_one, at_fifty)
