"""Fixtures for the archive's production pieces: a port nothing listens on, a Redis that is down."""

import socket

import pytest

from ficshelf.archive import cache as tolerant_cache


@pytest.fixture
def closed_port():
    """A local TCP port that refuses connections (bound for a moment, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def forget_outages(monkeypatch):
    """Each test starts with Redis servers this process has not seen fail."""
    monkeypatch.setattr(tolerant_cache, "_outages", {})


@pytest.fixture
def cache_down(settings, closed_port, forget_outages):
    """The archive's Redis cache, pointed at a port where no Redis answers."""
    settings.CACHES = {
        "default": {
            "BACKEND": "ficshelf.archive.cache.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    return settings.CACHES["default"]["LOCATION"]
