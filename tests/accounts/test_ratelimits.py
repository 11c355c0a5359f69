"""Rate limits in the shared cache: so many attempts per window per action and actor, the
seconds until the next one is allowed, guests known only by a hash of their address, and a
cache that is down lets everything through (and says so in the log)."""

import logging

import pytest
from django.test import RequestFactory, override_settings

from ficshelf.accounts import ratelimits
from ficshelf.accounts.ratelimits import Limit, hit
from tests.factories import make_account

THREE_PER_15_MINUTES = Limit(3, 900)
# The start of a window: 1,800,000,000 is a multiple of 900.
START = 1_800_000_000.0


@pytest.fixture(autouse=True)
def _every_test_starts_with_an_empty_cache(empty_cache):
    """tests/conftest.py's empty_cache, for every test here."""


def test_attempts_within_the_limit_are_allowed_and_the_next_is_told_when_to_retry():
    for second in range(3):
        assert hit("comment", "account:1", THREE_PER_15_MINUTES, now=START + second).allowed
    refused = hit("comment", "account:1", THREE_PER_15_MINUTES, now=START + 60)
    assert not refused.allowed and refused.retry_after == 840


def test_refused_attempts_never_push_the_window_back():
    for _ in range(10):
        hit("comment", "account:1", THREE_PER_15_MINUTES, now=START)
    refused = hit("comment", "account:1", THREE_PER_15_MINUTES, now=START + 899.5)
    assert refused.retry_after == 1
    assert hit("comment", "account:1", THREE_PER_15_MINUTES, now=START + 900).allowed


def test_each_actor_and_each_action_counts_alone():
    for _ in range(3):
        hit("comment", "account:1", THREE_PER_15_MINUTES, now=START)
    assert not hit("comment", "account:1", THREE_PER_15_MINUTES, now=START).allowed
    assert hit("comment", "account:2", THREE_PER_15_MINUTES, now=START).allowed
    assert hit("report", "account:1", THREE_PER_15_MINUTES, now=START).allowed


def test_a_guest_is_known_by_a_keyed_hash_of_their_address_never_the_address():
    actor = ratelimits.guest_actor("203.0.113.9")
    assert actor.startswith("guest:") and "203.0.113.9" not in actor
    assert actor == ratelimits.guest_actor("203.0.113.9")
    assert actor != ratelimits.guest_actor("203.0.113.10")
    with override_settings(SECRET_KEY="another-archive-" + "x" * 40):
        assert ratelimits.guest_actor("203.0.113.9") != actor


@pytest.mark.django_db
def test_the_actor_of_a_request_is_its_account_or_the_guests_hashed_address():
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert ratelimits.actor_for(request) == ratelimits.guest_actor("198.51.100.4")
    request.user = make_account("limited")
    assert ratelimits.actor_for(request) == f"account:{request.user.pk}"


# Nothing listens on port 1: connecting is refused at once.
DOWN = "redis://127.0.0.1:1/0"


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.redis.RedisCache",  # raises on every call
        "ficshelf.archive.cache.TolerantRedisCache",  # answers misses, and incr fails
    ],
)
def test_a_cache_that_is_down_lets_every_attempt_through_and_logs_it(backend, caplog):
    caches = {"default": {"BACKEND": backend, "LOCATION": DOWN}}
    with override_settings(CACHES=caches), caplog.at_level(logging.WARNING):
        for _ in range(5):
            assert hit("comment", "account:1", THREE_PER_15_MINUTES).allowed
    assert "Rate limit comment not checked" in caplog.text
