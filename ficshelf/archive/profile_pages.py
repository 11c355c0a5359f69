"""Guests' profile and pseud pages from the page cache, never stale.

`accounts` sits below `works` and its views know nothing of the page cache, so
`guest_pages.GuestPageMiddleware` serves these two for them: `page_for(view)` gives the gate it
asks (as `pagecache.guest_page` marks the reading views), and the middleware renders a miss
through the rest of the stack and keeps it (`pagecache.serve`).

A profile shows the account's name, its pseuds, and sections from other apps that list works
and series (for a guest: the series with a work they may see, and a "Report" link). A pseud's
page shows the pseud's name and description, whether it is the default, and its series. The
key is made of:

- the rows shown, read on every request: the account's name and its pseuds (name,
  description, default). A new pseud, a rename, a new default (made with `update()`, which
  sends no signal), a deleted account or pseud change them, whichever way they were made;
- the listings version, which any change to a work or a series moves on (a new work, an edit,
  a hide, a deletion: `works.versions`).

Their changes are not dated, so these pages carry an ETag and no Last-Modified.
"""

import hashlib

from django.utils import timezone

from ficshelf.accounts import views as account_views
from ficshelf.accounts.models import Pseud
from ficshelf.works import pagecache, versions


def _account_rows(username: str) -> list[tuple]:
    return list(
        Pseud.objects.filter(user__username__iexact=username)
        .order_by("pk")
        .values_list("user_id", "user__username", "pk", "name", "is_default", "description")
    )


def _page(kind: str, username: str) -> pagecache.Page | None:
    listings = versions.listings()
    rows = _account_rows(username)
    if listings is None or not rows:
        return None  # the view answers (a 404 for no such account)
    shown = hashlib.sha256(repr(rows).encode()).hexdigest()
    # Dated now: never a Last-Modified (pagecache gives none to a page changed this recently).
    return pagecache.Page((kind, listings.version, shown), timezone.now())


def _profile(request, username: str):
    return _page("profile", username)


def _pseud(request, username: str, pseud: str):
    return _page("pseud", username)


_GATES = {account_views.profile: _profile, account_views.pseud: _pseud}


def page_for(view):
    """The gate of a view whose guests' pages the middleware keeps itself, or None."""
    return _GATES.get(view)
