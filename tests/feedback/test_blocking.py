"""Blocking and muting accounts, and hiding works: what each does, its limits, the buttons and
each reader's own lists."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from ficshelf.feedback import models
from ficshelf.feedback.models import Block, HiddenWork, Mute
from ficshelf.feedback.services.blocking import (
    block_user,
    blocks_feedback,
    hidden_works_q,
    hide_work,
    mute_user,
    muted_user_ids,
    unblock_user,
    unhide_work,
    unmute_user,
)
from tests.factories import add_co_creator, make_account, make_work
from tests.works.pages import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def _titles(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return [e.text for e in parse(response.content).select("li.work.blurb h4.heading a")]


def _refused(code: str, call, **kwargs) -> None:
    with pytest.raises(ValidationError) as refused:
        call(**kwargs)
    assert refused.value.code == code


# --- Blocking ---------------------------------------------------------------------------------


def test_blocking_a_reader_blocks_their_feedback_on_every_work_one_is_credited_on(author, reader):
    partner = make_account("partner")
    own = make_work(author)
    shared = add_co_creator(make_work(partner), by=partner, user=author)
    elsewhere = make_work(partner)
    block_user(blocker=author, blocked=reader)
    assert blocks_feedback(own, reader) and blocks_feedback(shared, reader)
    assert not blocks_feedback(elsewhere, reader)
    assert not blocks_feedback(own, None)
    assert not blocks_feedback(own, author)


def test_blocking_twice_keeps_one_block_and_unblocking_lifts_it(author, reader):
    assert block_user(blocker=author, blocked=reader) == block_user(blocker=author, blocked=reader)
    assert Block.objects.count() == 1
    assert unblock_user(blocker=author, blocked=reader) is True
    assert unblock_user(blocker=author, blocked=reader) is False
    assert not blocks_feedback(make_work(author), reader)


def test_nobody_blocks_or_mutes_themselves(author):
    _refused("oneself", block_user, blocker=author, blocked=author)
    _refused("oneself", mute_user, muter=author, muted=author)


def test_blocks_mutes_and_hidden_works_have_limits(monkeypatch, author, reader):
    monkeypatch.setattr(models, "BLOCKS_MAX", 2)
    monkeypatch.setattr(models, "MUTES_MAX", 1)
    monkeypatch.setattr(models, "HIDDEN_WORKS_MAX", 1)
    others = [make_account(f"other{number}") for number in range(3)]
    block_user(blocker=author, blocked=others[0])
    block_user(blocker=author, blocked=others[1])
    with pytest.raises(ValidationError, match="block at most 2 accounts"):
        block_user(blocker=author, blocked=others[2])
    # Blocking someone already blocked is no new block, so the limit does not stand in its way.
    block_user(blocker=author, blocked=others[0])
    mute_user(muter=author, muted=others[0])
    _refused("limit", mute_user, muter=author, muted=others[1])
    hide_work(user=reader, work=make_work(author))
    _refused("limit", hide_work, user=reader, work=make_work(author))
    assert (Block.objects.count(), Mute.objects.count(), HiddenWork.objects.count()) == (2, 1, 1)


# --- Muting -----------------------------------------------------------------------------------


def test_muting_names_the_muted_for_the_muter_only(author, reader):
    mute_user(muter=reader, muted=author)
    assert muted_user_ids(reader) == {author.pk}
    assert muted_user_ids(author) == set()
    assert muted_user_ids(None) == set()
    unmute_user(muter=reader, muted=author)
    assert muted_user_ids(reader) == set()


def test_a_muted_creators_works_leave_the_muters_lists_only(client, author, reader):
    make_work(author, title="By The Muted", freeforms=["Rain"])
    make_work(make_account("someone"), title="By Someone Else", freeforms=["Rain"])
    mute_user(muter=reader, muted=author)
    client.force_login(reader)
    for url in ("/works/", "/tags/Rain/works", "/users/author/works"):
        assert "By The Muted" not in _titles(client, url), url
    assert "By Someone Else" in _titles(client, "/works/")
    assert "By The Muted" in _titles(Client(), "/works/")
    other = Client()
    other.force_login(make_account("other"))
    assert "By The Muted" in _titles(other, "/works/")


# --- Hiding works -----------------------------------------------------------------------------


def test_a_hidden_work_leaves_every_list_of_that_reader_only(client, author, reader):
    hidden = make_work(author, title="Not For Me", freeforms=["Rain"])
    make_work(author, title="Still Here", freeforms=["Rain"])
    guest = Client()
    assert "Not For Me" in _titles(guest, "/works/")  # cached for guests before the hiding
    hide_work(user=reader, work=hidden)
    client.force_login(reader)
    for url in ("/works/", "/tags/Rain/works", "/users/author/works", "/"):
        titles = _titles(client, url)
        assert "Not For Me" not in titles and "Still Here" in titles, url
    assert "Not For Me" in _titles(guest, "/works/")
    assert "Not For Me" in _titles(guest, "/tags/Rain/works")
    other = Client()
    other.force_login(make_account("other"))
    assert "Not For Me" in _titles(other, "/tags/Rain/works")
    # The work itself still opens: hiding is about lists.
    assert client.get(hidden.get_absolute_url()).status_code == 200
    unhide_work(user=reader, work=hidden)
    assert "Not For Me" in _titles(client, "/works/")


def test_a_reader_cannot_hide_their_own_work_nor_a_draft(author, reader):
    _refused("own_work", hide_work, user=author, work=make_work(author))
    _refused("unreadable", hide_work, user=reader, work=make_work(author, post=False))


def test_guests_hide_nothing(author):
    assert hidden_works_q(None) is None
    _refused("guest", hide_work, user=None, work=make_work(author))


def test_hiding_from_the_work_page_and_showing_again(client, author, reader):
    work = make_work(author, title="Hide Me")
    client.force_login(reader)
    page = parse(client.get(work.get_absolute_url()).content)
    assert page.one("ul.hide-work button").text == "Hide this work from my lists"
    response = client.post(f"/works/{work.pk}/hide", {"next": work.get_absolute_url()}, follow=True)
    assert "it will no longer appear in your lists" in response.content.decode()
    page = parse(response.content)
    assert page.one("ul.hide-work button").text == "Show this work in my lists again"
    assert HiddenWork.objects.filter(user=reader, work=work).exists()
    listed = parse(client.get("/users/reader/hidden_works").content)
    assert [a.text for a in listed.select("ul.hidden li a")] == ["Hide Me"]
    client.post(f"/works/{work.pk}/unhide", {"next": "/users/reader/hidden_works"})
    assert not HiddenWork.objects.exists()


def test_the_work_page_offers_no_hide_button_to_guests_or_creators(client, author_client, author):
    work = make_work(author)
    assert not parse(client.get(work.get_absolute_url()).content).select("ul.hide-work")
    assert not parse(author_client.get(work.get_absolute_url()).content).select("ul.hide-work")
    assert client.post(f"/works/{work.pk}/hide").status_code == 302  # to log in
    assert not HiddenWork.objects.exists()


# --- Buttons on profiles, and one's own lists -------------------------------------------------


def test_a_reader_blocks_and_mutes_from_a_profile_and_lifts_both(client, author, reader):
    client.force_login(reader)
    page = parse(client.get("/users/author").content)
    buttons = [b.text for b in page.select("ul.blocking button")]
    assert buttons == ["Block author", "Mute author"]
    response = client.post(
        "/users/reader/blocked", {"username": "author", "next": "/users/author"}, follow=True
    )
    assert "You have blocked author" in response.content.decode()
    client.post("/users/reader/muted", {"username": "author", "next": "/users/author"})
    assert Block.objects.filter(blocker=reader, blocked=author).exists()
    assert Mute.objects.filter(muter=reader, muted=author).exists()
    page = parse(client.get("/users/author").content)
    assert [b.text for b in page.select("ul.blocking button")] == [
        "Unblock author",
        "Unmute author",
    ]
    blocked = parse(client.get("/users/reader/blocked").content)
    assert [a.text for a in blocked.select("li.user a")] == ["author"]
    client.post("/users/reader/blocked/remove", {"username": "author"})
    client.post("/users/reader/muted/remove", {"username": "author"})
    assert not Block.objects.exists() and not Mute.objects.exists()


def test_blocking_a_missing_account_says_so(client, reader):
    client.force_login(reader)
    response = client.post("/users/reader/blocked", {"username": "nobody"}, follow=True)
    assert "There is no account called nobody." in response.content.decode()
    assert not Block.objects.exists()


def test_blocking_oneself_from_the_list_page_says_so(client, reader):
    client.force_login(reader)
    response = client.post("/users/reader/blocked", {"username": "reader"}, follow=True)
    assert "You can&#x27;t block yourself." in response.content.decode()


def test_ones_own_profile_links_to_ones_lists_and_guests_see_no_buttons(client, author, reader):
    assert not parse(client.get("/users/author").content).select("ul.blocking")
    client.force_login(author)
    links = [a.text for a in parse(client.get("/users/author").content).select("ul.blocking a")]
    assert links == ["Blocked users", "Muted users", "Hidden works"]


def test_only_the_owner_sees_their_lists(client, author, reader):
    block_user(blocker=author, blocked=reader)
    for url in ("/users/author/blocked", "/users/author/muted", "/users/author/hidden_works"):
        assert client.get(url).status_code == 302, url  # a guest is asked to log in
    client.force_login(reader)
    for url in ("/users/author/blocked", "/users/author/muted", "/users/author/hidden_works"):
        assert client.get(url).status_code == 404, url
    # Nor can anyone act in another's name.
    assert client.post("/users/author/blocked/remove", {"username": "reader"}).status_code == 404
    assert Block.objects.filter(blocker=author, blocked=reader).exists()
