"""The reader's own address behind a proxy: trusted proxies' X-Forwarded-For, nobody else's."""

import pytest

from ficshelf.archive import proxies
from ficshelf.archive.proxies import client_address


@pytest.fixture(autouse=True)
def proxies_in_use(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/24"]
    proxies._trusted_networks.cache_clear()
    yield
    proxies._trusted_networks.cache_clear()


def test_a_proxy_on_this_host_names_the_reader():
    assert client_address("127.0.0.1", "203.0.113.7") == "203.0.113.7"


def test_the_right_most_address_that_is_not_our_proxy_is_the_reader():
    # The reader claims to be 198.51.100.1; our two proxies saw 203.0.113.7.
    forwarded = "198.51.100.1, 203.0.113.7, 10.0.0.5"
    assert client_address("127.0.0.1", forwarded) == "203.0.113.7"


def test_anyone_else_keeps_their_own_address_whatever_they_claim():
    assert client_address("203.0.113.9", "127.0.0.1") == "203.0.113.9"


def test_nonsense_from_a_trusted_proxy_keeps_the_peer_address():
    assert client_address("127.0.0.1", "not-an-address") == "127.0.0.1"
    assert client_address("127.0.0.1", "10.0.0.5, ") == "127.0.0.1"


def test_guests_behind_the_proxy_are_limited_apart(client, db):
    from ficshelf.accounts.ratelimits import actor_for

    seen = []

    def remember(request):
        seen.append(actor_for(request))

    for address in ("203.0.113.7", "203.0.113.8"):
        response = client.get("/", HTTP_X_FORWARDED_FOR=address, REMOTE_ADDR="127.0.0.1")
        assert response.status_code == 200
        remember(response.wsgi_request)
    assert seen[0] != seen[1]
