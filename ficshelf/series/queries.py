"""Reads of the series app, each taking its viewer: what a series shows them, and whose series
they see. The reading policy decides work by work (works.reading)."""

from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery, Sum

from ficshelf.works import reading
from ficshelf.works.models import Work
from ficshelf.works.reading import Way

from .models import Series, SeriesCreatorship, SeriesPart


def with_creators(series):
    """Series with their creators' pseuds (and accounts) in one more query."""
    creatorships = SeriesCreatorship.objects.select_related("pseud__user").order_by("pk")
    return series.prefetch_related(Prefetch("creatorships", queryset=creatorships))


def reachable_works(series: Series, viewer):
    """The works of `series` that `viewer` may find in a list (their own drafts too)."""
    return Work.objects.visible_to(viewer, Way.LIST).filter(series_parts__series=series)


def in_order(works, series: Series):
    position = SeriesPart.objects.filter(series=series, work=OuterRef("pk")).values("position")
    return works.annotate(series_position=Subquery(position[:1])).order_by("series_position", "pk")


def totals(series: Series, viewer) -> dict:
    """Words and works over the posted works of `series` the viewer may see, and when the
    newest of them was last revised."""
    found = (
        reachable_works(series, viewer)
        .filter(posted=True)
        .aggregate(words=Sum("word_count"), works=Count("pk"), updated=Max("revised_at"))
    )
    found["words"] = found["words"] or 0
    return found


def series_of(owner, viewer, *, pseud=None):
    """The series `owner` (or their `pseud`) made that `viewer` may see: all of them for the
    owner, those with a work the viewer may reach for anyone else."""
    if pseud is not None:
        found = Series.objects.filter(creatorships__pseud=pseud)
    else:
        found = Series.objects.by_user(owner)
    if reading.is_reader(viewer) and viewer.pk == owner.pk:
        return found
    return found.visible_to(viewer, Way.LIST)


def with_listing_totals(series, viewer):
    """Series annotated with `visible_works` and `words` over the posted works the viewer may
    see (one query for a page of them)."""
    visible = Work.objects.visible_to(viewer, Way.LIST).filter(posted=True).values("pk")
    seen = Q(parts__work__in=visible)
    return with_creators(series).annotate(
        visible_works=Count("parts", filter=seen, distinct=True),
        words=Sum("parts__work__word_count", filter=seen),
    )
