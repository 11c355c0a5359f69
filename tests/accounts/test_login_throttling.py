"""Login, password-reset and sign-up throttling (accounts.throttling), with the cache the tests
run on: 5 failures per 20 s per account, 20 per 5 minutes per address, then a 429 with
Retry-After, and the password is not checked at all."""

import pytest
from django.contrib.auth.signals import user_login_failed

from ficshelf.accounts import ratelimits
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

# The start of a 20-second, 5-minute and 1-hour window alike.
START = 1_800_000_000.0


@pytest.fixture
def clock(monkeypatch):
    """The rate limits' clock, moved by hand."""
    now = [START]
    monkeypatch.setattr(ratelimits.time, "time", lambda: now[0])
    return now


@pytest.fixture
def checked_passwords():
    """Each failed password check, as Django announces it."""
    failures = []

    def receiver(sender, credentials, **kwargs):
        failures.append(credentials.get("username"))

    user_login_failed.connect(receiver)
    yield failures
    user_login_failed.disconnect(receiver)


WRONG = "not-the-password"


def log_in(client, username, password=WRONG, **extra):
    return client.post("/users/login", {"username": username, "password": password}, **extra)


def test_the_sixth_failure_in_20_seconds_is_refused_with_429_and_retry_after(client, clock):
    make_user("author")
    for _ in range(5):
        assert log_in(client, "author").status_code == 200
    clock[0] += 5
    response = log_in(client, "author")
    assert response.status_code == 429
    assert response["Retry-After"] == "15"
    page = response.content.decode()
    assert "Too many attempts. Please wait 15 seconds and try again." in page
    assert 'name="password"' in page  # the form is still there
    assert 'value="author"' in page


def test_over_the_limit_even_the_right_password_is_not_checked(client, clock, checked_passwords):
    make_user("author")
    for _ in range(5):
        log_in(client, "author")
    assert len(checked_passwords) == 5
    response = log_in(client, "author", PASSWORD)
    assert response.status_code == 429
    assert len(checked_passwords) == 5  # no password check, so no timing to measure
    assert not client.get("/").context["user"].is_authenticated


def test_after_the_window_the_account_may_try_again(client, clock):
    make_user("author")
    for _ in range(5):
        log_in(client, "author")
    assert log_in(client, "author", PASSWORD).status_code == 429
    clock[0] += 20
    response = log_in(client, "author", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "author"


def test_a_successful_login_forgets_the_accounts_failures(client, clock):
    make_user("author")
    for _ in range(4):
        log_in(client, "author")
    assert log_in(client, "author", PASSWORD).status_code == 302
    client.post("/users/logout")
    for _ in range(5):
        assert log_in(client, "author").status_code == 200
    assert log_in(client, "author").status_code == 429


def test_the_user_name_and_email_address_count_as_one_account(client, clock):
    make_user("author")
    for given in ("author", "AUTHOR", "author@example.org", "Author@Example.org", "author"):
        log_in(client, given)
    assert log_in(client, "author@example.org", PASSWORD).status_code == 429


def test_a_name_no_account_has_is_throttled_the_same_way(client, clock):
    for _ in range(5):
        assert log_in(client, "nobody").status_code == 200
    assert log_in(client, "nobody").status_code == 429


def test_one_account_over_its_limit_does_not_lock_out_another(client, clock):
    make_user("author")
    make_user("reader")
    for _ in range(6):
        log_in(client, "author")
    assert log_in(client, "reader", PASSWORD).status_code == 302


def test_twenty_failures_from_one_address_in_5_minutes_refuse_it_for_every_account(client, clock):
    make_user("author")
    for number in range(20):
        assert log_in(client, f"guess{number}").status_code == 200
        clock[0] += 1
    response = log_in(client, "author", PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 300 - 20
    assert "Please wait 5 minutes" in response.content.decode()
    # Another address is not held back.
    assert log_in(client, "author", PASSWORD, REMOTE_ADDR="192.0.2.7").status_code == 302


def test_readers_behind_the_trusted_proxy_are_counted_by_their_own_address(client, clock):
    make_user("author")
    for number in range(20):
        log_in(client, f"guess{number}", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert log_in(client, "x", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    response = log_in(client, "author", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert response.status_code == 302


def test_the_cache_holds_neither_names_nor_addresses(client, clock):
    from django.core.cache import cache

    if not hasattr(cache, "_cache"):
        pytest.skip("reads the keys of the tests' LocMemCache")
    log_in(client, "secretname", REMOTE_ADDR="203.0.113.9")
    keys = " ".join(str(key) for key in cache._cache)
    assert "ratelimit:login-account" in keys
    assert "secretname" not in keys
    assert "203.0.113.9" not in keys


# --- Password reset --------------------------------------------------------------------------


def reset(client, email, **extra):
    return client.post("/users/password/reset", {"email": email}, **extra)


def test_reset_emails_to_one_address_stop_after_three_an_hour_and_the_page_says_nothing(
    client, clock, mailoutbox
):
    make_user("author")
    answers = [reset(client, "author@example.org") for _ in range(4)]
    assert [a.status_code for a in answers] == [302] * 4
    assert {a["Location"] for a in answers} == {"/users/password/reset/done"}
    assert len(mailoutbox) == 3
    clock[0] += 3600
    reset(client, "AUTHOR@example.org")
    assert len(mailoutbox) == 4


def test_a_reset_for_an_address_without_an_account_answers_the_same(client, clock, mailoutbox):
    make_user("author")
    known = reset(client, "author@example.org")
    unknown = reset(client, "nobody@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mailoutbox] == [["author@example.org"]]


def test_too_many_reset_requests_from_one_address_answer_429(client, clock, mailoutbox):
    for number in range(10):
        assert reset(client, f"person{number}@example.org").status_code == 302
    response = reset(client, "another@example.org")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    page = response.content.decode()
    assert "Too many attempts. Please wait 60 minutes and try again." in page
    assert 'name="email"' in page
    assert reset(client, "another@example.org", REMOTE_ADDR="192.0.2.7").status_code == 302
