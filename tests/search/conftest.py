import pytest

from tests.works.pages import parse


@pytest.fixture(autouse=True)
def _every_test_starts_with_an_empty_cache(empty_cache):
    """tests/conftest.py's empty_cache, for every test here."""


def found(client, **params) -> list[str]:
    """The titles a search page shows, in order."""
    response = client.get("/works/search", params)
    assert response.status_code == 200, params
    return [h.select("a")[0].text for h in parse(response.content).select("li.work h4.heading")]
