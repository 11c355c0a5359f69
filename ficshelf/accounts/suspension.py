"""Suspended and banned accounts may read but not write: the one guard the writing services call.

An admin (the moderation app) suspends an account until a date (`User.suspended_until`) or bans
it (`is_active=False`). Every service that creates or changes content (works, chapters,
comments, kudos, bookmarks) calls `refuse_if_suspended` first, so every way in (the pages, the
API, the inbox's reply, a management command) is refused alike. `AccountSuspended` is a
PermissionDenied: pages answer it with the 403 page showing its message, the API with a 403
carrying it.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format


class AccountSuspended(PermissionDenied):
    """The account may not post, edit, comment, give kudos or bookmark (until `until`, or for
    good when it is banned and `until` is None)."""

    def __init__(self, until=None):
        self.until = until
        if until is None:
            message = "This account has been banned by an admin: it can no longer post."
        else:
            when = date_format(timezone.localtime(until), "j F Y, H:i T")
            message = (
                f"Your account is suspended until {when}: until then you cannot post or edit "
                "works, comment, leave kudos or bookmark."
            )
        super().__init__(message)


def refuse_if_suspended(user) -> None:
    """Raise AccountSuspended when `user` (an account; guests and None pass) is suspended or
    banned."""
    if user is None or not getattr(user, "is_authenticated", False):
        return
    if not user.is_active:
        raise AccountSuspended()
    if user.is_suspended:
        raise AccountSuspended(user.suspended_until)
