"""A reader's shelf is theirs alone: history, marked for later, blocked tags, saved searches,
reading settings (and private bookmarks, mutes, hidden works) are shown to no one else, are in
their account's export, and go with the account when it is deleted."""

import json

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, reverse

from ficshelf.bookmarks.services import bookmark_work
from ficshelf.feedback.models import Block, HiddenWork, Mute
from ficshelf.feedback.services.blocking import block_user, hide_work, mute_user
from ficshelf.shelf import urls as shelf_urls
from ficshelf.shelf.blocklist import block_tag
from ficshelf.shelf.reading_settings import Appearance, save_reading_settings
from ficshelf.shelf.readings import mark_for_later, record_reading
from ficshelf.shelf.searches import save_search
from ficshelf.tags.models import Tag
from tests.factories import make_account, make_work

pytestmark = pytest.mark.django_db

# What no one but the reader may see, anywhere.
SECRETS = (
    "Secret Lighthouse Tag",
    "my secret harbour search",
    "Read In Secret",
    "Later Secret",
    "A private note",
)


@pytest.fixture
def shelf(db):
    """A reader with something in every part of their shelf."""
    author = make_account("author")
    read = make_work(
        author, title="Read In Secret", chapters=2, freeforms=["Secret Lighthouse Tag"]
    )
    later = make_work(author, title="Later Secret")
    reader = make_account("reader")
    record_reading(user=reader, work=read, chapter=read.chapters.get(position=2))
    mark_for_later(user=reader, work=later)
    block_tag(user=reader, tag=Tag.objects.get(name="Secret Lighthouse Tag"))
    save_search(user=reader, name="my secret harbour search", query="q=harbour")
    save_reading_settings(user=reader, appearance=Appearance(theme="sepia", text_size="xl"))
    mute_user(muter=reader, muted=author)
    block_user(blocker=reader, blocked=make_account("troll"))
    hide_work(user=reader, work=make_work(author, title="Hidden Away"))
    bookmark_work(
        user=reader,
        work=later,
        notes="<p>A private note</p>",
        tag_names=["comfort read"],
        private=True,
    )
    return {"reader": reader, "author": author, "read": read, "later": later}


def _owners_pages() -> list[str]:
    """The shelf's routes under /users/<name>/ with nothing else to fill in: the reader's own
    lists, and the POSTs that change them."""
    return [
        pattern.name
        for pattern in shelf_urls.urlpatterns
        if pattern.name and set(pattern.pattern.converters) == {"username"}
    ]


def _ask(client, url: str):
    """A GET, or a POST where the route answers only POSTs."""
    response = client.get(url)
    return client.post(url) if response.status_code == 405 else response


def _shows_no_secret(response) -> None:
    page = response.content.decode()
    for secret in SECRETS:
        assert secret not in page, f"{secret!r} shown at {response.request['PATH_INFO']}"


def test_the_shelf_has_pages_of_its_own_to_check():
    # When the history helper's routes are missing, the tests below check nothing: say so.
    if not _owners_pages():
        pytest.skip("no /users/<name>/ pages in the shelf yet")


@pytest.mark.parametrize("name", _owners_pages())
def test_a_guest_is_sent_to_log_in_or_told_there_is_no_such_page(client, shelf, name):
    response = _ask(client, reverse(f"shelf:{name}", kwargs={"username": "reader"}))
    assert response.status_code in (302, 404), name
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("accounts:login")), name
    _shows_no_secret(response)


@pytest.mark.parametrize("name", _owners_pages())
def test_another_reader_is_told_there_is_no_such_page(client, shelf, name):
    client.force_login(make_account("nosy"))
    response = _ask(client, reverse(f"shelf:{name}", kwargs={"username": "reader"}))
    assert response.status_code == 404, name
    _shows_no_secret(response)
    # And nothing of the reader's changed.
    reader = shelf["reader"]
    assert reader.readings.filter(in_history=True).count() == 1
    assert reader.readings.filter(marked_for_later=True).count() == 1
    assert not reader.shelf_settings.history_paused


def test_the_owner_sees_their_history_and_their_list_for_later(client, shelf):
    client.force_login(shelf["reader"])
    for name, title in (("readings", "Read In Secret"), ("later", "Later Secret")):
        try:
            url = reverse(f"shelf:{name}", kwargs={"username": "reader"})
        except NoReverseMatch:
            continue  # reported by the test above
        response = client.get(url)
        assert response.status_code == 200 and title in response.content.decode()


# The pages that show the viewer's own choices (a guest's come from their cookies).
VIEWERS_OWN_PAGES = ["blocklist", "searches", "reading_settings"]


def _url_or_skip(name: str) -> str:
    try:
        return reverse(f"shelf:{name}")
    except NoReverseMatch:
        pytest.skip(f"shelf:{name} does not exist yet")


@pytest.mark.parametrize("name", VIEWERS_OWN_PAGES)
def test_pages_of_ones_own_choices_show_a_guest_none_of_the_readers(client, shelf, name):
    response = client.get(_url_or_skip(name))
    assert response.status_code in (200, 302, 404)
    _shows_no_secret(response)
    assert "theme-sepia" not in response.content.decode()


@pytest.mark.parametrize("name", VIEWERS_OWN_PAGES)
def test_pages_of_ones_own_choices_show_another_reader_none_of_the_readers(client, shelf, name):
    client.force_login(make_account("nosy"))
    response = client.get(_url_or_skip(name))
    assert response.status_code == 200
    _shows_no_secret(response)
    assert "theme-sepia" not in response.content.decode()


def test_another_reader_cannot_rename_delete_or_read_a_saved_search(client, shelf):
    search = shelf["reader"].saved_searches.get()
    client.force_login(make_account("nosy"))
    for name in ("rename_search", "delete_search"):
        try:
            url = reverse(f"shelf:{name}", kwargs={"search_id": search.pk})
        except NoReverseMatch:
            continue
        assert client.post(url, {"name": "Mine now"}).status_code == 404, name
    try:
        feed = reverse("shelf:search_feed", kwargs={"search_id": search.pk})
    except NoReverseMatch:
        feed = None
    if feed:
        assert client.get(feed).status_code == 404  # without its token
    search.refresh_from_db()
    assert search.name == "my secret harbour search"


def test_the_readers_settings_page_shows_their_own_choices(client, shelf):
    client.force_login(shelf["reader"])
    page = client.get(reverse("shelf:reading_settings")).content.decode()
    assert 'class="theme-sepia text-xl"' in page


# --- Exported with the account ----------------------------------------------------------------


def test_the_export_holds_the_whole_shelf(client, shelf):
    client.force_login(shelf["reader"])
    response = client.post(reverse("accounts:export", kwargs={"username": "reader"}))
    data = json.loads(response.content)
    part = data["shelf"]
    read, later = shelf["read"], shelf["later"]

    [entry] = part["history"]
    assert entry["work_id"] == read.pk and entry["title"] == "Read In Secret"
    assert entry["url"] == read.get_absolute_url()
    assert entry["chapter"] == 2 and entry["views"] == 1
    assert entry["viewed_at"] and entry["first_viewed_at"]
    assert [(e["work_id"], e["title"]) for e in part["marked_for_later"]] == [
        (later.pk, "Later Secret")
    ]
    assert part["blocked_tags"][0]["name"] == "Secret Lighthouse Tag"
    assert part["blocked_tags"][0]["fandom"] is None
    assert [(s["name"], s["query"]) for s in part["saved_searches"]] == [
        ("my secret harbour search", "q=harbour")
    ]
    settings = part["settings"]
    assert (settings["theme"], settings["text_size"], settings["typeface"]) == (
        "sepia",
        "xl",
        "serif",
    )
    assert settings["history_paused"] is False and "hide_kudosed" in settings

    feedback = data["feedback"]
    assert [m["username"] for m in feedback["muted"]] == ["author"]
    assert [b["username"] for b in feedback["blocked"]] == ["troll"]
    assert [w["title"] for w in feedback["hidden_works"]] == ["Hidden Away"]
    assert feedback["reading_settings"] == {"show_inline_markers": True}

    # The bookmarks helper's part, private bookmarks included.
    [bookmark] = data["bookmarks"]
    assert bookmark["private"] and "A private note" in bookmark["notes"]


def test_an_empty_shelf_exports_the_default_settings(client):
    reader = make_account("newcomer")
    client.force_login(reader)
    data = json.loads(
        client.post(reverse("accounts:export", kwargs={"username": "newcomer"})).content
    )
    assert data["shelf"]["history"] == [] and data["shelf"]["settings"]["theme"] == "light"


# --- Deleted with the account -----------------------------------------------------------------


def _private_models():
    return [
        *apps.get_app_config("shelf").get_models(),
        *apps.get_app_config("bookmarks").get_models(),
        Mute,
        Block,
        HiddenWork,
    ]


def test_deleting_the_account_deletes_every_row_of_the_shelf_and_its_bookmarks(shelf):
    models = _private_models()
    held = {model.__name__: model.objects.count() for model in models}
    # Every model has a row of the reader's (so the test can fail), and only theirs.
    assert all(held.values()), held
    shelf["reader"].delete()
    left = {model.__name__: model.objects.count() for model in models}
    assert not any(left.values()), left
    # The works read stay, for their other readers.
    assert shelf["read"].__class__.objects.filter(pk=shelf["read"].pk).exists()
