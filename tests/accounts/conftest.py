import pytest


@pytest.fixture(autouse=True)
def _every_test_starts_with_an_empty_cache(empty_cache):
    """Throttling counters (accounts.throttling) live in the cache: each test starts afresh,
    as every test client comes from the same address."""
