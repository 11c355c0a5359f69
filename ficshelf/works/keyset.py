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

No list counts all its works: up to `EXACT_TOTAL` it is counted exactly, past that the caller's
estimate is shown, marked as such ("about 1,000,000 works"), or "more than 1,000". A numbered
page reads the keys of the first `EXACT_TOTAL + 1` works in one statement (at most a thousand
index entries, as the OFFSET would read): they are the count and the page at once, one round
trip instead of two; a caller that already has them (a search) passes them as `first`.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.core.cache import cache
from django.db import connections, router
from django.db.models import Exists, OuterRef, Q
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
    first: list[tuple] | None = None,
) -> Page:
    """The page of `works` (a filtered QuerySet) that the GET `params` ask for, in `order`.
    `rows(ids)` gives the works to show for those ids (with their blurb data), in any order;
    `estimate()` an approximate total for a list longer than EXACT_TOTAL; `total`, when the
    caller has already counted (up to EXACT_TOTAL + 1) or knows the list to be far longer
    (an estimate, `about`), saves the count; `first`, the
    (pk, key, ...) of the first EXACT_TOTAL + 1 works in `order` when the caller has read them,
    saves reading them for a numbered page."""
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
        number = _page_number(params.get("page"))
        if first is None:
            ordered = works.order_by(*order.order_by())
            if total is not None and total.about:
                # The caller knows the list is long: only this page's keys are read.
                first = list(ordered.values_list("pk", "_key")[: number * PER_PAGE + 1])
            else:
                # The numbered pages lie within the first EXACT_TOTAL + 1 works: their keys
                # are the bounded count and this page in one statement.
                first = list(ordered.values_list("pk", "_key")[: EXACT_TOTAL + 1])
        if total is None:
            total = _total(len(first), estimate)
        if total.count is not None and not total.about:
            number = min(number, max(1, -(-total.count // PER_PAGE)))
        start = (number - 1) * PER_PAGE
        keys = [(row[0], row[1]) for row in first[start : start + PER_PAGE + 1]]
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


def _total(counted: int, estimate) -> Total:
    """The total shown for a list of which `counted` works (at most EXACT_TOTAL + 1) were read."""
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


# --- Lists under tags -------------------------------------------------------------------------

# How long a tag's size (its filter taggings) and the archive's are trusted for choosing a
# plan: a size only steers how the database is asked, never what is found.
SIZE_SECONDS = 10 * 60
# A fence well above any list: `pk IN (... LIMIT FENCE)` keeps PostgreSQL from pulling the
# subquery up into the outer join order, so the intersection starts where it is told to.
FENCE = 100_000_000


def archive_size(model) -> int | None:
    """`estimated_rows(model)`, read at most every SIZE_SECONDS."""
    return cache.get_or_set(
        f"works.estimated-rows:{model._meta.db_table}", lambda: estimated_rows(model), SIZE_SECONDS
    )


def tag_sizes(tags, using: str = "default") -> dict[int, int]:
    """How many works each tag is a filter tag of (drafts and restricted works too), counted
    up to a bound (`_size_bound`) in one statement, and kept in the shared cache a while."""
    from .models import FilterTagging

    ids = sorted({tag.pk for tag in tags})
    keys = {pk: f"works.tag-size:{pk}" for pk in ids}
    known = cache.get_many(list(keys.values()))
    sizes = {pk: known[key] for pk, key in keys.items() if key in known}
    missing = [pk for pk in ids if pk not in sizes]
    if missing:
        table = connections[using].ops.quote_name(FilterTagging._meta.db_table)
        bounded = f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE tag_id = %s LIMIT %s) b)"  # noqa: S608
        sql = "SELECT " + ", ".join([bounded] * len(missing))
        bound = _size_bound()
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [value for pk in missing for value in (pk, bound)])
            counted = dict(zip(missing, cursor.fetchone(), strict=True))
        cache.set_many({keys[pk]: n for pk, n in counted.items()}, SIZE_SECONDS)
        sizes.update(counted)
    return sizes


def _size_bound() -> int:
    # Four times the size past which one tag is walked rather than driven from (`drive_from`):
    # counting a tag on a fifth of the archive stops well before its end.
    from .models import Work

    archive = archive_size(Work) or 0
    return max(10_000, 4 * math.isqrt((EXACT_TOTAL + 1) * archive))


def drive_from(tags, sizes: dict[int, int], archive: int | None, sample: int):
    """The tag whose works a list under all of `tags` should start from, or None to walk the
    works in the list's order and test each one, to find the first `sample` works.

    Starting from the rarest tag's works costs about as many rows as it has (n); walking in
    order costs the works passed before `sample` matches are found: about sample * archive /
    matches, the matches estimated as n times each other tag's share of the archive (tags
    that go together, a character and its fandom, make the true figure larger and walking
    cheaper than estimated; starting from the rare tag is bounded by n either way). For one
    tag on a million works and a sample of 1,001 the crossover is about 32,000 works: a broad
    tag ("Fluff", 16 %) is walked, a character or a pairing is driven from."""
    if not tags:
        return None
    rarest = min(tags, key=lambda tag: (sizes.get(tag.pk, 0), tag.pk))
    if not archive:
        return rarest
    matches = float(max(sizes.get(rarest.pk, 0), 1))
    for tag in tags:
        if tag.pk != rarest.pk:
            matches *= min(1.0, sizes.get(tag.pk, 0) / archive)
    walked = sample * archive / max(matches, 1.0)
    return rarest if sizes.get(rarest.pk, 0) <= walked else None


def _has_tag(tag, work):
    from .models import FilterTagging

    return Exists(FilterTagging.objects.filter(work=work, tag=tag))


def with_tags(works, tags, *, sample: int | None = None):
    """`works` (a QuerySet) under every one of `tags` (their filter tags), asked so that the
    database starts from the rarest tag's works when that is cheaper than walking the order's
    index to the first `sample` (by default a numbered page's worth: EXACT_TOTAL + 1), and
    walks otherwise (`drive_from`). Either way the same works are found."""
    from .models import FilterTagging, Work

    tags = list(tags)
    if not tags:
        return works
    sizes = tag_sizes(tags, works.db)
    driver = drive_from(tags, sizes, archive_size(Work), sample or EXACT_TOTAL + 1)
    if driver is None:
        # Tested work by work, a probe of the (work, tag) index each, in the list's order.
        for tag in tags:
            works = works.filter(_has_tag(tag, OuterRef("pk")))
        return works
    found = FilterTagging.objects.filter(tag=driver)
    for tag in tags:
        if tag.pk != driver.pk:
            found = found.filter(_has_tag(tag, OuterRef("work")))
    return works.filter(pk__in=found.values("work")[:FENCE])
