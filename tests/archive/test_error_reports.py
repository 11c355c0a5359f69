"""Error reports (the debug page under `make run`, error emails) never show a password."""

import pytest
from django.test import Client, override_settings
from django.views.debug import get_default_exception_reporter_filter

from ficshelf.archive.error_reports import SafeExceptionReporterFilter

PASSWORDS = ["Pg-s3cret-pw", "Redis-s3cret-pw", "Es-s3cret-pw", "Env-s3cret-pw"]


def test_the_archive_uses_its_own_filter():
    assert isinstance(get_default_exception_reporter_filter(), SafeExceptionReporterFilter)


@pytest.mark.urls("tests.archive.urls")
@override_settings(
    DEBUG=True,
    DATABASE_URL="postgres://ficshelf:Pg-s3cret-pw@db.example.org:5432/ficshelf",
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "redis://:Redis-s3cret-pw@cache.example.org:6379/0",
        }
    },
    SEARCH_URL="https://elastic:Es-s3cret-pw@search.example.org:9200",
)
def test_the_debug_page_shows_no_password_from_a_database_or_cache_url():
    client = Client(raise_request_exception=False)
    # runserver copies the environment into request.META, DATABASE_URL included.
    response = client.get(
        "/test/broken-with-password",
        DATABASE_URL="postgres://ficshelf:Env-s3cret-pw@db.example.org/ficshelf",
        HTTP_ACCEPT="text/html",
    )
    assert response.status_code == 500
    html = response.content.decode()
    assert "Could not connect to db.example.org" in html  # it is the technical page
    for password in PASSWORDS:
        assert password not in html
    # A URL elsewhere (the cache's location, the view's variable) stays readable, less its password.
    assert "redis://:********************@cache.example.org:6379/0" in html
    assert "postgres://ficshelf:********************@db.example.org:5432/ficshelf" in html


def test_passwords_inside_database_and_cache_settings_are_masked():
    reporter_filter = SafeExceptionReporterFilter()
    masked = reporter_filter.cleansed_substitute
    databases = reporter_filter.cleanse_setting(
        "DATABASES",
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "HOST": "db.example.org",
                "PASSWORD": "Pg-s3cret-pw",
                "OPTIONS": {"service": "x", "dsn": "host=db password=Pg-s3cret-pw"},
            }
        },
    )
    assert databases["default"]["PASSWORD"] == masked
    assert databases["default"]["HOST"] == "db.example.org"
    assert "Pg-s3cret-pw" not in str(databases)
    caches = reporter_filter.cleanse_setting(
        "CACHES",
        {"default": {"LOCATION": ["redis://user:Redis-s3cret-pw@a:6379", "redis://b:6379"]}},
    )
    assert caches["default"]["LOCATION"] == [f"redis://user:{masked}@a:6379", "redis://b:6379"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "postgres://postgres@db/ficshelf"),
        ("CACHE_URL", "redis://cache:6379/0"),
        ("SENTRY_DSN", "https://public-key@o0.ingest.sentry.io/1"),
        ("BROKER_URL", "amqp://guest:guest@rabbit//"),
    ],
)
def test_url_and_dsn_settings_are_hidden_whole(name, value):
    reporter_filter = SafeExceptionReporterFilter()
    assert reporter_filter.cleanse_setting(name, value) == reporter_filter.cleansed_substitute


@pytest.mark.parametrize(
    ("name", "value"),
    [("STATIC_URL", "static/"), ("LOGIN_URL", "accounts:login"), ("ROOT_URLCONF", "ficshelf.urls")],
)
def test_paths_named_like_urls_stay_visible_for_debugging(name, value):
    assert SafeExceptionReporterFilter().cleanse_setting(name, value) == value


def test_a_password_in_any_other_url_is_masked_and_the_rest_kept():
    reporter_filter = SafeExceptionReporterFilter()
    masked = reporter_filter.cleansed_substitute
    assert reporter_filter.cleanse_setting(
        "HTTP_REFERER", "https://me:p@ss-word@example.org/works?x=1"
    ) == (f"https://me:{masked}@example.org/works?x=1")
    assert reporter_filter.cleanse_setting("PLAIN", "http://example.org:8000/a@b") == (
        "http://example.org:8000/a@b"
    )
