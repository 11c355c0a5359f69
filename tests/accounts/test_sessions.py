"""An account's sessions: listed for the owner, revocable one by one or all but this one, and
a password change logs out every other browser."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from ficshelf.accounts.models import AccountSession
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-and-longer-passphrase"


def logged_in_client(username: str, agent: str) -> Client:
    browser = Client(HTTP_USER_AGENT=agent)
    response = browser.post("/users/login", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def who(browser: Client):
    """Who the browser is at its next request (a page never cached for guests)."""
    return browser.get("/users/password/change").wsgi_request.user


@pytest.fixture
def author(db):
    return make_user("author")


@pytest.fixture
def laptop(author):
    return logged_in_client("author", "Firefox on a laptop")


@pytest.fixture
def phone(author):
    return logged_in_client("author", "Safari on a phone")


def test_the_owner_sees_each_browser_logged_in(laptop, phone):
    page = laptop.get("/users/author/sessions").content.decode()
    assert "This browser" in page
    assert "Firefox on a laptop" in page
    assert "Safari on a phone" in page
    assert page.count("Log out this session") == 1
    assert AccountSession.objects.count() == 2


def test_nobody_else_sees_an_accounts_sessions(author, laptop, client):
    assert client.get("/users/author/sessions").status_code == 302  # a guest: log in first
    client.force_login(make_user("reader"))
    assert client.get("/users/author/sessions").status_code == 404
    row = AccountSession.objects.filter(user=author).first()
    response = client.post(f"/users/author/sessions/{row.pk}/revoke")
    assert response.status_code == 403
    assert who(laptop).username == "author"


def test_revoking_a_session_logs_that_browser_out_at_its_next_request(author, laptop, phone):
    row = AccountSession.objects.get(user_agent="Safari on a phone")
    response = laptop.post(f"/users/author/sessions/{row.pk}/revoke", follow=True)
    assert "That session was logged out." in response.content.decode()
    assert not who(phone).is_authenticated
    assert who(laptop).username == "author"
    assert not SessionStore().exists(row.session_key)
    assert list(AccountSession.objects.values_list("user_agent", flat=True)) == [
        "Firefox on a laptop"
    ]


def test_revoking_is_a_post(author, laptop, phone):
    row = AccountSession.objects.get(user_agent="Safari on a phone")
    assert laptop.get(f"/users/author/sessions/{row.pk}/revoke").status_code == 405
    assert who(phone).is_authenticated


def test_log_out_all_other_sessions_keeps_this_one(author, laptop, phone):
    tablet = logged_in_client("author", "A tablet")
    response = laptop.post("/users/author/sessions/others/revoke", follow=True)
    assert "Logged out 2 other sessions." in response.content.decode()
    assert not who(phone).is_authenticated
    assert not who(tablet).is_authenticated
    assert who(laptop).username == "author"


def test_logging_out_forgets_the_session(author, laptop, phone):
    phone.post("/users/logout")
    assert list(AccountSession.objects.values_list("user_agent", flat=True)) == [
        "Firefox on a laptop"
    ]


def test_a_session_that_expired_is_not_listed(author, laptop, phone):
    row = AccountSession.objects.get(user_agent="Safari on a phone")
    SessionStore().delete(row.session_key)
    page = laptop.get("/users/author/sessions").content.decode()
    assert "Safari on a phone" not in page
    assert not AccountSession.objects.filter(pk=row.pk).exists()


def test_a_password_change_logs_out_every_other_session_and_keeps_this_one(author, laptop, phone):
    phone_key = AccountSession.objects.get(user_agent="Safari on a phone").session_key
    response = laptop.post(
        "/users/password/change",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert who(laptop).username == "author"
    assert not who(phone).is_authenticated
    assert not SessionStore().exists(phone_key)
    # This browser's session moved to a new key, and is still listed.
    (row,) = AccountSession.objects.all()
    assert row.session_key == laptop.session.session_key
    assert "This browser" in laptop.get("/users/author/sessions").content.decode()


def test_the_session_auth_hash_alone_logs_out_other_browsers_after_a_password_change(
    author, laptop, phone
):
    """Even a session this archive did not record (made before it kept the list) is logged
    out by a new password: it no longer matches the password's hash."""
    AccountSession.objects.filter(user_agent="Safari on a phone").delete()
    author.set_password(NEW_PASSWORD)
    author.save()
    assert not who(phone).is_authenticated


def test_a_password_reset_logs_out_every_session(author, laptop, client, mailoutbox):
    import re

    client.post("/users/password/reset", {"email": "author@example.org"})
    link = re.search(r"http://testserver(/users/password/reset/\S+)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert not who(laptop).is_authenticated
    assert AccountSession.objects.count() == 0


def test_an_administrator_deleting_a_session_logs_that_browser_out(author, laptop, phone):
    from ficshelf.accounts.models import User

    admin = User.objects.create_superuser("boss", "boss@example.org", None)
    boss = Client()
    boss.force_login(admin)
    row = AccountSession.objects.get(user_agent="Safari on a phone")
    response = boss.post(f"/admin/accounts/accountsession/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not who(phone).is_authenticated
    assert who(laptop).username == "author"
