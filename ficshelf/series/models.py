"""Series: works their creators put in order, each work in as many series as they like.

A series belongs to the pseuds that made it (its creators may edit it, as a work's may). What a
reader sees of a series is asked of the reading policy work by work: a guest sees a series with
a logged-in-only work in it, without that work; a series none of whose works the viewer may
reach is not there for them (`Series.objects.visible_to`).
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from ficshelf.accounts.models import Pseud
from ficshelf.userstuff.fields import SanitizedHTMLField
from ficshelf.works import reading
from ficshelf.works.limits import TITLE_MAX
from ficshelf.works.models import Work


class SeriesQuerySet(models.QuerySet):
    def visible_to(self, viewer, way: str = "list") -> "SeriesQuerySet":
        """Series with at least one work `viewer` may reach by `way`."""
        works = Work.objects.visible_to(viewer, way).filter(series_parts__series=OuterRef("pk"))
        return self.filter(Exists(works))

    def by_user(self, user) -> "SeriesQuerySet":
        return self.filter(
            pk__in=SeriesCreatorship.objects.filter(pseud__user=user).values("series")
        )

    def editable_by(self, viewer) -> "SeriesQuerySet":
        if not reading.is_reader(viewer):
            return self.none()
        return self.by_user(viewer)


class Series(models.Model):
    title = models.CharField(max_length=TITLE_MAX)
    summary = SanitizedHTMLField(blank=True, version_field="summary_sanitizer_version")
    notes = SanitizedHTMLField(blank=True, version_field="notes_sanitizer_version")
    # The creators say when a series is finished (AO3's "Complete" on a series).
    is_complete = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    summary_sanitizer_version = models.PositiveSmallIntegerField(default=0, editable=False)
    notes_sanitizer_version = models.PositiveSmallIntegerField(default=0, editable=False)

    pseuds = models.ManyToManyField(Pseud, through="SeriesCreatorship", related_name="series")
    works = models.ManyToManyField(Work, through="SeriesPart", related_name="series")

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("series:series", kwargs={"series_id": self.pk})

    def is_creator(self, viewer) -> bool:
        return reading.is_reader(viewer) and self.creatorships.filter(pseud__user=viewer).exists()


class SeriesCreatorship(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="creatorships")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="series_creatorships")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "pseud"], name="unique_series_creator"),
        ]

    def __str__(self) -> str:
        return f"{self.pseud_id} made series {self.series_id}"


class SeriesPart(models.Model):
    """A work's place in a series: part `position` (1, 2, ...). Positions are kept dense by
    the services; no unique constraint on them, so that a reorder needs no deferred checks
    (SQLite has none for unique constraints)."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="parts")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="series_parts")
    position = models.PositiveIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "work"], name="work_once_per_series"),
            models.CheckConstraint(condition=Q(position__gte=1), name="series_position_from_one"),
        ]
        indexes = [models.Index(fields=["series", "position"], name="series_part_order")]

    def __str__(self) -> str:
        return f"Part {self.position} of series {self.series_id}: work {self.work_id}"
