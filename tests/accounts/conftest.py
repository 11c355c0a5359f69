import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Throttling counters (accounts.throttling) live in the cache: each test starts afresh,
    as every test client comes from the same address."""
    cache.clear()
    yield
    cache.clear()
