"""What series does when works change outside its services (connected in SeriesConfig.ready).

- A deleted work takes its parts with it (the cascade): the parts after it move up, so
  positions stay 1..n, and the pages of the works left in the series move on their version.
- A work that changes (posted, restricted to logged-in readers, …) may appear in or vanish from
  its neighbours' "Previous work / Next work" for some readers: their cached pages move on.
"""

from ficshelf.works import versions
from ficshelf.works.models import Work

from .models import Series, SeriesPart
from .services import renumber


def part_deleted(sender, instance: SeriesPart, origin=None, **kwargs) -> None:
    # A series being deleted takes all its parts: nothing is left to renumber (its service
    # moved the versions on first). A work being removed by the services is renumbered there
    # too; doing it again costs one query.
    if isinstance(origin, Series) or getattr(origin, "model", None) is Series:
        return
    if not Series.objects.filter(pk=instance.series_id).exists():
        return
    renumber(instance.series_id)
    left = SeriesPart.objects.filter(series_id=instance.series_id).values("work")
    versions.bump_works(Work.objects.filter(pk__in=left))


def work_changed(sender, *, work_id: int, **kwargs) -> None:
    siblings = (
        SeriesPart.objects.filter(series__parts__work_id=work_id)
        .exclude(work_id=work_id)
        .values_list("work_id", flat=True)
        .distinct()
    )
    siblings = list(siblings)
    if siblings:
        versions.bump_works(siblings)
