"""Guests' profile and pseud pages come from the page cache, and show every change on the very
next request: a new pseud, a rename, a new default, a new work in a series, a hide, a deleted
account."""

import pytest
from django.test import Client

from ficshelf.accounts.services import add_pseud, make_default_pseud
from ficshelf.archive.account_deletion import delete_account
from ficshelf.moderation.services import hide_work
from ficshelf.series.services import start_series_with
from tests.factories import make_user, make_work
from tests.moderation.helpers import make_admin

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

PROFILE, PSEUD = "/users/harbour", "/users/harbour/pseuds/harbour"


def _cached(client, url: str):
    """The page, asserted to come from the cache (no template rendered)."""
    client.get(url)
    page = client.get(url)
    assert page.status_code == 200 and not page.templates, url
    return page.content.decode()


def test_a_guests_profile_and_pseud_pages_are_kept_and_answered_from_the_cache(client):
    make_user("harbour")
    for url in (PROFILE, PSEUD):
        first = client.get(url)
        assert first.templates  # rendered once
        again = client.get(url)
        assert not again.templates and again.content == first.content
        assert "public" in again["Cache-Control"] and again.has_header("ETag")
        assert not again.has_header("Last-Modified")  # their changes are not dated
        whole = Client()
        whole.cookies["sessionid"] = "0123456789abcdefghijklmnopqrstuv"  # down the stack
        assert whole.get(url).content == first.content


def test_a_new_pseud_and_a_new_default_show_on_the_very_next_request(client):
    user = make_user("harbour")
    assert "Lantern" not in _cached(client, PROFILE)
    lantern = add_pseud(user=user, name="Lantern", description="Night shifts.")
    assert "Lantern" in client.get(PROFILE).content.decode()
    url = f"{PROFILE}/pseuds/Lantern"
    assert "A pseud of" in _cached(client, url)
    make_default_pseud(pseud=lantern)  # an update(): no signal
    assert "The default pseud of" in client.get(url).content.decode()


def test_a_rename_shows_on_the_very_next_request(client):
    user = make_user("harbour")
    _cached(client, PROFILE)
    pseud = user.pseuds.get()
    pseud.name = "Tidewater"
    pseud.save()
    assert "Tidewater" in client.get(PROFILE).content.decode()


def test_series_come_and_go_with_their_works(client):
    user = make_user("harbour")
    work = make_work(user, title="Lighthouse")
    assert "Breakwater" not in _cached(client, PROFILE)
    start_series_with(work=work, user=user, title="Breakwater")
    assert "Breakwater" in client.get(PROFILE).content.decode()
    assert "Breakwater" in _cached(client, PROFILE)
    hide_work(work=work, admin=make_admin(), reason="Spam.")
    assert "Breakwater" not in client.get(PROFILE).content.decode()


def test_a_deleted_account_is_gone_on_the_very_next_request(client):
    user = make_user("harbour")
    _cached(client, PROFILE)
    _cached(client, PSEUD)
    delete_account(user=user, works="delete")
    assert client.get(PROFILE).status_code == 404
    assert client.get(PSEUD).status_code == 404


def test_the_owner_sees_their_own_profile_never_the_guests(client):
    user = make_user("harbour")
    _cached(client, PROFILE)
    owner = Client()
    owner.force_login(user)
    page = owner.get(PROFILE)
    assert page.templates and "Add a pseud" in page.content.decode()
