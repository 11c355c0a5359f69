"""An account's sessions: recorded on login, listed on /users/<name>/sessions, revocable.

A revoked session is deleted from the session store, so the next request with its cookie is a
guest's. A password change keeps the browser that made it (Django's update_session_auth_hash
moves it to a new key) and logs out every other: they no longer match the password's hash, and
they are deleted here too.
"""

import hashlib
import hmac
from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction

from .models import AccountSession


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _ip_hash(ip: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"session-ip:{ip}".encode(), hashlib.sha256
    ).hexdigest()[:16]


def record(request, user) -> None:
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    AccountSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
            "ip_hash": _ip_hash(request.META.get("REMOTE_ADDR", "")),
        },
    )


def forget(session_key: str | None) -> None:
    if session_key:
        AccountSession.objects.filter(session_key=session_key).delete()


def moved(old_key: str | None, new_key: str | None) -> None:
    """The current session changed its key (a password change cycles it)."""
    if old_key and new_key and old_key != new_key:
        AccountSession.objects.filter(session_key=old_key).update(session_key=new_key)


def sessions_of(user) -> list[AccountSession]:
    """The account's live sessions; rows whose session expired or was flushed are dropped."""
    store = _store()
    rows = list(AccountSession.objects.filter(user=user))
    gone = [row.pk for row in rows if not store().exists(row.session_key)]
    if gone:
        AccountSession.objects.filter(pk__in=gone).delete()
    return [row for row in rows if row.pk not in gone]


@transaction.atomic
def revoke(*, user, session: AccountSession) -> None:
    """End one of the account's sessions, wherever it is."""
    if session.user_id != user.pk:
        raise PermissionError("Only the account's owner can end its sessions.")
    _store()().delete(session.session_key)
    session.delete()


@transaction.atomic
def revoke_others(*, user, current_key: str | None) -> int:
    """End every session of the account but the one making the request."""
    others = AccountSession.objects.filter(user=user).exclude(session_key=current_key or "")
    store = _store()()
    count = 0
    for row in others:
        store.delete(row.session_key)
        count += 1
    others.delete()
    return count


def _logged_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        record(request, user)


def _logged_out(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        forget(request.session.session_key)


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="accounts-record-session")
    user_logged_out.connect(_logged_out, dispatch_uid="accounts-forget-session")
