"""Who is calling, and how often they may: the API's authentication and rate limits.

The viewer is the token's account (`Authorization: Bearer <token>`) or a guest. Session cookies
are ignored: the API is for tools, it reads nothing a browser's cookies would unlock, and so
needs no CSRF defence. A token that is unknown or revoked is refused (401), never read as a
guest, so a tool notices. Reads and writes are counted per token (guests per hashed address)
with accounts.ratelimits; past the limit the answer is 429 with Retry-After."""

from django.contrib.auth.models import AnonymousUser
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from ficshelf.accounts import ratelimits
from ficshelf.accounts.ratelimits import Limit

from . import tokens

READ_LIMIT = Limit(count=120, seconds=60)
WRITE_LIMIT = Limit(count=20, seconds=60)


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__("Too many requests: wait a little and try again.")
        self.retry_after = retry_after


def _token_from_header(request) -> str | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise AuthenticationError(message="Send the token as “Authorization: Bearer <token>”.")
    return raw.strip()


def _count(action: str, actor: str, limit: Limit) -> None:
    decision = ratelimits.hit(action, actor, limit)
    if not decision.allowed:
        raise RateLimited(decision.retry_after)


class TokenAuth(HttpBearer):
    """A token is required (writes)."""

    optional = False
    action, limit = "api-write", "WRITE_LIMIT"

    def __call__(self, request):
        raw = _token_from_header(request)
        if raw is None:
            if not self.optional:
                return None
            viewer = AnonymousUser()
            actor = ratelimits.guest_actor(request.META.get("REMOTE_ADDR", ""))
        else:
            token = tokens.authenticate(raw)
            if token is None:
                raise AuthenticationError(message="This token is unknown or was revoked.")
            viewer, actor = token.user, f"token:{token.pk}"
            request.api_token = token
        _count(self.action, actor, globals()[self.limit])
        request.api_viewer = viewer
        return viewer

    def authenticate(self, request, token):  # pragma: no cover - __call__ does it all
        return None


class OptionalTokenAuth(TokenAuth):
    """A token is optional (reads): without one, the caller reads as a guest."""

    optional = True
    action, limit = "api-read", "READ_LIMIT"


def viewer_of(request):
    return getattr(request, "api_viewer", None) or AnonymousUser()
