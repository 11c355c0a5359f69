"""Cursor pagination: a page ends where the next one starts, by the sort key and the pk.

A cursor is the last row's (key, pk), signed so it cannot be forged or edited: a page never
counts the whole list, and rows added or removed meanwhile move no row into or out of a later
page twice. The orderings are the search page's (search.results.ORDERINGS), each with the pk as
a tie-break in the key's own direction."""

from datetime import datetime

from django.core import signing
from django.db.models import F, Q
from django.db.models.functions import Coalesce

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
_SALT = "ficshelf.api.cursor"

# sort -> (key expression, descending, may the key be NULL)
SORT_KEYS = {
    "updated": (lambda: Coalesce("revised_at", "updated_at"), True),
    "posted": (lambda: F("published_at"), True),
    "title": (lambda: F("title"), False),
    # find_works annotates first_creator for this sort (NULLs last).
    "creator": (lambda: F("first_creator"), False),
    "words": (lambda: F("word_count"), True),
    "kudos": (lambda: F("kudos_count"), True),
    "comments": (lambda: F("comments_count"), True),
    "bookmarks": (lambda: F("bookmarks_count"), True),
    "hits": (lambda: F("hits_count"), True),
}


class BadCursor(Exception):
    pass


def _dump(value):
    return {"t": "dt", "v": value.isoformat()} if isinstance(value, datetime) else value


def _load(value):
    if isinstance(value, dict) and value.get("t") == "dt":
        return datetime.fromisoformat(value["v"])
    return value


def encode(sort: str, key, pk: int) -> str:
    return signing.dumps({"s": sort, "k": _dump(key), "p": pk}, salt=_SALT, compress=True)


def decode(cursor: str, sort: str) -> tuple:
    try:
        data = signing.loads(cursor, salt=_SALT)
        if data["s"] != sort:
            raise BadCursor("This cursor belongs to a list in another order.")
        return _load(data["k"]), int(data["p"])
    except BadCursor:
        raise
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise BadCursor("This cursor is not one this API gave out.") from None


def _after(key, pk: int, descending: bool) -> Q:
    """Rows after (key, pk) in the order: NULL keys sort last either way."""
    if key is None:
        return Q(_cursor_key__isnull=True) & (Q(pk__lt=pk) if descending else Q(pk__gt=pk))
    if descending:
        later = Q(_cursor_key__lt=key) | Q(_cursor_key=key, pk__lt=pk)
    else:
        later = Q(_cursor_key__gt=key) | Q(_cursor_key=key, pk__gt=pk)
    return later | Q(_cursor_key__isnull=True)


def page(works, *, sort: str, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """One page of `works` in `sort` order after `cursor`: the rows and the next cursor."""
    expression, descending = SORT_KEYS[sort]
    works = works.annotate(_cursor_key=expression())
    if descending:
        works = works.order_by(F("_cursor_key").desc(nulls_last=True), "-pk")
    else:
        works = works.order_by(F("_cursor_key").asc(nulls_last=True), "pk")
    if cursor:
        works = works.filter(_after(*decode(cursor, sort), descending))
    rows = list(works[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], encode(sort, last._cursor_key, last.pk)
