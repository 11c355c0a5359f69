"""Production settings behind a TLS proxy: `manage.py check --deploy` passes with them, and a
password reset link sent through the proxy is https://."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path, **overrides) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        # The browser fixtures allow async-unsafe calls in the test process, never in production.
        if not key.startswith("FICSHELF_")
        and key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "ficshelf.settings",
            "FICSHELF_VAR_DIR": str(tmp_path),
            "FICSHELF_DEBUG": "0",
            "FICSHELF_SECRET_KEY": secrets.token_urlsafe(60),
            "FICSHELF_ALLOWED_HOSTS": "archive.example.org",
            "FICSHELF_CSRF_TRUSTED_ORIGINS": "https://archive.example.org",
            "FICSHELF_SECURE_COOKIES": "1",
            "FICSHELF_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
            "FICSHELF_SSL_REDIRECT": "1",
            "FICSHELF_HSTS_SECONDS": "31536000",
            "FICSHELF_HSTS_INCLUDE_SUBDOMAINS": "1",
            "FICSHELF_HSTS_PRELOAD": "1",
        }
    )
    env.update(overrides)
    return env


def check_deploy(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_the_production_settings(tmp_path):
    result = check_deploy(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_hsts_and_secure_cookies(tmp_path):
    env = production_env(tmp_path, FICSHELF_HSTS_SECONDS="0", FICSHELF_SECURE_COOKIES="0")
    result = check_deploy(env)
    assert result.returncode != 0
    for warning in ("security.W004", "security.W012", "security.W016"):
        assert warning in result.stdout + result.stderr


def test_a_malformed_proxy_header_setting_stops_the_archive_with_a_clear_message(tmp_path):
    result = check_deploy(production_env(tmp_path, FICSHELF_PROXY_SSL_HEADER="X-Forwarded-Proto"))
    assert result.returncode != 0
    assert "FICSHELF_PROXY_SSL_HEADER is a header and a value" in result.stderr


def test_session_and_csrf_cookies_are_same_site_lax(settings):
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


@pytest.mark.django_db
def test_a_reset_link_is_https_behind_the_tls_proxy(client, settings, mailoutbox):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["archive.example.org"]
    make_user("author")
    # As nginx forwards it: the Host the reader asked for, and the scheme it was asked over.
    client.post(
        "/users/password/reset",
        {"email": "author@example.org"},
        HTTP_HOST="archive.example.org",
        HTTP_X_FORWARDED_PROTO="https",
    )
    (email,) = mailoutbox
    assert re.search(r"https://archive\.example\.org/users/password/reset/\S+/\S+", email.body)
    assert "http://" not in email.body


@pytest.mark.django_db
def test_hsts_is_sent_over_https_when_set(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/users/login", HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/users/login")
