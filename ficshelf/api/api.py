"""The public API, /api/v1/ (django-ninja: docs/decisions.md says why), and how its errors
look. Every error is JSON {"detail": ..., "errors": {field: [messages]}}: 400 for bad input
(a wrong type or bad JSON included: ninja's 422 is turned into 400), 401 for a bad token, 403,
404 (also for what the caller may not see: a draft, a logged-in-only work for a guest), 409 for
an edit over a newer revision, 429 past the rate limit."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from . import reads, writes  # noqa: F401 - they register their operations on the router
from .access import OptionalTokenAuth, RateLimited
from .cursors import BadCursor
from .router import router
from .writes import Conflict

DESCRIPTION = """Read Ficshelf's works, chapters, tags, creators and series as JSON, search
with the site's own filters, and (with a token made on your account's "API tokens" page)
post and update your own works. Lists are cursor-paginated: follow `next`. See the archive's
docs/reading.md and docs/posting.md, "API"."""

api = NinjaAPI(
    title="Ficshelf API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    # The interactive docs page loads its scripts from a CDN, which the CSP forbids and which
    # a self-hosted archive must not depend on: only the OpenAPI document is served.
    docs_url=None,
    auth=OptionalTokenAuth(),
)
api.add_router("", router)


def _error(request, status: int, detail: str, errors: dict | None = None):
    body = {"detail": detail}
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(NinjaValidationError)
def bad_input(request, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ()) if part not in {"body"})
        errors.setdefault(where or "request", []).append(str(error.get("msg", "Invalid.")))
    return _error(request, 400, "The request is not valid.", errors)


@api.exception_handler(DjangoValidationError)
def refused(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        errors = {
            name: [str(m) for m in DjangoValidationError(e).messages]
            for name, e in exc.error_dict.items()
        }
    else:
        errors = {"request": [str(m) for m in exc.messages]}
    return _error(request, 400, "The request is not valid.", errors)


@api.exception_handler(BadCursor)
def bad_cursor(request, exc: BadCursor):
    return _error(request, 400, str(exc), {"cursor": [str(exc)]})


@api.exception_handler(PermissionDenied)
def forbidden(request, exc: PermissionDenied):
    return _error(request, 403, str(exc) or "You may not do that.")


@api.exception_handler(Conflict)
def conflict(request, exc: Conflict):
    return _error(request, 409, str(exc))


@api.exception_handler(RateLimited)
def rate_limited(request, exc: RateLimited):
    response = _error(request, 429, str(exc))
    response["Retry-After"] = str(exc.retry_after)
    return response
