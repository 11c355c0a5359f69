import pytest

from tests.factories import make_user

# Browser fixtures (one Chromium per test session) for any test module that drives a page.
pytest_plugins = ["tests.browser.fixtures"]


@pytest.fixture
def author(db):
    return make_user("author")


@pytest.fixture
def reader(db):
    return make_user("reader")


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client
