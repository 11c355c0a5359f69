"""An account's export: its owner's alone, one JSON file with the account and every part the
apps above accounts registered."""

import json

import pytest

from ficshelf.accounts import extensions
from ficshelf.accounts.services import add_pseud
from tests.factories import make_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    user = make_account("lantern_keeper")
    add_pseud(user=user, name="Harbour Light", description="Night stories.")
    return user


def _url(user) -> str:
    return f"/users/{user.username}/export"


def _download(client, user, *, method: str = "post"):
    if method == "post":
        response = client.post(_url(user))
    else:
        response = client.get(_url(user), {"download": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert (
        response["Content-Disposition"] == f'attachment; filename="ficshelf-{user.username}.json"'
    )
    return json.loads(response.content)


def test_the_owner_sees_what_the_export_holds_and_a_button(client, owner):
    client.force_login(owner)
    page = client.get(_url(owner)).content.decode()
    assert "Export your data" in page
    assert "reading history" in page
    assert f'<form method="post" action="{_url(owner)}">' in page


@pytest.mark.parametrize("method", ["post", "get"])
def test_the_file_holds_the_account_and_its_pseuds(client, owner, method):
    client.force_login(owner)
    data = _download(client, owner, method=method)
    account = data["account"]
    assert account["username"] == "lantern_keeper"
    assert account["email"] == "lantern_keeper@example.org"
    assert account["date_joined"].startswith(str(owner.date_joined.year))
    assert {p["name"] for p in account["pseuds"]} >= {"Harbour Light"}
    assert data["format"] == "ficshelf-account-export"


@pytest.fixture
def register(monkeypatch):
    """Register an export part for one test only."""
    providers = dict(extensions._export_providers)
    monkeypatch.setattr(extensions, "_export_providers", providers)
    return extensions.register_account_export


def test_the_file_holds_every_registered_part(client, owner, register):
    register("test_part", lambda user: {"who": user.username})
    client.force_login(owner)
    data = _download(client, owner)
    assert data["test_part"] == {"who": "lantern_keeper"}
    assert {"shelf", "feedback"} <= set(data)


def test_no_part_can_replace_the_account(client, owner, register):
    register("account", lambda user: "not the account")
    client.force_login(owner)
    assert _download(client, owner)["account"]["username"] == "lantern_keeper"


def test_another_reader_is_told_there_is_no_such_page(client, owner):
    client.force_login(make_account("someone_else"))
    assert client.get(_url(owner)).status_code == 404
    assert client.get(_url(owner), {"download": "1"}).status_code == 404
    assert client.post(_url(owner)).status_code == 404


def test_a_guest_is_asked_to_log_in(client, owner):
    for response in (client.get(_url(owner), {"download": "1"}), client.post(_url(owner))):
        assert response.status_code == 302
        assert response["Location"].startswith("/users/login")
        assert b"lantern_keeper@example.org" not in response.content


def test_the_export_is_never_cached(client, owner):
    client.force_login(owner)
    response = client.post(_url(owner))
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_only_the_owners_profile_links_to_the_export(client, owner):
    assert _url(owner) not in client.get(f"/users/{owner.username}").content.decode()
    client.force_login(owner)
    assert _url(owner) in client.get(f"/users/{owner.username}").content.decode()
