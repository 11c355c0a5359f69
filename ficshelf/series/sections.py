"""What series adds to works' pages and profiles, through their registries.

On a work page: "Part 2 of <series>" in the preface, and at the end a navigation for each series
("← Previous work | Part 2 of <series> | Next work →"), whose neighbours are the nearest works
the viewer may open (a guest skips logged-in-only works and drafts). A guest's page is cached
whole and keyed by the work's version, which the services and receivers move on whenever a
series' title, works or order change, or a neighbour appears or vanishes. The page asks two
queries for this: the work's series, and the works of those series the viewer may open.

For the work's creators (never a guest, so never a cached page): "Add to series" above it.
"""

from dataclasses import dataclass

from ficshelf.accounts.extensions import ProfileSection
from ficshelf.works import reading
from ficshelf.works.extensions import ReadingAdditions, ReadingSection
from ficshelf.works.models import Work
from ficshelf.works.reading import Way

from .models import Series, SeriesPart
from .queries import series_of

PREFACE_TEMPLATE = "series/_work_preface.html"
NAVIGATION_TEMPLATE = "series/_work_navigation.html"
ADD_TEMPLATE = "series/_add_to_series.html"
PROFILE_TEMPLATE = "series/_profile_series.html"
PROFILE_SERIES = 5


@dataclass(frozen=True)
class Place:
    """Where a work stands in one series, for one viewer."""

    series: Series
    position: int
    previous_id: int | None
    next_id: int | None


def places_of(work, viewer) -> list[Place]:
    """The series `work` is part of, by title, with its neighbours there that `viewer` may
    open. Two queries (one when the work is in no series)."""
    parts = list(
        SeriesPart.objects.filter(work_id=work.pk)
        .select_related("series")
        .only("position", "series__id", "series__title")
        .order_by("series__title", "series_id")
    )
    if not parts:
        return []
    reachable = Work.objects.visible_to(viewer, Way.OPEN).values("pk")
    rows = (
        SeriesPart.objects.filter(series_id__in=[p.series_id for p in parts], work__in=reachable)
        .order_by("series_id", "position", "pk")
        .values_list("series_id", "work_id")
    )
    orders: dict[int, list[int]] = {}
    for series_id, work_id in rows:
        orders.setdefault(series_id, []).append(work_id)
    places = []
    for part in parts:
        order = orders.get(part.series_id, [])
        previous_id = next_id = None
        if work.pk in order:
            at = order.index(work.pk)
            previous_id = order[at - 1] if at > 0 else None
            next_id = order[at + 1] if at + 1 < len(order) else None
        places.append(Place(part.series, part.position, previous_id, next_id))
    return places


def reading_additions(request, work, chapters, *, full: bool) -> ReadingAdditions:
    additions = ReadingAdditions()
    viewer = request.user
    places = places_of(work, viewer)
    if places:
        context = {"places": places}
        additions.preface.append(ReadingSection(PREFACE_TEMPLATE, context))
        additions.after_work.append(ReadingSection(NAVIGATION_TEMPLATE, context))
    if reading.is_creator(viewer, work):
        mine = list(
            Series.objects.editable_by(viewer)
            .exclude(parts__work_id=work.pk)
            .order_by("title", "pk")
            .only("pk", "title")
        )
        additions.before_work.append(
            ReadingSection(ADD_TEMPLATE, {"work": work, "places": places, "choices": mine})
        )
    return additions


def profile_sections(owner, pseud, viewer) -> list[ProfileSection]:
    """The profile's "Series" section: the newest few series the viewer may see."""
    found = series_of(owner, viewer, pseud=pseud)
    count = found.count()
    if not count:
        return []
    shown = list(found.order_by("-updated_at", "-pk")[:PROFILE_SERIES])
    context = {"owner": owner, "pseud": pseud, "series_list": shown, "count": count}
    return [ProfileSection(PROFILE_TEMPLATE, context)]
