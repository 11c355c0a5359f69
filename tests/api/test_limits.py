"""Rate limits: reads per token or address, writes per token; past them a 429 with Retry-After."""

import json

from ficshelf.accounts.ratelimits import Limit
from ficshelf.api import access
from tests.api.conftest import api_get, bearer


def test_reads_past_the_limit_are_a_429_with_retry_after(client, db, monkeypatch):
    monkeypatch.setattr(access, "READ_LIMIT", Limit(count=3, seconds=60))
    for _ in range(3):
        assert api_get(client, "/works").status_code == 200
    refused = api_get(client, "/works")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Another address has its own count.
    assert client.get("/api/v1/works", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_token_has_its_own_read_count(client, author_token, monkeypatch):
    monkeypatch.setattr(access, "READ_LIMIT", Limit(count=1, seconds=60))
    assert api_get(client, "/works").status_code == 200
    assert api_get(client, "/works").status_code == 429
    assert api_get(client, "/works", author_token).status_code == 200


def test_writes_have_a_limit_of_their_own(client, author_token, monkeypatch):
    monkeypatch.setattr(access, "WRITE_LIMIT", Limit(count=2, seconds=60))
    statuses = [
        client.post(
            "/api/v1/works", json.dumps({}), content_type="application/json", **bearer(author_token)
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [400, 400, 429]


def test_the_default_limits(db):
    assert access.READ_LIMIT == Limit(count=120, seconds=60)
    assert access.WRITE_LIMIT == Limit(count=20, seconds=60)
