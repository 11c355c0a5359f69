import pytest
from django.core.cache import cache

from tests.factories import make_account


@pytest.fixture(autouse=True)
def empty_cache():
    """Guests' pages live in the cache (works.pagecache): each test starts afresh."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin(db):
    return make_account("news_admin", is_staff=True)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client
