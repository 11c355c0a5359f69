"""Rate limits in Django's shared cache: how often one actor may do one thing.

A fixed window per action and actor: the first attempt in a window makes its counter, each
attempt adds one (refused ones too, so hammering never helps), and the window's end is when
the actor may act again. An actor is an account ("account:<id>"), or a guest known only by a
salted hash of their IP address: no raw address is ever stored.

A cache that is down must not take down what it guards: every error is logged and the attempt
allowed (commenting stays up; the other spam defences still stand).
"""

import hashlib
import hmac
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

KEY_PREFIX = "ficshelf:ratelimit"


@dataclass(frozen=True)
class Limit:
    """At most `count` attempts every `seconds`."""

    count: int
    seconds: int


@dataclass(frozen=True)
class Decision:
    allowed: bool
    # Seconds until the actor may act again (0 when allowed).
    retry_after: int = 0


ALLOWED = Decision(True)


def account_actor(user) -> str:
    return f"account:{user.pk}"


def guest_actor(ip: str) -> str:
    """A guest by a keyed hash of their IP address: stable for the limit, useless to anyone
    who reads the cache without the secret key."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"ratelimit-ip:{ip}".encode(), hashlib.sha256
    ).hexdigest()
    return f"guest:{digest[:32]}"


def actor_for(request) -> str:
    """The account making the request, or the guest's hashed address (REMOTE_ADDR, which
    archive.proxies.ClientAddressMiddleware sets to the reader's behind a trusted proxy)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return account_actor(user)
    return guest_actor(request.META.get("REMOTE_ADDR", ""))


def hit(action: str, actor: str, limit: Limit, *, now: float | None = None) -> Decision:
    """Count one attempt at `action` by `actor`, and say whether it is within `limit`."""
    now = time.time() if now is None else now
    window = int(now // limit.seconds)
    key = _key(action, actor, limit, window)
    try:
        # The counter outlives its window by a little, so it cannot expire between add and
        # incr; a later window has a key of its own.
        count = _count_attempt(key, limit.seconds + 60)
    except Exception:
        logger.warning("Rate limit %s not checked: the cache did not answer", action, exc_info=True)
        return ALLOWED
    if count is None:
        logger.warning("Rate limit %s not checked: the cache did not answer", action)
        return ALLOWED
    if count <= limit.count:
        return ALLOWED
    retry_after = max(1, math.ceil((window + 1) * limit.seconds - now))
    return Decision(False, retry_after)


def _count_attempt(key: str, timeout: int) -> int | None:
    """The attempt's number in its window. A cache that can count in one round trip does
    (archive.cache.TolerantRedisCache: None when Redis is down); others add, then incr."""
    count_attempt = getattr(cache, "count_attempt", None)
    if count_attempt is not None:
        return count_attempt(key, timeout)
    cache.add(key, 0, timeout)
    return cache.incr(key)


def _key(action: str, actor: str, limit: Limit, window: int) -> str:
    return f"{KEY_PREFIX}:{action}:{actor}:{limit.seconds}:{window}"


def peek(action: str, actor: str, limit: Limit, *, now: float | None = None) -> Decision:
    """Whether one more attempt would be within `limit`, without counting one: for limits
    counted on failures only (logging in), checked before the attempt is made."""
    now = time.time() if now is None else now
    window = int(now // limit.seconds)
    try:
        count = cache.get(_key(action, actor, limit, window), 0)
    except Exception:
        logger.warning("Rate limit %s not checked: the cache did not answer", action, exc_info=True)
        return ALLOWED
    if count < limit.count:
        return ALLOWED
    return Decision(False, max(1, math.ceil((window + 1) * limit.seconds - now)))


def clear(action: str, actor: str, limit: Limit, *, now: float | None = None) -> None:
    """Forget the actor's attempts in the current window (a successful login)."""
    now = time.time() if now is None else now
    try:
        cache.delete(_key(action, actor, limit, int(now // limit.seconds)))
    except Exception:
        logger.warning("Rate limit %s not cleared: the cache did not answer", action, exc_info=True)
