"""The works a search finds, in the order asked for, and the facet counts over them.

Tag filters and facets read FilterTagging (a work's tags, their canonicals and parents, kept
by works.filtertags), so nothing walks the tag graph here. Everything starts from
`visible_to(viewer, Way.SEARCH)`: a work the viewer may not see is neither found nor counted."""

from collections import Counter
from dataclasses import dataclass

from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Lower

from ficshelf.tags.models import Rating, Tag, TagKind
from ficshelf.works import extensions, keyset
from ficshelf.works.models import Chapter, Creatorship, FilterTagging, Tagging, Work
from ficshelf.works.reading import Way

from .fulltext import matching_works

FACET_SIZE = 10
# "More" on one facet lists this many of its entries (the rest of a huge facet stays a search
# away: its tags can be typed into the include box).
FACET_MORE_SIZE = 200
FACET_KINDS = [
    (TagKind.WARNING, "Warnings"),
    (TagKind.CATEGORY, "Categories"),
    (TagKind.FANDOM, "Fandoms"),
    (TagKind.RELATIONSHIP, "Relationships"),
    (TagKind.CHARACTER, "Characters"),
    (TagKind.FREEFORM, "Additional tags"),
]
ORDERINGS = {
    "updated": [Coalesce("revised_at", "updated_at").desc(), "-pk"],
    "posted": [F("published_at").desc(), "-pk"],
    "title": ["title", "pk"],
    "creator": [F("first_creator").asc(nulls_last=True), "pk"],
    "words": ["-word_count", "-pk"],
    "kudos": ["-kudos_count", "-pk"],
    "comments": ["-comments_count", "-pk"],
    "bookmarks": ["-bookmarks_count", "-pk"],
    "hits": ["-hits_count", "-pk"],
}
# The same sorts for the results pages (works.keyset), each with the pk after its key.
ORDERS = {
    "updated": keyset.NEWEST_UPDATED,
    "posted": keyset.Order(F("published_at"), descending=True, dates=True),
    "title": keyset.Order(F("title"), descending=False),
    "creator": keyset.Order(F("first_creator"), descending=False, nulls_last=True),
    "words": keyset.Order(F("word_count"), descending=True),
    "kudos": keyset.Order(F("kudos_count"), descending=True),
    "comments": keyset.Order(F("comments_count"), descending=True),
    "bookmarks": keyset.Order(F("bookmarks_count"), descending=True),
    "hits": keyset.Order(F("hits_count"), descending=True),
}
# Facets count over at most this many results, the first in the search's order: a search that
# finds more shows counts "among the first 1,000", so a broad search costs what a narrow one
# does (AO3 counts over everything, on Elasticsearch).
FACET_SAMPLE = keyset.EXACT_TOTAL


def _first_creator():
    """The work's first creator name, alphabetically (AO3 sorts by it), case-blind."""
    names = (
        Creatorship.objects.filter(work=OuterRef("pk"))
        .annotate(key=Lower("pseud__name"))
        .order_by("key")
        .values("key")[:1]
    )
    return Subquery(names)


def crossovers():
    """Works tagged with two or more fandoms; a synonym and its canonical count as one."""
    return (
        Tagging.objects.filter(tag__kind=TagKind.FANDOM)
        .annotate(fandom=Coalesce("tag__merger_id", "tag_id"))
        .values("work")
        .annotate(fandoms=Count("fandom", distinct=True))
        .filter(fandoms__gte=2)
        .values("work")
    )


def find_works(viewer, criteria: dict, *, request=None):
    """Posted works `viewer` may find that meet the cleaned search form's `criteria`
    (`request` carries a guest's own blocklist, when they keep one)."""
    works = Work.objects.visible_to(viewer, Way.SEARCH).posted()
    if criteria.get("q"):
        works = works.filter(pk__in=matching_works(criteria["q"], works.db))
    works = keyset.with_tags(works, criteria.get("include", []), sample=FACET_SAMPLE + 1)
    if criteria.get("exclude"):
        # NOT EXISTS, probed on the (work, tag) index for each work found: `NOT IN` over a
        # common tag's works makes PostgreSQL hash all of them (140,000 at 650,000 works).
        works = works.exclude(
            Exists(FilterTagging.objects.filter(work=OuterRef("pk"), tag__in=criteria["exclude"]))
        )
    if criteria.get("rating"):
        works = works.filter(rating=criteria["rating"])
    if criteria.get("crossover") == "exclude":
        works = works.exclude(pk__in=crossovers())
    elif criteria.get("crossover") == "only":
        works = works.filter(pk__in=crossovers())
    if criteria.get("status") == "complete":
        works = works.filter(is_complete=True)
    elif criteria.get("status") == "in_progress":
        works = works.filter(is_complete=False)
    if criteria.get("single_chapter"):
        works = works.filter(
            pk__in=Chapter.objects.filter(posted=True)
            .values("work")
            .annotate(count=Count("pk"))
            .filter(count=1)
            .values("work")
        )
    if criteria.get("language"):
        works = works.filter(language=criteria["language"])
    if criteria.get("words_from") is not None:
        works = works.filter(word_count__gte=criteria["words_from"])
    if criteria.get("words_to") is not None:
        works = works.filter(word_count__lte=criteria["words_to"])
    # Dates are whole days in the archive's time zone, both ends included.
    for field, column in (("updated", "revised_at"), ("posted", "published_at")):
        if criteria.get(f"{field}_from"):
            works = works.filter(**{f"{column}__date__gte": criteria[f"{field}_from"]})
        if criteria.get(f"{field}_to"):
            works = works.filter(**{f"{column}__date__lte": criteria[f"{field}_to"]})
    # Last, so that "N works hidden by your filters" counts only works this search would find.
    works = extensions.without_hidden(works, viewer, request=request)
    sort = criteria.get("sort") or "updated"
    if sort == "creator":
        works = works.annotate(first_creator=_first_creator())
    return works.order_by(*ORDERINGS[sort])


@dataclass(frozen=True)
class FacetEntry:
    name: str
    count: int
    value: str  # what the include/exclude links add: a tag name, or a rating


@dataclass(frozen=True)
class Facet:
    label: str
    field: str  # "rating", or "tags" for the tag kinds
    entries: list[FacetEntry]
    kind: str = ""  # the tag kind, for "more" links
    has_more: bool = False  # entries beyond those listed
    expanded: bool = False  # listed up to FACET_MORE_SIZE ("more" was asked for)


def first_found(works, order: keyset.Order) -> list[tuple]:
    """(pk, sort key, rating) of the first FACET_SAMPLE + 1 works found, in `order`: all of
    them when there are no more (an exact total and exact facets), else a sample. They are
    the numbered pages too (keyset.paginate's `first`) and the ratings facet."""
    ordered = works.annotate(_key=order.key).order_by(*order.order_by())
    return list(ordered.values_list("pk", "_key", "rating")[: FACET_SAMPLE + 1])


def facets(works, *, more: str = "", ids: list[int] | None = None, ratings=None) -> list[Facet]:
    """Top counts over `works` (or over the works `ids`, when given; `ratings`, their ratings
    when the caller has them): one query for every tag kind (and one for the ratings unless
    given); the facet of kind `more` lists up to FACET_MORE_SIZE entries instead of
    FACET_SIZE."""
    if ids is None:
        ids = list(works.order_by().values_list("pk", flat=True))
    labels = dict(Rating.choices)
    if ratings is None:
        ratings = Work.objects.filter(pk__in=ids).values_list("rating", flat=True)
    rated = sorted(Counter(ratings).items(), key=lambda item: (-item[1], item[0]))
    entries = [
        FacetEntry(labels.get(rating, rating), count, rating)
        for rating, count in rated[:FACET_SIZE]
    ]
    found = [Facet("Ratings", "rating", entries)] if entries else []
    by_kind: dict[str, list[tuple[int, str]]] = {}
    for kind, name, count in _tag_counts(ids, works.db):
        by_kind.setdefault(kind, []).append((-count, name))
    for kind, label in FACET_KINDS:
        size = FACET_MORE_SIZE if kind == more else FACET_SIZE
        rows = sorted(by_kind.get(kind, []))[: size + 1]  # one past the size: are there more?
        entries = [FacetEntry(name, -count, name) for count, name in rows[:size]]
        if entries:
            found.append(
                Facet(
                    label,
                    "tags",
                    entries,
                    kind=kind,
                    has_more=len(rows) > size,
                    expanded=kind == more,
                )
            )
    return found


def _tag_counts(ids: list[int], using: str) -> list[tuple[str, str, int]]:
    """(kind, name, works) of every canonical tag of a facet kind among the works `ids`.

    Counted per tag id on FilterTagging alone, then joined to the tags by id, in that order
    on both databases (SQLite's CROSS JOIN keeps the order it is written in; PostgreSQL
    plans it as an inner join): joined freely,
    SQLite takes `merger IS NULL` for a rare value and probes every tag in the archive
    against the works (seconds at 400,000 works). Synonyms are left out: their works are
    counted under their canonical."""
    if not ids:
        return []
    connection = connections[using]
    quote = connection.ops.quote_name
    kinds = [kind for kind, _ in FACET_KINDS]
    work_marks = ", ".join(["%s"] * len(ids))
    kind_marks = ", ".join(["%s"] * len(kinds))
    filters, tags = quote(FilterTagging._meta.db_table), quote(Tag._meta.db_table)
    sql = (
        f"SELECT t.kind, t.name, c.n FROM (SELECT tag_id, COUNT(*) AS n FROM {filters} "  # noqa: S608
        f"WHERE work_id IN ({work_marks}) GROUP BY tag_id) c CROSS JOIN {tags} t "
        f"WHERE t.id = c.tag_id AND t.merger_id IS NULL AND t.kind IN ({kind_marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *kinds])
        return cursor.fetchall()
