"""The profile page and the creator's works page."""

import pytest

from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


def test_the_profile_shows_the_name_join_date_pseuds_and_recent_works(client, author):
    make_work(author, title="Quiet Hours")
    response = client.get("/users/author")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="heading">author</h1>' in page
    assert author.date_joined.strftime("%Y") in page
    assert 'href="/users/author/pseuds/author"' in page
    assert "Quiet Hours" in page
    assert 'href="/users/author/works"' in page


def test_the_profile_leaves_out_drafts_and_restricted_works_from_guests(client, author):
    make_work(author, title="Unfinished", post=False)
    make_work(author, title="Members Only", restricted=True)
    page = client.get("/users/author").content.decode()
    assert "Unfinished" not in page
    assert "Members Only" not in page


def test_a_logged_in_reader_sees_restricted_works_on_the_profile(client, author, reader):
    make_work(author, title="Members Only", restricted=True)
    client.force_login(reader)
    assert "Members Only" in client.get("/users/author").content.decode()


def test_user_names_in_urls_ignore_case(client, author):
    assert client.get("/users/AUTHOR").status_code == 200
    assert client.get("/users/Author/works").status_code == 200


def test_an_unknown_user_is_not_found(client):
    assert client.get("/users/nobody").status_code == 404
    assert client.get("/users/nobody/works").status_code == 404
    assert client.get("/users/nobody/pseuds").status_code == 404


def test_only_the_owner_sees_the_account_links(client, author, reader):
    client.force_login(reader)
    assert "Change password" not in client.get("/users/author").content.decode()
    client.force_login(author)
    page = client.get("/users/author").content.decode()
    assert 'href="/users/password/change"' in page
    assert 'href="/users/author/pseuds/new"' in page


def test_the_creators_works_page_lists_their_works_as_blurbs(client, author):
    make_work(author, title="First")
    make_work(author, title="Second")
    make_work(make_user("someone"), title="Not Theirs")
    page = client.get("/users/author/works").content.decode()
    assert '<ol class="work index group">' in page
    assert page.count('class="work blurb group"') == 2
    assert "Not Theirs" not in page
    assert "2 works" in page


def test_the_creators_works_page_lists_drafts_only_to_the_creator(client, author, reader):
    make_work(author, title="Unfinished", post=False)
    assert "Unfinished" not in client.get("/users/author/works").content.decode()
    client.force_login(reader)
    assert "Unfinished" not in client.get("/users/author/works").content.decode()
    client.force_login(author)
    page = client.get("/users/author/works").content.decode()
    assert "Unfinished" in page
    assert "(Draft)" in page


def test_the_creators_works_page_is_paginated_by_twenty(client, author):
    for number in range(21):
        make_work(author, title=f"Work {number}")
    first = client.get("/users/author/works").content.decode()
    assert first.count('class="work blurb group"') == 20
    assert "Page 1 of 2" in first
    second = client.get("/users/author/works?page=2").content.decode()
    assert second.count('class="work blurb group"') == 1
