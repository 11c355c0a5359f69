"""What the moderation tests share: accounts, a logged-in browser, a report filed by the
service as a reader would."""

from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client

from ficshelf.moderation.services import file_report
from tests.factories import make_account


def client_of(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def make_admin(username: str = "admin"):
    """A staff account that may act on comments (feedback's moderator permission)."""
    admin = make_account(username, is_staff=True)
    admin.user_permissions.add(Permission.objects.get(codename="change_commentreport"))
    return admin


def report(kind, target, *, by=None, email="guest@example.org", description="It is spam."):
    return file_report(
        kind=kind,
        target=target,
        category="spam",
        description=description,
        reporter=by,
        email="" if by is not None else email,
    )


def forget_rate_limits() -> None:
    cache.clear()
