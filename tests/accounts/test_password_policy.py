"""The password policy: Django's validators (its common-password list already holds the 3,000
most common and far more), long passphrases welcome (no maximum: 100 characters sign up and
log in), and Argon2 for every new password."""

import gzip
import re
from pathlib import Path

import django.contrib.auth
import pytest
from django.contrib.auth.password_validation import CommonPasswordValidator, validate_password
from django.core.exceptions import ValidationError

import ficshelf.settings as production
from ficshelf.accounts.models import User

pytestmark = pytest.mark.django_db

COMMON_LIST = Path(django.contrib.auth.__file__).parent / "common-passwords.txt.gz"


def _common_passwords() -> list[str]:
    with gzip.open(COMMON_LIST, "rt", encoding="utf-8") as lines:
        return [line.strip() for line in lines if line.strip()]


def sign_up_and_activate(client, mailoutbox, *, username: str, password: str):
    response = client.post(
        "/signup",
        {
            "username": username,
            "email": f"{username}@example.org",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 302, response.content.decode()
    link = re.search(r"http://testserver(/users/activate/\S+)", mailoutbox[-1].body).group(1)
    client.post(link)


def test_the_validators_are_djangos_own_with_its_common_password_list():
    names = [entry["NAME"].rsplit(".", 1)[1] for entry in production.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    # Django's list is the 20,000 most common passwords, most common first: a superset of the
    # 3,000 most common, so no list of our own is needed.
    common = _common_passwords()
    assert len(common) >= 19_000
    assert common[:4] == ["123456", "123456789", "qwerty", "password"]
    assert len(CommonPasswordValidator().passwords) >= 19_000


@pytest.mark.parametrize(
    "password", ["123456", "password", "iloveyou", "Qwerty123", "PASSWORD1", "sunshine", "dragon"]
)
def test_the_most_common_passwords_are_refused_in_any_case(password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any(error.code == "password_too_common" for error in refused.value.error_list)


def test_every_one_of_the_3000_most_common_is_refused():
    validator = CommonPasswordValidator()
    for password in _common_passwords()[:3000]:
        with pytest.raises(ValidationError):
            validator.validate(password)


def test_a_short_password_is_refused():
    with pytest.raises(ValidationError):
        validate_password("k7#qZ2")


def test_a_100_character_passphrase_signs_up_and_logs_in(client, mailoutbox):
    passphrase = "the quiet precinct at night, " * 3 + "x" * 13
    passphrase = passphrase[:100]
    assert len(passphrase) == 100
    sign_up_and_activate(client, mailoutbox, username="longpass", password=passphrase)
    client.post("/users/logout")
    client.post("/users/login", {"username": "longpass", "password": passphrase})
    assert client.get("/").context["user"].username == "longpass"


def test_a_1000_character_password_is_accepted_too(client, mailoutbox):
    passphrase = "correct horse battery staple " * 35
    sign_up_and_activate(client, mailoutbox, username="verylong", password=passphrase)
    assert User.objects.get(username="verylong").check_password(passphrase)


def test_no_password_field_has_a_maximum_length(client):
    from ficshelf.accounts.forms import LogInForm, PasswordChangeForm, SetPasswordForm, SignUpForm

    user = User(username="x")
    forms = [SignUpForm(), LogInForm(), PasswordChangeForm(user), SetPasswordForm(user)]
    for form in forms:
        for name, field in form.fields.items():
            if "password" in name:
                assert getattr(field, "max_length", None) is None, name


def test_a_new_password_is_stored_with_argon2id(client, mailoutbox, settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS  # the real hasher, not the tests'
    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    sign_up_and_activate(client, mailoutbox, username="hashed", password="a fresh passphrase 7")
    stored = User.objects.get(username="hashed").password
    assert stored.startswith("argon2$argon2id$")
    assert "a fresh passphrase" not in stored
