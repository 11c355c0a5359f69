"""Pages of a list of works that cost the same at any depth, for the index, tag pages, creators'
pages and search results.

AO3's numbered pages come first: `?page=N` up to `NUMBERED_PAGES` is an OFFSET over the sort's
index, at most a thousand index entries. Past them, each page is read from where the previous
one ended: `?after=<cursor>` (and `?before=` going back) carries the sort key and id of the
last (first) work shown, signed so that it is only ever a value we wrote, and the database
seeks to it on the index that serves the sort — no rows are skipped, however deep.

Either way the page's ids are read first with only the sort columns, and the blurbs' data (the
chapter count subquery, creators, tags) is read for those twenty ids alone, so nothing runs for
rows that are not shown.

No list counts all its works: up to `EXACT_TOTAL` it is counted exactly (a bounded count over
the same index), past that the caller's estimate is shown, marked as such ("about 1,000,000
works"), or "more than 1,000".
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.db import connections, router
from django.db.models import Q
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce

PER_PAGE = 20
NUMBERED_PAGES = 50
EXACT_TOTAL = NUMBERED_PAGES * PER_PAGE
_SALT = "works.keyset"


@dataclass(frozen=True)
class Order:
    """A sort of works: one key (an expression on Work) and the id after it, both in the same
    direction. `dates` says the key is a datetime (cursors carry it as ISO text)."""

    key: Expression
    descending: bool
    nulls_last: bool = False
    dates: bool = False

    def order_by(self, reverse: bool = False) -> list:
        descending = self.descending != reverse
        if self.nulls_last:
            key = self.key.desc(nulls_first=True) if descending else self.key.asc(nulls_last=True)
        else:
            key = self.key.desc() if descending else self.key.asc()
        return [key, "-pk" if descending else "pk"]

    def beyond(self, value, pk: int, reverse: bool = False) -> Q:
        """Works after (value, pk) in this order (before it when `reverse`). Written as a range
        on the key and a test on the id, so both databases seek on the index."""
        descending = self.descending != reverse
        if value is None:  # only with nulls_last: NULL keys sort last
            if descending:  # going back from a NULL key: NULLs with lower ids, then the rest
                return Q(_key__isnull=False) | Q(_key__isnull=True, pk__lt=pk)
            return Q(_key__isnull=True, pk__gt=pk)
        if descending:
            return Q(_key__lte=value) & ~Q(_key=value, pk__gte=pk)
        condition = Q(_key__gte=value) & ~Q(_key=value, pk__lte=pk)
        if self.nulls_last:
            condition |= Q(_key__isnull=True)
        return condition


NEWEST_UPDATED = Order(Coalesce("revised_at", "updated_at"), descending=True, dates=True)


@dataclass
class Total:
    """How many works the list has: `count` exactly, or an estimate (`about`), or only that
    there are more than EXACT_TOTAL (`count` None)."""

    count: int | None
    about: bool = False

    def __str__(self) -> str:
        if self.count is None:
            return f"more than {EXACT_TOTAL:,} works"
        noun = "work" if self.count == 1 else "works"
        return f"about {self.count:,} {noun}" if self.about else f"{self.count} {noun}"


class Paginator:
    """What templates read of Django's Paginator: `count` (the exact or estimated total, for
    "N works" and the hidden-works notice) and `num_pages` (None when unknown)."""

    def __init__(self, total: Total):
        self.total = total
        self.count = total.count if total.count is not None else EXACT_TOTAL + 1
        self.num_pages = (
            max(1, -(-total.count // PER_PAGE)) if total.count is not None and not total.about
            else None
        )  # fmt: skip


@dataclass
class Page:
    """One page of works and the links around it (query strings without the leading `?`)."""

    works: list
    number: int
    paginator: Paginator
    next_query: str | None
    previous_query: str | None

    def __iter__(self):
        return iter(self.works)

    def __len__(self) -> int:
        return len(self.works)

    @property
    def object_list(self) -> list:
        return self.works

    @object_list.setter
    def object_list(self, works) -> None:
        self.works = list(works)

    @property
    def total(self) -> Total:
        return self.paginator.total

    @property
    def has_next(self) -> bool:
        return self.next_query is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_query is not None

    @property
    def is_numbered(self) -> bool:
        return self.number <= NUMBERED_PAGES


def _page_number(value) -> int:
    try:
        return min(max(int(value), 1), NUMBERED_PAGES)
    except (TypeError, ValueError, OverflowError):
        return 1


def _cursor(order: Order, key, pk: int, number: int) -> str:
    value = key.isoformat() if order.dates and key is not None else key
    return signing.dumps([value, pk, number], salt=_SALT, compress=True)


def _read_cursor(order: Order, token: str):
    """(key, pk, page number) from a cursor we wrote, or None for anything else."""
    try:
        value, pk, number = signing.loads(token, salt=_SALT)
        if order.dates and value is not None:
            value = datetime.fromisoformat(value)
        return value, int(pk), max(int(number), 1)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def _query(params, **changes) -> str:
    params = params.copy()
    for name in ("page", "after", "before"):
        params.pop(name, None)
    for name, value in changes.items():
        params[name] = value
    return params.urlencode()


def paginate(
    works,
    params,
    *,
    order: Order = NEWEST_UPDATED,
    rows: Callable[[list[int]], object],
    estimate: Callable[[], int | None] | None = None,
    total: Total | None = None,
) -> Page:
    """The page of `works` (a filtered QuerySet) that the GET `params` ask for, in `order`.
    `rows(ids)` gives the works to show for those ids (with their blurb data), in any order;
    `estimate()` an approximate total for a list longer than EXACT_TOTAL; `total`, when the
    caller has already counted (up to EXACT_TOTAL + 1), saves the count."""
    works = works.annotate(_key=order.key)
    found = None
    for direction in ("after", "before"):
        if params.get(direction):
            found = _read_cursor(order, params[direction])
            if found is not None:
                break
    if found is not None:
        value, pk, number = found
        reverse = direction == "before"
        seek = works.filter(order.beyond(value, pk, reverse)).order_by(*order.order_by(reverse))
        keys = list(seek.values_list("pk", "_key")[: PER_PAGE + 1])
        more = len(keys) > PER_PAGE
        keys = keys[:PER_PAGE]
        if reverse:
            keys.reverse()
            # Going back: more rows before this page mean a previous link; the next page is
            # always there (we came from it).
            has_previous, has_next = more, True
        else:
            has_previous, has_next = True, more
        # Past the numbered pages the list is longer than EXACT_TOTAL: no count, only the
        # estimate.
        if total is None:
            guess = estimate() if estimate is not None else None
            total = Total(guess, about=True) if guess and guess > EXACT_TOTAL else Total(None)
    else:
        total = total or _total(works, estimate)
        number = _page_number(params.get("page"))
        if total.count is not None and not total.about:
            number = min(number, max(1, -(-total.count // PER_PAGE)))
        ordered = works.order_by(*order.order_by())
        start = (number - 1) * PER_PAGE
        keys = list(ordered.values_list("pk", "_key")[start : start + PER_PAGE + 1])
        has_next, has_previous = len(keys) > PER_PAGE, number > 1
        keys = keys[:PER_PAGE]
    if not keys:
        has_next = False
    next_query = previous_query = None
    if has_next and keys:
        if number < NUMBERED_PAGES and found is None:
            next_query = _query(params, page=str(number + 1))
        else:
            next_query = _query(params, after=_cursor(order, keys[-1][1], keys[-1][0], number + 1))
    if has_previous:
        if number - 1 <= NUMBERED_PAGES:
            previous_query = _query(params, page=str(number - 1))
        elif keys:
            previous_query = _query(
                params, before=_cursor(order, keys[0][1], keys[0][0], number - 1)
            )
    ids = [pk for pk, _ in keys]
    by_id = {work.pk: work for work in rows(ids)} if ids else {}
    shown = [by_id[pk] for pk in ids if pk in by_id]
    return Page(shown, number, Paginator(total), next_query, previous_query)


def _total(works, estimate) -> Total:
    # A bounded count: at most EXACT_TOTAL + 1 index entries are read.
    counted = works.order_by().values("pk")[: EXACT_TOTAL + 1].count()
    if counted <= EXACT_TOTAL:
        return Total(counted)
    guess = estimate() if estimate is not None else None
    if guess is not None and guess > EXACT_TOTAL:
        return Total(guess, about=True)
    return Total(None)


def estimated_rows(model) -> int | None:
    """The database's own estimate of the rows in `model`'s table, kept by ANALYZE (and by
    autovacuum on PostgreSQL): no scan. None when it has none yet."""
    using = router.db_for_read(model)
    table = model._meta.db_table
    with connections[using].cursor() as cursor:
        if connections[using].vendor == "postgresql":
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table]
            )
            row = cursor.fetchone()
            return int(row[0]) if row and row[0] and row[0] > 0 else None
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:  # never analyzed
            return None
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [table])
        row = cursor.fetchone()
        return int(row[0].split()[0]) if row else None
