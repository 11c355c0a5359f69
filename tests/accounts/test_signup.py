"""Signing up: a new account, its default pseud, and the form's errors."""

import pytest
from django.contrib.auth import get_user_model

from ficshelf.accounts.models import Pseud
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


def sign_up(client, *, follow: bool = False, **overrides):
    data = {
        "username": "nightshift",
        "email": "nightshift@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return client.post("/signup", data, follow=follow)


def test_the_sign_up_page_labels_every_field(client):
    page = client.get("/signup").content.decode()
    for label in ("User name", "Email address", "Password", "Confirm password"):
        assert f">{label}</label>" in page
    assert page.count("<h1") == 1


def test_signing_up_sends_an_activation_link_that_logs_the_new_user_in(client, mailoutbox):
    response = sign_up(client, follow=True)
    assert response.redirect_chain == [("/signup/done", 302)]
    assert "Check your email to finish" in response.content.decode()
    assert not response.context["user"].is_authenticated
    assert not User.objects.get(username="nightshift").is_active
    (email,) = mailoutbox
    link = next(line for line in email.body.splitlines() if "/users/activate/" in line)
    assert client.get(link).status_code == 200  # a button: following the link changes nothing
    assert not User.objects.get(username="nightshift").is_active
    response = client.post(link, follow=True)
    assert response.redirect_chain == [("/users/nightshift", 302)]
    assert "Welcome to Ficshelf, nightshift!" in response.content.decode()
    assert response.context["user"].username == "nightshift"
    assert client.post(link).status_code == 400  # used once


def test_an_account_that_is_not_activated_cannot_log_in(client):
    sign_up(client)
    response = client.post("/users/login", {"username": "nightshift", "password": PASSWORD})
    assert not response.context["user"].is_authenticated


def test_a_new_account_gets_a_default_pseud_named_after_it(client):
    sign_up(client)
    user = User.objects.get(username="nightshift")
    assert [(p.name, p.is_default) for p in user.pseuds.all()] == [("nightshift", True)]


def test_the_password_is_stored_hashed_with_argon2(client):
    sign_up(client)
    user = User.objects.get(username="nightshift")
    assert user.password.startswith("argon2")
    assert user.check_password(PASSWORD)


def test_sign_up_refuses_a_common_password(client):
    response = sign_up(client, password1="password123", password2="password123")
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not User.objects.filter(username="nightshift").exists()


def test_sign_up_refuses_a_password_like_the_user_name(client):
    response = sign_up(client, password1="nightshift1", password2="nightshift1")
    assert "The password is too similar to the user name." in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_refuses_mismatched_passwords(client):
    response = sign_up(client, password2="correct-horse-battery-stable")
    assert "The two password fields didn’t match." in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_refuses_a_user_name_taken_in_any_case(client):
    make_user("NightShift")
    response = sign_up(client, username="nightshift")
    assert "That user name is already taken." in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize("username", ["ab", "night shift", "night-shift", "x" * 41, "Ōlivia"])
def test_sign_up_refuses_a_user_name_that_cannot_be_an_address(client, username):
    response = sign_up(client, username=username)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Use 3 to 40 letters, numbers or underscores." in page or "at most 40" in page
    assert not User.objects.exists()


@pytest.mark.parametrize("username", ["login", "Logout", "new"])
def test_sign_up_refuses_a_user_name_the_archive_uses_for_its_own_pages(client, username):
    response = sign_up(client, username=username)
    assert "That user name is reserved." in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_refuses_a_bad_email_address(client):
    response = sign_up(client, email="not-an-address")
    assert "Enter a valid email address." in response.content.decode()
    assert not User.objects.exists()


def test_errors_are_announced_and_tied_to_their_fields(client):
    page = sign_up(client, username="ab").content.decode()
    assert 'role="alert"' in page
    assert 'aria-invalid="true"' in page
    assert Pseud.objects.count() == 0


def test_a_logged_in_user_is_sent_to_their_profile_from_sign_up(client):
    client.force_login(make_user("already"))
    response = client.get("/signup")
    assert response.status_code == 302
    assert response["Location"] == "/users/already"
