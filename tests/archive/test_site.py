"""The site as a whole: home page, health check, security headers."""

import pytest

from tests.factories import make_work

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_recent_works(client):
    make_work(title="Fresh Off The Press")
    response = client.get("/")
    assert response.status_code == 200
    assert "Fresh Off The Press" in response.content.decode()


def test_the_health_check_answers_when_the_database_does(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_pages_forbid_inline_scripts_and_framing(client):
    response = client.get("/works/")
    policy = response.headers["Content-Security-Policy"]
    script_sources = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_sources
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_sqlite_runs_in_wal_mode_with_full_sync():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
