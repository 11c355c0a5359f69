import pytest

from tests.factories import make_account


@pytest.fixture(autouse=True)
def _every_test_starts_with_an_empty_cache(empty_cache):
    """tests/conftest.py's empty_cache, for every test here."""


@pytest.fixture
def admin(db):
    return make_account("news_admin", is_staff=True)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client
