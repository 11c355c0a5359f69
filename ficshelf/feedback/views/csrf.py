"""CSRF for feedback forms that guests use too.

A guest's reading page is cached whole and shared by every guest, so it can carry no CSRF token
(and a compressed page must hold no secret: BREACH). A guest also has no ambient authority a
forged request could borrow: a forged guest comment is no more than the forger could post
themselves, and the spam defences (honeypot, minimum fill time, rate limits) apply alike. So the
views that take comments and kudos are csrf_exempt and call `require_csrf_for_accounts`: a
logged-in request, whose session is the authority worth stealing, is checked exactly as
CsrfViewMiddleware checks it (docs/decisions.md, "Feedback forms and CSRF")."""

from django.core.exceptions import PermissionDenied
from django.middleware.csrf import CsrfViewMiddleware


class _AccountsOnlyCsrf(CsrfViewMiddleware):
    def _reject(self, request, reason):
        raise PermissionDenied(f"CSRF verification failed: {reason}")


def require_csrf_for_accounts(request) -> None:
    """Raise PermissionDenied (403) when a logged-in request fails Django's CSRF check."""
    if not request.user.is_authenticated:
        return
    checker = _AccountsOnlyCsrf(lambda request: None)
    # process_view skips views marked csrf_exempt: check as if this one were not.
    checker.process_request(request)
    checker.process_view(request, _checked_view, (), {})


def _checked_view(request):  # pragma: no cover - never called, only inspected
    return None
