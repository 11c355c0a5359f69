"""Making, checking and revoking API tokens (the only writes of the api app)."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import ApiToken

TOKEN_PREFIX = "fsh_"  # noqa: S105 - a prefix, not a secret
NAME_MAX = 100
TOKENS_MAX = 20
# "Last used" is written at most this often, so reading does not write on every request.
LAST_USED_EVERY = timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_token(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`: the row and the token itself, which is never seen again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": ["Please name the token (what will use it?)."]})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": [f"A token's name must be at most {NAME_MAX} characters."]})
    if ApiToken.objects.active().filter(user=user).count() >= TOKENS_MAX:
        raise ValidationError(
            {"name": [f"You can have at most {TOKENS_MAX} tokens: revoke one you no longer use."]}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, token_hash=token_hash(raw), prefix=raw[: len(TOKEN_PREFIX) + 4]
    )
    return token, raw


def revoke_token(*, token: ApiToken, user) -> None:
    if token.user_id != user.pk:
        raise PermissionDenied("Only the token's owner can revoke it.")
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def authenticate(raw: str) -> ApiToken | None:
    """The active token `raw` is, with its (active) account; None for anything else."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_hash=token_hash(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
