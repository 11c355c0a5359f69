"""Optional two-factor login (django-otp): set up with a secret, a QR code and one code from
the app, then logging in asks for a code after the password; backup codes work once; the
owner can turn it off with the password. Codes are computed from the device's own key."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice, drift: int = 0) -> str:
    """The code the authenticator app shows (`drift` steps of 30 s later)."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{value:0{device.digits}d}"


@pytest.fixture
def author(db):
    return make_user("author")


@pytest.fixture
def author_client(author):
    browser = Client()
    browser.force_login(author)
    return browser


def turn_on(browser) -> tuple[TOTPDevice, list[str]]:
    browser.get("/users/author/two-factor")
    device = TOTPDevice.objects.get(user__username="author")
    response = browser.post("/users/author/two-factor", {"code": code(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())
    return device, codes


def log_in(browser, password=PASSWORD):
    return browser.post("/users/login", {"username": "author", "password": password})


def who(browser):
    return browser.get("/users/password/change").wsgi_request.user


def test_the_set_up_page_shows_the_secret_a_link_and_a_qr_code(author_client):
    page = author_client.get("/users/author/two-factor").content.decode()
    device = TOTPDevice.objects.get(user__username="author")
    assert not device.confirmed
    assert 'href="otpauth://totp/Ficshelf%3Aauthor?' in page
    assert "issuer=Ficshelf" in page
    assert '<svg role="img" aria-label="QR code of the set-up link"' in page
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert re.search(r'<code class="secret">([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>', page)
    # A reload shows the same secret, so the app set up first still matches.
    author_client.get("/users/author/two-factor")
    assert TOTPDevice.objects.filter(user__username="author").count() == 1


def test_a_wrong_code_does_not_turn_it_on(author_client):
    author_client.get("/users/author/two-factor")
    response = author_client.post("/users/author/two-factor", {"code": "000000"})
    assert response.status_code == 400
    assert "That code is not right." in response.content.decode()
    assert not TOTPDevice.objects.get(user__username="author").confirmed


def test_confirming_turns_it_on_and_shows_ten_backup_codes_once(author_client, author):
    device, codes = turn_on(author_client)
    device.refresh_from_db()
    assert device.confirmed
    assert len(codes) == 10 and len(set(codes)) == 10
    page = author_client.get("/users/author/two-factor").content.decode()
    assert "Two-factor login is <strong>on</strong>" in page
    assert "You have 10 unused backup codes." in page
    assert codes[0] not in page


def test_logging_in_asks_for_the_code_after_the_password(author_client, author):
    device, _ = turn_on(author_client)
    browser = Client()
    response = log_in(browser)
    assert response.status_code == 302
    assert response["Location"] == "/users/login/code"
    assert not who(browser).is_authenticated  # not yet
    wrong = browser.post("/users/login/code", {"code": "123456"})
    assert "That code is not right." in wrong.content.decode()
    assert not who(browser).is_authenticated
    # django-otp makes each failure wait longer (1 s after the first): a few seconds pass.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=5)
    )
    response = browser.post("/users/login/code", {"code": code(device, drift=1)})
    assert response.status_code == 302
    assert who(browser).username == "author"


def test_a_wrong_password_never_reaches_the_code_step(author_client):
    turn_on(author_client)
    browser = Client()
    response = log_in(browser, password="not-the-password")
    assert response.status_code == 200
    assert browser.get("/users/login/code")["Location"] == "/users/login"


def test_a_backup_code_works_once(author_client, author):
    _, codes = turn_on(author_client)
    first = Client()
    log_in(first)
    first.post("/users/login/code", {"code": codes[0]})
    assert who(first).username == "author"
    again = Client()
    log_in(again)
    again.post("/users/login/code", {"code": codes[0]})
    assert not who(again).is_authenticated
    assert StaticToken.objects.filter(device__user=author).count() == 9


def test_code_guesses_are_throttled_like_passwords(author_client):
    device, _ = turn_on(author_client)
    browser = Client()
    log_in(browser)
    for guess in range(5):
        browser.post("/users/login/code", {"code": f"{guess:06d}"})
    response = browser.post("/users/login/code", {"code": code(device, drift=1)})
    assert response.status_code == 429
    assert "Retry-After" in response
    assert not who(browser).is_authenticated


def test_new_backup_codes_replace_the_old(author_client, author):
    _, old = turn_on(author_client)
    response = author_client.post("/users/author/two-factor/backup-codes")
    new = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)


def test_turning_it_off_takes_the_password_and_then_logging_in_takes_only_the_password(
    author_client, author
):
    turn_on(author_client)
    wrong = author_client.post("/users/author/two-factor/off", {"password": "nope"})
    assert wrong.status_code == 400
    assert TOTPDevice.objects.filter(user=author).exists()
    author_client.post("/users/author/two-factor/off", {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=author).exists()
    assert not StaticToken.objects.filter(device__user=author).exists()
    browser = Client()
    assert log_in(browser)["Location"] != "/users/login/code"
    assert who(browser).username == "author"


def test_only_the_owner_reaches_the_set_up_page(author, client):
    client.force_login(make_user("reader"))
    assert client.get("/users/author/two-factor").status_code == 404
    assert client.post("/users/author/two-factor/off", {"password": PASSWORD}).status_code == 404
    assert not TOTPDevice.objects.filter(user=author).exists()
