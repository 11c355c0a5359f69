import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """The badge remembers (in the cache) which checks it asked for: each test starts afresh."""
    cache.clear()
    yield
    cache.clear()
