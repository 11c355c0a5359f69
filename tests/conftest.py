import pytest

from tests.factories import make_user


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
