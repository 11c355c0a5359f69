"""Site-wide request rate limits: how many requests one client may make a minute.

Each request is of one kind: a page (GET, HEAD), a post (any other method), or one of the costly
ones that have a bucket of their own (search, downloads and exports, feeds and OPDS, the API).
A client is an account, or a guest known by a salted hash of their address (as resolved by
archive.proxies.ClientAddressMiddleware, which runs first); many readers behind one NAT who are
logged in are counted apart. The counting is accounts.ratelimits' fixed window in the shared
cache (local memory, or Redis for several app servers); past the limit the answer is 429 with
Retry-After, a small page or, under /api/, JSON.

A request without a session cookie can only be a guest's, so it is counted here, before the
guest page cache, sessions and the database: counting costs one round trip to Redis. One with a
session cookie is counted in `process_view`, once authentication has run, by its account (or
by its address when the session holds no account). The API counts its own calls per token
(api.access); here it is only counted per address, well above that, so that one address cannot
flood it with many or unknown tokens.

Static files, the health and readiness checks and robots.txt are never counted, nor are the
addresses in REQUEST_LIMITS["EXEMPT"] (by default this machine: load tests, monitoring, and a
proxy on this host that forwards the reader's address, as it must). A cache that is down lets
every request through, and says so in the log.
"""

import functools
import ipaddress
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import add_never_cache_headers

from ficshelf.accounts import ratelimits
from ficshelf.accounts.ratelimits import Limit

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Never counted: load balancers ask these often, and crawlers must be able to read the rules.
EXEMPT_VIEWS = frozenset({"archive:health", "archive:ready", "archive:robots"})
# Costly to answer, each with a bucket of its own whatever the method. Besides these, a view
# whose URL name says "download" or "export" is "downloads", and Atom feeds (a route ending in
# .atom) and the OPDS catalog are "feeds": new ones are counted without a change here.
COSTLY_VIEWS = {
    "search:works": "search",
    "downloads:opds_search": "search",
    "inbox:feed": "feeds",
    # Checking while typing: a bucket of its own, so that it never spends the author's posts.
    "betareader:live_check": "checks",
}
# The bucket's name for a request whose kind its method decides.
BY_METHOD = ""
_PENDING = "_ficshelf_request_limit"
REFUSED_API_DETAIL = "Too many requests: wait a little and try again."


class RequestLimitMiddleware:
    """Answers 429 to a client past its limit for the kind of request it makes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limits = getattr(settings, "REQUEST_LIMITS", None) or {}
        if not limits.get("ENABLED"):
            return self.get_response(request)
        kind = kind_of(request)
        address = request.META.get("REMOTE_ADDR", "")
        if kind is None or _exempt(address, tuple(limits.get("EXEMPT", ()))):
            return self.get_response(request)
        if kind == "api" or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            refused = _count(request, kind, ratelimits.guest_actor(address), account=False)
            return refused or self.get_response(request)
        # Whose the session is, authentication says below; process_view counts it then.
        setattr(request, _PENDING, kind)
        response = self.get_response(request)
        if _PENDING in request.__dict__:
            # No view ran (a 404, a redirect or a refusal by the middleware below): count it
            # still, by what authentication made of the session if it got that far.
            refused = _count_pending(request)
            if refused is not None:
                return refused
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _PENDING not in request.__dict__:
            return None
        return _count_pending(request)


def kind_of(request) -> str | None:
    """The request's bucket ("pages", "posts", "search", "downloads", "feeds", "api"), or
    None when it is never counted."""
    static = urlsplit(settings.STATIC_URL or "").path
    if static and static != "/" and request.path.startswith(static):
        return None
    urlconf = getattr(request, "urlconf", None) or get_urlconf() or settings.ROOT_URLCONF
    kind = _path_kind(urlconf, request.path_info)
    if kind == BY_METHOD:
        return "pages" if request.method in SAFE_METHODS else "posts"
    return kind


@functools.lru_cache(maxsize=4096)
def _path_kind(urlconf: str, path: str) -> str | None:
    """The bucket a path's view has, or BY_METHOD, worked out once for the most read paths.
    A path that leads nowhere is a page (or a post): a scanner's 404s count too."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return BY_METHOD
    if match.view_name in EXEMPT_VIEWS:
        return None
    if "api" in match.namespaces:
        return "api"
    if match.view_name in COSTLY_VIEWS:
        return COSTLY_VIEWS[match.view_name]
    name = match.url_name or ""
    if "download" in name or "export" in name:
        return "downloads"
    route = match.route or ""
    if route.endswith(".atom") or route == "opds" or route.startswith("opds/"):
        return "feeds"
    return BY_METHOD


@functools.lru_cache(maxsize=16)
def _exempt_networks(entries: tuple[str, ...]) -> tuple:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            logger.warning("REQUEST_LIMITS EXEMPT: %r is not an address or network", entry)
    return tuple(networks)


def _exempt(address: str, entries: tuple[str, ...]) -> bool:
    if not entries:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _exempt_networks(entries))


def limit_for(kind: str, *, account: bool) -> Limit:
    """The limit for one kind of request, per guest address or per account, from settings."""
    limits = settings.REQUEST_LIMITS
    per_guest, per_account = limits["PER_MINUTE"][kind]
    count = per_account if account else per_guest
    return Limit(max(1, int(count * float(limits.get("SCALE", 1)))), 60)


def _count_pending(request) -> HttpResponse | None:
    kind = request.__dict__.pop(_PENDING)
    user = getattr(request, "user", None)
    account = bool(user is not None and user.is_authenticated)
    return _count(request, kind, ratelimits.actor_for(request), account=account)


def _count(request, kind: str, actor: str, *, account: bool) -> HttpResponse | None:
    """Count the request; the 429 to answer when it is over the limit, else None."""
    if getattr(cache, "is_down", lambda: False)():
        return None  # Redis is down: the cache said so once, not a warning per request
    limit = limit_for(kind, account=account)
    decision = ratelimits.hit(f"requests-{kind}", actor, limit)
    if decision.allowed:
        return None
    _log_once(kind, actor, limit)
    return refusal(decision.retry_after, api=kind == "api")


def _log_once(kind: str, actor: str, limit: Limit) -> None:
    """One line per client and window, whatever the number of refused requests."""
    key = f"{ratelimits.KEY_PREFIX}:logged:{kind}:{actor}"
    try:
        first = cache.add(key, 1, limit.seconds)
    except Exception:
        first = False
    if first:
        logger.warning("Request limit reached: %s past %s %s a minute", actor, limit.count, kind)


def refusal(retry_after: int, *, api: bool = False) -> HttpResponse:
    """429 with Retry-After: JSON for the API (as its own limits answer), else a page that
    needs no request context nor the database."""
    if api:
        response = JsonResponse({"detail": REFUSED_API_DETAIL}, status=429)
    else:
        response = HttpResponse(
            render_to_string("429.html", {"retry_after": retry_after}), status=429
        )
        # Answered above the CSP and frame middleware: its own strict policy (no script).
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'"
        )
        response.headers["X-Frame-Options"] = "DENY"
    response.headers["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    # Not one "Too Many Requests" line per refused request from django.request: `_log_once`.
    response._has_been_logged = True
    return response


@receiver(setting_changed, dispatch_uid="archive.request_limits.setting_changed")
def _settings_changed(setting, **kwargs):
    if setting in {"ROOT_URLCONF", "STATIC_URL"}:
        _path_kind.cache_clear()
