"""A Redis cache that a Redis outage, or a full Redis, cannot turn into error pages.

Every error is logged and read as a miss: `get` gives the default, `add`/`touch`/`delete` and
`has_key` say False, `set` does nothing, `incr` says the key is missing. After a connection
error or a time-out the process stops asking Redis for `CACHE_RETRY_AFTER` seconds, so an outage
costs one time-out, not one a call. A key whose write failed is deleted as soon as Redis answers
again: a value from before the outage must not outlive a change made during it (a session that
was logged out, say).
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.utils.functional import cached_property
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Past this many keys to forget, the cache is flushed when Redis answers again.
MAX_UNSAVED_KEYS = 10_000


class _Outage:
    """What one process knows of one Redis: shared by the threads' cache objects."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.unsaved: set[str] = set()
        self.flush = False

    def remember(self, keys: list[str]) -> None:
        with self.lock:
            self.unsaved.update(keys)
            if len(self.unsaved) > MAX_UNSAVED_KEYS:
                self.unsaved.clear()
                self.flush = True

    def take(self) -> tuple[list[str], bool]:
        with self.lock:
            keys, flush = list(self.unsaved), self.flush
            self.unsaved.clear()
            self.flush = False
            return keys, flush


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


class TolerantRedisCache(RedisCache):
    """Django's Redis cache, with errors logged and read as misses."""

    @cached_property
    def _outage(self) -> _Outage:
        location = ",".join(self._servers)
        with _outages_lock:
            return _outages.setdefault(location, _Outage())

    def is_down(self) -> bool:
        """Whether this process has stopped asking Redis after an error."""
        return self._outage.down_until > time.monotonic()

    def _safely(self, method, *args, miss=None, written=(), version=None):
        """`method(*args)`, or `miss` when Redis fails; the `written` keys are then forgotten."""
        outage = self._outage
        written = [self.make_key(key, version=version) for key in written]
        if outage.down_until > time.monotonic():
            outage.remember(written)
            return miss
        try:
            self._forget_unsaved(outage)
            result = method(*args)
        except RedisError as error:
            if isinstance(error, (RedisConnectionError, RedisTimeoutError)):
                if not outage.down_until:
                    logger.warning(
                        "Cache server unreachable (%s): reading misses, asking again every %ss",
                        error,
                        settings.CACHE_RETRY_AFTER,
                    )
                outage.down_until = time.monotonic() + settings.CACHE_RETRY_AFTER
            else:  # a full Redis (OOM) or another refusal: this call only
                logger.warning("Cache server refused %s: %s", method.__name__, error)
            outage.remember(written)
            return miss
        if outage.down_until:
            outage.down_until = 0.0
            logger.warning("Cache server answers again")
        return result

    def _forget_unsaved(self, outage: _Outage) -> None:
        """Delete the keys whose write failed, before anything else is read or written."""
        if not (outage.unsaved or outage.flush):
            return
        keys, flush = outage.take()
        try:
            if flush:
                logger.warning("Flushing the cache: too many writes failed while it was down")
                self._cache.clear()
            elif keys:
                self._cache.delete_many(keys)
        except RedisError:
            outage.remember(keys)
            outage.flush = outage.flush or flush
            raise

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # Not forgotten when it fails: a key that exists was put there by someone else (a lock).
        return self._safely(super().add, key, value, timeout, version, miss=False)

    def get(self, key, default=None, version=None):
        return self._safely(super().get, key, default, version, miss=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._safely(super().set, key, value, timeout, version, written=[key], version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely(super().touch, key, timeout, version, miss=False)

    def delete(self, key, version=None):
        return self._safely(
            super().delete, key, version, miss=False, written=[key], version=version
        )

    def get_many(self, keys, version=None):
        return self._safely(super().get_many, keys, version, miss={})

    def has_key(self, key, version=None):
        return self._safely(super().has_key, key, version, miss=False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._safely(super().incr, key, delta, version, miss=missing)
        if value is missing:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        keys = list(data)
        return self._safely(
            super().set_many, data, timeout, version, miss=keys, written=keys, version=version
        )

    def delete_many(self, keys, version=None):
        keys = list(keys)
        self._safely(super().delete_many, keys, version, written=keys, version=version)

    def clear(self):
        return self._safely(super().clear, miss=False)

    def count_attempt(self, key, timeout, version=None):
        """`add(key, 0, timeout)` then `incr(key)`, as accounts.ratelimits counts, in one round
        trip instead of three (Django's incr asks whether the key exists first): request limits
        count every request. None when Redis fails."""
        key = self.make_and_validate_key(key, version=version)

        def count_attempt() -> int:
            pipeline = self._cache.get_client(key, write=True).pipeline(transaction=False)
            pipeline.set(key, 0, ex=timeout, nx=True)
            pipeline.incr(key)
            return pipeline.execute()[1]

        return self._safely(count_attempt)
