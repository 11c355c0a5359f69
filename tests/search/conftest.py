import pytest
from django.core.cache import cache

from tests.works.pages import parse


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def found(client, **params) -> list[str]:
    """The titles a search page shows, in order."""
    response = client.get("/works/search", params)
    assert response.status_code == 200, params
    return [h.select("a")[0].text for h in parse(response.content).select("li.work h4.heading")]
