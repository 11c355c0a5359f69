"""Saved searches: saved from a search's results under a name unique to the reader, listed,
run, renamed and deleted, each with a private Atom feed of the newest works it finds (the
reader's blocklist applied); a search that no longer parses asks for an edit, never a 500."""

import xml.etree.ElementTree as ET

import pytest

from ficshelf.shelf import searches
from ficshelf.shelf.models import SavedSearch
from ficshelf.tags.models import Tag
from tests.factories import make_user, make_work
from tests.works.pages import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def works(author):
    return {
        "fluff": make_work(author, title="Warm Kitchen", freeforms=["Fluff"]),
        "angst_fluff": make_work(author, title="Bittersweet", freeforms=["Fluff", "Angst"]),
        "restricted": make_work(author, title="Members Only", freeforms=["Fluff"], restricted=True),
        "other": make_work(author, title="Elsewhere", freeforms=["Picnic"]),
    }


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


def _save(client, name: str, query: str = "include=Fluff&page=2&show_hidden=1"):
    return client.post("/searches/save", {"name": name, "query": query})


def _entries(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314  (our own feed, in a test)
    return [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")]


def test_a_reader_saves_a_search_from_its_results_and_runs_it_again(reader_client, reader, works):
    page = parse(reader_client.get("/works/search", {"include": "Fluff", "page": "1"}).content)
    (form,) = page.select("form.save-search")
    (query,) = [i for i in form.select("input") if i.attrs.get("name") == "query"]
    assert query.attrs["value"] == "include=Fluff"
    response = _save(reader_client, "Cosy", query.attrs["value"])
    assert response.status_code == 302 and response["Location"] == "/searches"
    saved = SavedSearch.objects.get(user=reader)
    assert (saved.name, saved.query) == ("Cosy", "include=Fluff")
    listing = parse(reader_client.get("/searches").content)
    run = listing.select("li.saved-search h2 a")[0].attrs["href"]
    assert run == "/works/search?include=Fluff"
    assert set(_titles(reader_client, run)) == {"Warm Kitchen", "Bittersweet", "Members Only"}


def _titles(client, url):
    response = client.get(url)
    return [h.select("a")[0].text for h in parse(response.content).select("li.work h4.heading")]


def test_the_saved_query_keeps_only_the_search(reader_client, reader, works):
    _save(reader_client, "Cosy")
    assert SavedSearch.objects.get().query == "include=Fluff"


def test_a_name_is_unique_per_reader_ignoring_case(reader_client, reader, works, client):
    _save(reader_client, "Cosy")
    response = _save(reader_client, "  cosy ")
    assert response.status_code == 302 and response["Location"].startswith("/works/search?")
    page = reader_client.get(response["Location"]).content.decode()
    assert "You already have a search named “cosy”: choose another name." in page
    assert SavedSearch.objects.count() == 1
    other = make_user("other")
    reader_client.force_login(other)
    _save(reader_client, "Cosy")
    assert SavedSearch.objects.count() == 2


def test_a_reader_saves_at_most_a_hundred_searches(reader, works):
    SavedSearch.objects.bulk_create(
        SavedSearch(user=reader, name=f"Search {n}", query="q=x")
        for n in range(searches.SAVED_SEARCHES_MAX)
    )
    with pytest.raises(Exception, match="at most 100 searches"):
        searches.save_search(user=reader, name="One more", query="q=y")


def test_renaming_and_deleting_and_nobody_elses(reader_client, reader, works):
    _save(reader_client, "Cosy")
    _save(reader_client, "Other")
    saved = SavedSearch.objects.get(name="Cosy")
    prefix = f"s{saved.pk}-name"
    response = reader_client.post(f"/searches/{saved.pk}/rename", {prefix: "Other"})
    assert response.status_code == 400
    assert "You already have a search named “Other”" in response.content.decode()
    response = reader_client.post(f"/searches/{saved.pk}/rename", {prefix: "Snug"})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.name == "Snug"
    reader_client.force_login(make_user("stranger"))
    assert reader_client.post(f"/searches/{saved.pk}/delete").status_code == 404
    assert reader_client.post(f"/searches/{saved.pk}/rename", {prefix: "Mine"}).status_code == 404
    reader_client.force_login(reader)
    assert reader_client.post(f"/searches/{saved.pk}/delete").status_code == 302
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()


def test_the_feed_lists_the_newest_matching_works_with_the_blocklist_and_no_restricted_work(
    reader_client, reader, works, client
):
    _save(reader_client, "Cosy")
    saved = SavedSearch.objects.get()
    page = parse(reader_client.get("/searches").content)
    feed_url = [a.attrs["href"] for a in page.select("a") if "feed.atom" in a.attrs["href"]][0]
    assert f"token={searches.feed_token(saved)}" in feed_url
    reader_client.logout()  # feed readers do not log in
    assert _entries(client, feed_url) == ["Bittersweet", "Warm Kitchen"]
    reader_client.force_login(reader)
    reader_client.post("/blocklist/tags/add", {"tag": "Angst"})
    reader_client.logout()
    assert _entries(client, feed_url) == ["Warm Kitchen"]


def test_a_feed_needs_its_token(client, reader, works):
    saved = searches.save_search(user=reader, name="Cosy", query="include=Fluff")
    assert client.get(f"/searches/{saved.pk}/feed.atom").status_code == 404
    assert client.get(f"/searches/{saved.pk}/feed.atom?token=wrong").status_code == 404
    other = searches.save_search(user=make_user("other"), name="Cosy", query="include=Fluff")
    token = searches.feed_token(other)
    assert client.get(f"/searches/{saved.pk}/feed.atom?token={token}").status_code == 404
    # A new password ends every old address.
    old = searches.feed_token(saved)
    reader.set_password("another-long-password-here")
    reader.save()
    assert client.get(f"/searches/{saved.pk}/feed.atom?token={old}").status_code == 404


def test_a_search_that_no_longer_parses_asks_for_an_edit(reader_client, reader, works, client):
    saved = searches.save_search(user=reader, name="Cosy", query="include=Fluff")
    fluff = Tag.objects.named("Fluff")
    fluff.name = "Fluffy"
    fluff.save()
    page = reader_client.get("/searches")
    assert page.status_code == 200
    assert "This search needs an edit: No tag is named “Fluff”" in page.content.decode()
    url = f"/searches/{saved.pk}/feed.atom?token={searches.feed_token(saved)}"
    assert _entries(client, url) == ["The saved search “Cosy” needs an edit"]
    SavedSearch.objects.filter(pk=saved.pk).update(query="words_from=banana&sort=nonsense")
    assert reader_client.get("/searches").status_code == 200
    assert len(_entries(client, url)) == 1


def test_guests_are_asked_to_log_in_to_save(client, works):
    page = parse(client.get("/works/search", {"include": "Fluff"}).content)
    assert not page.select("form.save-search")
    assert "Log in" in page.select("p.save-search")[0].text
    response = _save(client, "Cosy")
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.get("/searches").status_code == 302
