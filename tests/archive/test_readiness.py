"""`/ready` tells a load balancer whether this app server can serve the archive."""

import pytest
from django.db import OperationalError, connections

pytestmark = pytest.mark.django_db


def test_an_app_server_with_its_database_and_cache_is_ready(client):
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "database": "ok",
        "migrations": "ok",
        "cache": "ok",
    }
    assert "no-cache" in response.headers["Cache-Control"]


def test_a_cache_that_is_down_is_reported_but_leaves_the_server_ready(client, cache_down):
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"
    assert response.json()["cache"] == "down"


def test_a_server_whose_migrations_have_not_run_is_not_ready(client, settings):
    settings.MIGRATION_MODULES = {"archive": "tests.archive.pending_migrations"}
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["status"] == "unready"
    assert response.json()["migrations"] == "pending"


def test_a_server_whose_database_does_not_answer_is_not_ready(client, monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unready",
        "database": "down",
        "migrations": "unknown",
        "cache": "ok",
    }


def test_the_health_check_stays_a_plain_liveness_check(client, cache_down):
    assert client.get("/health").json() == {"status": "ok"}
