"""Works' filter tags (FilterTagging): the tags each work is found under.

`refresh_filter_tags` recomputes them from the works' own tags and the tag graph (synonyms'
canonicals, parents). The posting services call it in their transaction; after a wrangling
change (tags.signals.tags_wrangled) the works concerned are recomputed by a background task,
and the page-cache versions move both when the change is made and when the task has run, so a
guest never gets a page older than the filter tags.
"""

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import receiver

from ficshelf.tags.models import Tag, ancestors
from ficshelf.tags.signals import tags_wrangled

from . import versions
from .models import FilterTagging, Tagging, Work


def refresh_filter_tags(work_ids: Iterable[int]) -> set[int]:
    """Make the filter tags of these works right; returns the ids of the works that changed."""
    work_ids = set(work_ids)
    own: dict[int, set[int]] = {work_id: set() for work_id in work_ids}
    for work_id, tag_id in Tagging.objects.filter(work__in=work_ids).values_list(
        "work_id", "tag_id"
    ):
        own[work_id].add(tag_id)
    closures = ancestors({tag_id for tag_ids in own.values() for tag_id in tag_ids})
    current: dict[int, set[int]] = {work_id: set() for work_id in work_ids}
    for work_id, tag_id in FilterTagging.objects.filter(work__in=work_ids).values_list(
        "work_id", "tag_id"
    ):
        current[work_id].add(tag_id)
    changed, stale, new = set(), [], []
    for work_id, tag_ids in own.items():
        wanted = set().union(*(closures[tag_id] for tag_id in tag_ids))
        if wanted == current[work_id]:
            continue
        changed.add(work_id)
        stale.extend((work_id, tag_id) for tag_id in current[work_id] - wanted)
        new.extend(
            FilterTagging(work_id=work_id, tag_id=tag_id) for tag_id in wanted - current[work_id]
        )
    for work_id in {work_id for work_id, _ in stale}:
        gone = [tag_id for w, tag_id in stale if w == work_id]
        FilterTagging.objects.filter(work_id=work_id, tag_id__in=gone).delete()
    FilterTagging.objects.bulk_create(new, ignore_conflicts=True)
    return changed


def works_under(tag_ids: Iterable[int]):
    """The works found under any of these tags now (a wrangling change to a tag can only change
    the filter tags of works found under it)."""
    return Work.objects.filter(
        pk__in=FilterTagging.objects.filter(tag__in=list(tag_ids)).values("work")
    )


@receiver(tags_wrangled, sender=Tag, dispatch_uid="works.filtertags.tags_wrangled")
def _tags_wrangled(sender, tag_ids, **kwargs):
    # The tag pages show synonyms, parents and children: lists move on now, and the works
    # concerned get their filter tags recomputed once the change is committed.
    versions.bump_works(works_under(tag_ids))
    from .tasks import refresh_wrangled_works

    transaction.on_commit(lambda: refresh_wrangled_works.enqueue(list(tag_ids)), robust=True)
