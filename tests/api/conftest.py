import pytest

from ficshelf.api.tokens import create_token


@pytest.fixture(autouse=True)
def _every_test_starts_with_an_empty_cache(empty_cache):
    """Rate-limit counters live in the cache: each test starts with none (tests/conftest.py)."""


@pytest.fixture
def author_token(author) -> str:
    return create_token(user=author, name="My importer")[1]


@pytest.fixture
def reader_token(reader) -> str:
    return create_token(user=reader, name="A reading app")[1]


def bearer(token: str | None) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}


def api_get(client, path: str, token: str | None = None, **params):
    return client.get(f"/api/v1{path}", params, **bearer(token))


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [work["id"] for work in response.json()["results"]]
