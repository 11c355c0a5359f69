"""The account's own data as one JSON-ready dict (the export page, and the archive's account
deletion, which offers it before anything is deleted)."""

from django.utils import timezone

from .extensions import account_export
from .models import User


def export_data(user: User) -> dict:
    """The account and every part apps registered (accounts.extensions.account_export)."""
    data = {
        "format": "ficshelf-account-export",
        "version": 1,
        "exported_at": timezone.now(),
    }
    data.update(account_export(user))
    # Last, so that no part can stand in for the account itself.
    data["account"] = {
        "username": user.username,
        "email": user.email,
        "date_joined": user.date_joined,
        "pseuds": [
            {
                "name": pseud.name,
                "description": pseud.description,
                "is_default": pseud.is_default,
                "created_at": pseud.created_at,
            }
            for pseud in user.pseuds.order_by("created_at", "pk")
        ],
    }
    return data
