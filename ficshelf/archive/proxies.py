"""The reader's own address behind a proxy.

Behind nginx every request comes from nginx's address, so per-address rate limits and guests'
kudos fingerprints would lump all guests together. A proxy we trust (FICSHELF_TRUSTED_PROXIES:
addresses or networks, default this host's loopback, as gunicorn trusts X-Forwarded-Proto)
appends the address it saw to X-Forwarded-For; the client is the right-most address there that
is not one of our proxies. A request from anyone else keeps its own address, whatever header it
sends, so nobody can claim another's address."""

import ipaddress
from functools import cache

from django.conf import settings


@cache
def _trusted_networks() -> tuple:
    return tuple(
        ipaddress.ip_network(entry.strip(), strict=False)
        for entry in settings.TRUSTED_PROXIES
        if entry.strip()
    )


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _trusted_networks())


def client_address(remote_addr: str, forwarded_for: str) -> str:
    """The client's address, from the peer's address and the X-Forwarded-For it sent."""
    if not forwarded_for or not _is_trusted(remote_addr):
        return remote_addr
    for hop in reversed(forwarded_for.split(",")):
        hop = hop.strip()
        if not hop:
            continue
        if not _is_trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote_addr  # a proxy we trust wrote nonsense: keep what we know
    return remote_addr


class ClientAddressMiddleware:
    """Sets REMOTE_ADDR to the reader's address when a trusted proxy forwarded the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            meta["REMOTE_ADDR"] = client_address(meta.get("REMOTE_ADDR", ""), forwarded)
        return self.get_response(request)
