"""Changing a password, and resetting a forgotten one by email."""

import re

import pytest
from django.core import mail

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-and-longer-passphrase"


def _reset_link(message) -> str:
    return re.search(r"http://testserver(/users/password/reset/\S+)", message.body).group(1)


def test_a_guest_is_asked_to_log_in_before_changing_a_password(client):
    response = client.get("/users/password/change")
    assert response.status_code == 302
    assert response["Location"].startswith("/users/login?next=")


def test_a_user_changes_their_password_and_stays_logged_in(author_client, author):
    response = author_client.post(
        "/users/password/change",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [("/users/password/change/done", 302)]
    assert "Your password has been changed." in response.content.decode()
    assert response.context["user"].is_authenticated
    author.refresh_from_db()
    assert author.check_password(NEW_PASSWORD)


def test_changing_a_password_needs_the_old_one(author_client, author):
    response = author_client.post(
        "/users/password/change",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "Your old password was entered incorrectly." in response.content.decode()
    author.refresh_from_db()
    assert author.check_password(PASSWORD)


def test_a_new_password_must_pass_the_validators(author_client):
    response = author_client.post(
        "/users/password/change",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert "This password is entirely numeric." in response.content.decode()


def test_a_password_reset_email_lets_the_user_set_a_new_password_and_log_in(client):
    make_user("forgetful")
    response = client.post("/users/password/reset", {"email": "Forgetful@example.org"})
    assert response["Location"] == "/users/password/reset/done"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["forgetful@example.org"]
    assert message.subject == "Reset your Ficshelf password"
    assert "forgetful" in message.body

    # The link redirects to a token-free URL, so the token never leaks in a Referer header.
    form_page = client.get(_reset_link(message), follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/users/password/reset/complete"
    assert "Your new password is ready." in response.content.decode()

    response = client.post(
        "/users/login", {"username": "forgetful", "password": NEW_PASSWORD}, follow=True
    )
    assert response.context["user"].username == "forgetful"


def test_a_reset_link_works_only_once(client):
    make_user("forgetful")
    client.post("/users/password/reset", {"email": "forgetful@example.org"})
    link = _reset_link(mail.outbox[0])
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    page = client.get(link, follow=True).content.decode()
    assert "This password reset link is invalid" in page


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post("/users/password/reset", {"email": "nobody@example.org"})
    assert response["Location"] == "/users/password/reset/done"
    assert mail.outbox == []
