"""Sign-up does not tell which email addresses have accounts (accounts.signups): a taken address
gets the same page as a new one, and its own account is sent a warning instead."""

import pytest

from ficshelf.accounts.models import User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def sign_up(client, **overrides):
    data = {
        "username": "nightshift",
        "email": "nightshift@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return client.post("/signup", data)


def test_a_taken_address_gets_the_same_answer_as_a_new_one(client, mailoutbox):
    make_user("someone")
    new = sign_up(client, username="newcomer", email="newcomer@example.org")
    taken = sign_up(client, username="nightshift", email="SOMEONE@example.org")
    assert (new.status_code, new["Location"]) == (taken.status_code, taken["Location"])
    assert new["Location"] == "/signup/done"
    assert client.get(taken["Location"]).content == client.get(new["Location"]).content
    assert not User.objects.filter(username="nightshift").exists()


def test_the_accounts_owner_is_told_someone_tried_to_sign_up_with_their_address(client, mailoutbox):
    make_user("someone")
    sign_up(client, email="SOMEONE@example.org")
    (email,) = mailoutbox
    assert email.to == ["someone@example.org"]
    assert "Someone tried to sign up" in email.subject
    assert "your user name is someone" in email.body
    assert "http://testserver/users/password/reset" in email.body
    assert "/users/activate/" not in email.body


def test_the_page_never_says_an_address_is_registered(client):
    make_user("someone")
    page = client.get(sign_up(client, email="someone@example.org")["Location"]).content.decode()
    assert "already" not in page.split("If no email comes")[0]
    assert "registered" not in page


def test_a_taken_user_name_is_said_plainly_as_it_is_public(client, mailoutbox):
    make_user("someone")
    response = sign_up(client, username="SomeOne", email="new@example.org")
    assert response.status_code == 200
    assert "That user name is already taken." in response.content.decode()
    assert mailoutbox == []


def test_warnings_to_one_address_stop_after_three_an_hour(client, mailoutbox):
    make_user("someone")
    for number in range(5):
        assert (
            sign_up(client, username=f"try{number}", email="someone@example.org")["Location"]
            == "/signup/done"
        )
    assert len(mailoutbox) == 3


def test_too_many_sign_ups_from_one_address_answer_429(client):
    for number in range(10):
        sign_up(client, username=f"person{number}", email=f"person{number}@example.org")
    response = sign_up(client, username="one_more", email="one_more@example.org")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts." in response.content.decode()
    assert not User.objects.filter(username="one_more").exists()


def test_an_account_never_activated_does_not_hold_the_address_hostage(client, mailoutbox):
    sign_up(client, username="squatter", email="victim@example.org")
    sign_up(client, username="victim", email="victim@example.org")
    assert not User.objects.filter(username="squatter").exists()
    assert User.objects.get(email="victim@example.org").username == "victim"
    link = next(line for line in mailoutbox[-1].body.splitlines() if "/users/activate/" in line)
    client.post(link)
    assert client.get("/").context["user"].username == "victim"
    # The squatter's link no longer works.
    old = next(line for line in mailoutbox[0].body.splitlines() if "/users/activate/" in line)
    assert client.post(old).status_code == 400


def test_an_active_account_is_never_replaced(client):
    user = make_user("someone")
    sign_up(client, username="thief", email="someone@example.org")
    user.refresh_from_db()
    assert user.is_active and user.check_password(PASSWORD)
    assert not User.objects.filter(username="thief").exists()


def test_a_bad_activation_link_is_a_clear_400(client):
    response = client.get("/users/activate/bm9wZQ/abc-def")
    assert response.status_code == 400
    assert "This activation link is not valid" in response.content.decode()
