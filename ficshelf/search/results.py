"""The works a search finds, in the order asked for, and the facet counts over them.

Tag filters and facets read FilterTagging (a work's tags, their canonicals and parents, kept
by works.filtertags), so nothing walks the tag graph here. Everything starts from
`visible_to(viewer, Way.SEARCH)`: a work the viewer may not see is neither found nor counted."""

from dataclasses import dataclass

from django.db.models import Count, F
from django.db.models.functions import Coalesce

from ficshelf.tags.models import Rating, TagKind
from ficshelf.works import extensions
from ficshelf.works.models import Chapter, FilterTagging, Work
from ficshelf.works.reading import Way

from .fulltext import matching_works

FACET_SIZE = 10
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
    "words": ["-word_count", "-pk"],
    "kudos": ["-kudos_count", "-pk"],
    "comments": ["-comments_count", "-pk"],
}


def find_works(viewer, criteria: dict):
    """Posted works `viewer` may find that meet the cleaned search form's `criteria`."""
    works = Work.objects.visible_to(viewer, Way.SEARCH).posted()
    works = extensions.without_hidden(works, viewer)
    if criteria.get("q"):
        works = works.filter(pk__in=matching_works(criteria["q"], works.db))
    for tag in criteria.get("include", []):
        works = works.filter(pk__in=FilterTagging.objects.filter(tag=tag).values("work"))
    if criteria.get("exclude"):
        works = works.exclude(
            pk__in=FilterTagging.objects.filter(tag__in=criteria["exclude"]).values("work")
        )
    if criteria.get("rating"):
        works = works.filter(rating=criteria["rating"])
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
    return works.order_by(*ORDERINGS[criteria.get("sort") or "updated"])


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


def facets(works) -> list[Facet]:
    """Top counts over `works`: one grouped query per facet."""
    ids = works.order_by().values("pk")
    labels = dict(Rating.choices)
    ratings = (
        Work.objects.filter(pk__in=ids)
        .values("rating")
        .annotate(count=Count("pk"))
        .order_by("-count", "rating")[:FACET_SIZE]
    )
    entries = [
        FacetEntry(labels.get(row["rating"], row["rating"]), row["count"], row["rating"])
        for row in ratings
    ]
    found = [Facet("Ratings", "rating", entries)] if entries else []
    for kind, label in FACET_KINDS:
        # Synonyms are left out: their works are counted under their canonical.
        rows = (
            FilterTagging.objects.filter(work__in=ids, tag__kind=kind, tag__merger__isnull=True)
            .values("tag__name")
            .annotate(count=Count("work"))
            .order_by("-count", "tag__name")[:FACET_SIZE]
        )
        entries = [FacetEntry(row["tag__name"], row["count"], row["tag__name"]) for row in rows]
        if entries:
            found.append(Facet(label, "tags", entries))
    return found
