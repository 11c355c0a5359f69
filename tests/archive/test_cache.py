"""A Redis that is down or full costs cache misses, never error pages (archive/cache.py)."""

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
import redis
from django.core.cache import cache

from tests.factories import PASSWORD, make_user, make_work

pytestmark = pytest.mark.django_db


def test_pages_answer_while_the_cache_server_is_down(client, cache_down):
    work = make_work(title="Read Through The Outage")
    home = client.get("/")
    assert home.status_code == 200
    assert "Read Through The Outage" in home.content.decode()
    assert client.get(f"/works/{work.pk}").status_code == 200
    assert client.get("/users/login").status_code == 200


def test_a_reader_logs_in_and_stays_logged_in_while_the_cache_server_is_down(
    client, cache_down, settings
):
    """Sessions read through the cache, but the database keeps them."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    make_user("reader")
    response = client.post("/users/login", {"username": "reader", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "reader"
    client.post("/users/logout")
    assert not client.get("/").context["user"].is_authenticated


def test_a_cache_server_that_is_down_reads_as_misses(cache_down):
    assert cache.get("work:1", "default") == "default"
    assert cache.set("work:1", "text") is None
    assert cache.add("work:1", "text") is False
    assert cache.delete("work:1") is False
    assert cache.get_many(["work:1", "work:2"]) == {}
    assert cache.set_many({"work:1": "a", "work:2": "b"}) == ["work:1", "work:2"]
    assert cache.has_key("work:1") is False
    assert cache.get_or_set("work:1", "made afresh") == "made afresh"
    with pytest.raises(ValueError):
        cache.incr("requests:reader")


def test_after_one_failure_the_cache_server_is_not_asked_again_for_a_while(cache_down, settings):
    settings.CACHE_RETRY_AFTER = 60
    cache.get("work:1")  # fails once, at connection time
    started = time.monotonic()
    for number in range(200):
        cache.get(f"work:{number}")
    assert time.monotonic() - started < 0.2
    assert cache.is_down()


# --- A real Redis ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    """A Redis of this test module's own on a free port (Debian's redis-server)."""
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(  # noqa: S603 (our own command line)
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield process, client, f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def shared_cache(redis_server, settings, forget_outages):
    process, client, location = redis_server
    client.flushall()
    client.config_set("maxmemory", 0)
    settings.CACHES = {
        "default": {
            "BACKEND": "ficshelf.archive.cache.TolerantRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.CACHE_RETRY_AFTER = 0.2
    yield process, client
    if process.poll() is None:
        os.kill(process.pid, signal.SIGCONT)
    client.config_set("maxmemory", 0)


def test_the_cache_keeps_values_while_redis_answers(shared_cache):
    cache.set("work:1", {"title": "Kept"})
    assert cache.get("work:1") == {"title": "Kept"}
    cache.set("requests:reader", 1)
    assert cache.incr("requests:reader") == 2
    assert cache.delete("work:1") is True
    assert cache.get("work:1") is None


def test_a_value_changed_while_redis_did_not_answer_is_not_served_stale_afterwards(
    shared_cache,
):
    """A session logged out during an outage must not come back from the cache."""
    process, _ = shared_cache
    cache.set("session:reader", "logged in")
    # Redis stops answering. Its open connections are dropped first, so the delete below never
    # reaches it (as in a network partition), rather than waiting in a socket buffer.
    for pool in cache._cache._pools.values():
        pool.disconnect()
    os.kill(process.pid, signal.SIGSTOP)
    try:
        cache.delete("session:reader")
        assert cache.get("session:reader", "miss") == "miss"
    finally:
        os.kill(process.pid, signal.SIGCONT)
    time.sleep(0.3)  # CACHE_RETRY_AFTER
    assert cache.get("session:reader") is None
    cache.set("session:reader", "new session")
    assert cache.get("session:reader") == "new session"


def test_a_full_redis_costs_a_miss_not_an_error_nor_a_stale_value(shared_cache, client):
    _, redis_client = shared_cache
    cache.set("work:1", "old text")
    redis_client.config_set("maxmemory-policy", "noeviction")
    redis_client.config_set("maxmemory", redis_client.info("memory")["used_memory"] + 1024)
    cache.set("work:1", "new text " * 100_000)  # refused: out of memory
    assert cache.get("work:1") is None
    assert client.get("/").status_code == 200
