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


IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Background tasks run as soon as they are enqueued, in the test's own process: after the
    commit that enqueues them (on_commit) in transactional tests, or when a `db` test runs the
    callbacks with django_capture_on_commit_callbacks(execute=True)."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def passwords_hashed_once(settings):
    """Argon2, as configured, computing each distinct hash once a session (tests/hashing.py)."""
    settings.PASSWORD_HASHERS = [
        "tests.hashing.RememberingArgon2PasswordHasher",
        *[h for h in settings.PASSWORD_HASHERS if not h.endswith(".Argon2PasswordHasher")],
    ]


@pytest.fixture
def empty_cache():
    """The shared cache (pages, request counts, kept searches) empty before and after the test:
    `pytest.mark.usefixtures("empty_cache")` in a module that reads what the cache keeps."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
