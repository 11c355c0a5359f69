"""Guests' cached pages answered before the rest of the middleware runs.

A guest with no session cookie has no account, no messages to show (they are kept in the
session) and no adult consent: their reading pages and lists are the ones every such guest gets.
When such a page is in the page cache (works.pagecache), sessions, authentication, messages,
CSRF, htmx and the view machinery change nothing in the answer, yet cost as much as the rest of
the cached hit. So this middleware, placed under ReadYourWritesMiddleware (its query goes where
the database router says), resolves the URL; for a view marked by `pagecache.guest_page` (the
reading pages, the lists of works), or one whose pages it keeps itself (profiles and pseuds:
`profile_pages`), it asks the view's gate, which asks the reading policy with
the work's row read from the database on every request, never from a cache, and then asks the
page cache. A 304 or a cached page is answered here, with the headers the middleware below would
have added; anything else (a miss, a notice, a 404, a guest with a session) goes down the stack
as before, and the view renders and keeps the page.
"""

import functools
import weakref
from importlib import import_module

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.urls import Resolver404, get_urlconf, resolve

from ficshelf.works import pagecache
from ficshelf.works.extensions import has_personal_cookie

from . import fast_pages, profile_pages


class GuestPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore
        below = settings.MIDDLEWARE[settings.MIDDLEWARE.index(_PATH) + 1 :]
        # The headers that the middleware skipped on a hit add, innermost first as a response
        # passes them (CommonMiddleware's Content-Length is set by `_finish`).
        self.finishers = [
            _HEADER_MIDDLEWARE[path](get_response).process_response
            for path in reversed(below)
            if path in _HEADER_MIDDLEWARE
        ]

    def __call__(self, request):
        if not self._plain_guest(request):
            return self.get_response(request)
        match = _resolved(get_urlconf() or settings.ROOT_URLCONF, request.path_info)
        if match is None:
            return self.get_response(request)
        page_for = getattr(match.func, "guest_page", None)
        kept_here = page_for is None and profile_pages.page_for(match.func)
        if kept_here:
            page_for = kept_here
        if page_for is None:
            return self.get_response(request)
        page = self._page(request, match, page_for)
        response = self._cached(request, match, page_for, page) if page is not None else None
        if response is not None:
            return self._finish(request, response)
        if kept_here and page is not None:
            # A view that knows nothing of the page cache: its page, rendered by the rest of
            # the stack, is kept here (when it can be shared) for the next guest.
            return pagecache.serve(request, page, lambda: self.get_response(request))
        return self.get_response(request)

    def _plain_guest(self, request) -> bool:
        if request.method != "GET" or "view_adult" in request.GET:  # consenting starts a session
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False
        if CookieStorage.cookie_name in request.COOKIES:  # messages, if kept in a cookie
            return False
        if has_personal_cookie(request):  # a guest's own blocklist or reading settings
            return False
        try:
            request.get_host()  # as CommonMiddleware checks it: a bad Host gets its 400 below
        except DisallowedHost:
            return False
        return True

    def _page(self, request, match, page_for):
        # What SessionMiddleware and AuthenticationMiddleware would give this guest (without a
        # query: there is no session to load); they set their own if the request goes on.
        request.session = self.session_store()
        request.user = AnonymousUser()
        return page_for(request, *match.args, **match.kwargs)

    def _cached(self, request, match, page_for, page):
        response = pagecache.cached(request, page)
        if response is not None and response.status_code == 200:
            # The finished answer may be given again in front of the handler (fast_pages).
            fast_pages.mark_hit(request, page_for, match.args, match.kwargs, page)
        return response

    def _finish(self, request, response):
        for name, value in self._added_headers(request).items():
            if name not in response:
                response.headers[name] = value
        if not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        return response

    def _added_headers(self, request) -> dict[str, str]:
        """The headers the skipped middleware add to a page that used no CSP nonce and asked
        for no exemption: the same on every such page (unless CSP excludes some paths), so
        worked out once, and again when the settings change (in tests)."""
        per_path = any(
            (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
            for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        )
        if per_path or self not in _added:
            blank = HttpResponse()
            before = set(blank.headers)
            for finish in self.finishers:
                blank = finish(request, blank)
            added = {name: value for name, value in blank.headers.items() if name not in before}
            if per_path:
                return added
            _added[self] = added
        return _added[self]


# GuestPageMiddleware -> the headers it adds (`_added_headers`).
_added: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@functools.lru_cache(maxsize=4096)
def _resolved(urlconf: str, path: str):
    """The view a path leads to, worked out once for the most read paths (resolving costs as
    much as the page cache's part of a hit); None for a path that leads nowhere."""
    try:
        return resolve(path, urlconf)
    except Resolver404:
        return None


@receiver(setting_changed, dispatch_uid="archive.guest_pages.setting_changed")
def _settings_changed(**kwargs):
    _added.clear()
    _resolved.cache_clear()


_PATH = f"{__name__}.GuestPageMiddleware"
# Middleware that may sit below this one and add headers to a guest's page. Another that does
# must be added here: tests/archive/test_guest_pages.py compares the headers with and without.
_HEADER_MIDDLEWARE = {
    "django.middleware.clickjacking.XFrameOptionsMiddleware": XFrameOptionsMiddleware,
    "csp.middleware.CSPMiddleware": CSPMiddleware,
}
