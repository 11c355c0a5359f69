"""Logging in and out."""

import pytest

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_the_login_page_has_labelled_fields_and_a_reset_link(client):
    page = client.get("/users/login").content.decode()
    assert ">User name or email</label>" in page
    assert ">Password</label>" in page
    assert 'href="/users/password/reset"' in page


def test_a_user_logs_in_with_their_user_name(client):
    make_user("author")
    response = client.post(
        "/users/login", {"username": "author", "password": PASSWORD}, follow=True
    )
    assert response.context["user"].username == "author"
    assert "Successfully logged in." in response.content.decode()


def test_a_user_name_is_accepted_in_any_case(client):
    make_user("Author")
    client.post("/users/login", {"username": "aUTHOR", "password": PASSWORD})
    assert client.get("/").context["user"].username == "Author"


def test_a_user_logs_in_with_their_email_address(client):
    make_user("author")
    client.post("/users/login", {"username": "Author@Example.org", "password": PASSWORD})
    assert client.get("/").context["user"].username == "author"


def test_a_wrong_password_is_refused_with_a_message(client):
    make_user("author")
    response = client.post("/users/login", {"username": "author", "password": "wrong"})
    assert response.status_code == 200
    assert "The user name or password is incorrect." in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_login_returns_to_the_page_that_asked_for_it(client):
    make_user("author")
    response = client.post(
        "/users/login?next=/works/new",
        {"username": "author", "password": PASSWORD, "next": "/works/new"},
    )
    assert response["Location"] == "/works/new"


def test_login_never_redirects_to_another_site(client):
    make_user("author")
    response = client.post(
        "/users/login",
        {"username": "author", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_logging_out_ends_the_session(author_client):
    response = author_client.post("/users/logout", follow=True)
    assert not response.context["user"].is_authenticated
    assert "You have been logged out." in response.content.decode()


def test_logging_out_needs_a_post(author_client):
    # A GET (a typed or followed link) only asks, as on AO3.
    response = author_client.get("/users/logout")
    assert response.status_code == 200 and "Log out?" in response.content.decode()
    assert author_client.get("/").context["user"].is_authenticated
