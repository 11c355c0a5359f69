"""Works and their chapters, and who may see them."""

from django.conf.global_settings import LANGUAGES
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from ficshelf.accounts.models import Pseud
from ficshelf.tags.models import ADULT_RATINGS, Rating, Tag, TagKind
from ficshelf.userstuff.fields import SanitizedHTMLField

from .limits import TITLE_MAX

LANGUAGE_CHOICES = sorted(LANGUAGES, key=lambda language: language[1])
LANGUAGE_NAMES = dict(LANGUAGES)


def _is_reader(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


class WorkQuerySet(models.QuerySet):
    def posted(self) -> "WorkQuerySet":
        return self.filter(posted=True)

    def by_user(self, user) -> "WorkQuerySet":
        return self.filter(pk__in=Creatorship.objects.filter(pseud__user=user).values("work"))

    def by_pseud(self, pseud) -> "WorkQuerySet":
        return self.filter(pk__in=Creatorship.objects.filter(pseud=pseud).values("work"))

    def visible_to(self, viewer) -> "WorkQuerySet":
        """Works `viewer` may read: posted works (restricted ones to logged-in readers only)
        and, for creators, their own drafts. Every page, feed and download uses this."""
        if not _is_reader(viewer):
            return self.filter(posted=True, restricted=False)
        own = Creatorship.objects.filter(pseud__user=viewer).values("work")
        return self.filter(Q(posted=True) | Q(pk__in=own))

    def editable_by(self, viewer) -> "WorkQuerySet":
        if not _is_reader(viewer):
            return self.none()
        return self.by_user(viewer)

    def newest_updated_first(self) -> "WorkQuerySet":
        # Drafts have no revision date yet: they sort by their last save, alike on both databases
        # (PostgreSQL would put NULLs first and SQLite last).
        return self.order_by(Coalesce("revised_at", "updated_at").desc(), "-pk")

    def with_listing_data(self) -> "WorkQuerySet":
        # The posted-chapter count comes with the row, so a page of blurbs makes no query per work.
        posted_chapters = (
            Chapter.objects.filter(work=OuterRef("pk"), posted=True)
            .order_by()
            .values("work")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.prefetch_related("creatorships__pseud__user", "taggings__tag").annotate(
            posted_chapter_count=Coalesce(Subquery(posted_chapters), 0)
        )


class Work(models.Model):
    title = models.CharField(max_length=TITLE_MAX)
    summary = SanitizedHTMLField(blank=True, version_field="summary_sanitizer_version")
    notes = SanitizedHTMLField(blank=True, version_field="notes_sanitizer_version")
    end_notes = SanitizedHTMLField(blank=True, version_field="end_notes_sanitizer_version")
    rating = models.CharField(max_length=20, choices=Rating.choices, default=Rating.NOT_RATED)
    language = models.CharField(max_length=12, choices=LANGUAGE_CHOICES, default="en")
    # None means the creator does not know yet: shown as "1/?".
    expected_chapters = models.PositiveIntegerField(null=True, blank=True)
    is_complete = models.BooleanField(default=False)
    restricted = models.BooleanField(
        default=False, help_text="Only readers who are logged in can see this work."
    )
    posted = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    # When readers last saw a change: a chapter posted or the work revised.
    revised_at = models.DateTimeField(null=True, blank=True, db_index=True)
    word_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    summary_sanitizer_version = models.PositiveSmallIntegerField(default=0, editable=False)
    notes_sanitizer_version = models.PositiveSmallIntegerField(default=0, editable=False)
    end_notes_sanitizer_version = models.PositiveSmallIntegerField(default=0, editable=False)

    tags = models.ManyToManyField(Tag, through="Tagging", related_name="works")
    pseuds = models.ManyToManyField(Pseud, through="Creatorship", related_name="works")

    objects = WorkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(posted=False) | Q(published_at__isnull=False),
                name="posted_work_has_publication_date",
            ),
            models.CheckConstraint(
                condition=Q(expected_chapters__isnull=True) | Q(expected_chapters__gte=1),
                name="expected_chapters_at_least_one",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("works:work", kwargs={"work_id": self.pk})

    # --- Creators -------------------------------------------------------------------------
    def creator_pseuds(self) -> list[Pseud]:
        return [c.pseud for c in self.creatorships.all()]

    def is_creator(self, viewer) -> bool:
        if not _is_reader(viewer):
            return False
        return any(pseud.user_id == viewer.pk for pseud in self.creator_pseuds())

    # --- Tags -----------------------------------------------------------------------------
    def tags_of_kind(self, kind: str) -> list[Tag]:
        return [t.tag for t in self.taggings.all() if t.tag.kind == kind]

    @property
    def fandoms(self) -> list[Tag]:
        return self.tags_of_kind(TagKind.FANDOM)

    @property
    def relationships(self) -> list[Tag]:
        return self.tags_of_kind(TagKind.RELATIONSHIP)

    @property
    def characters(self) -> list[Tag]:
        return self.tags_of_kind(TagKind.CHARACTER)

    @property
    def freeforms(self) -> list[Tag]:
        return self.tags_of_kind(TagKind.FREEFORM)

    @property
    def warnings(self) -> list[Tag]:
        return self.tags_of_kind(TagKind.WARNING)

    @property
    def categories(self) -> list[Tag]:
        return self.tags_of_kind(TagKind.CATEGORY)

    # --- Reading --------------------------------------------------------------------------
    @property
    def is_adult(self) -> bool:
        return self.rating in ADULT_RATINGS

    @property
    def language_name(self) -> str:
        return LANGUAGE_NAMES.get(self.language, self.language)

    def posted_chapters(self) -> models.QuerySet:
        return self.chapters.filter(posted=True).order_by("position")

    def chapters_visible_to(self, viewer) -> models.QuerySet:
        chapters = self.chapters.order_by("position")
        return chapters if self.is_creator(viewer) else chapters.filter(posted=True)

    @property
    def chapter_count_display(self) -> str:
        """AO3's "posted/expected", e.g. "1/?" or "3/10"."""
        posted = getattr(self, "posted_chapter_count", None)
        if posted is None:
            posted = self.chapters.filter(posted=True).count()
        expected = self.expected_chapters
        if self.is_complete:
            expected = expected or posted
        return f"{posted}/{expected if expected else '?'}"


class Creatorship(models.Model):
    """A pseud credited on a work. Every creator may edit the work."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="creatorships")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="creatorships")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["work", "pseud"], name="unique_creatorship"),
        ]

    def __str__(self) -> str:
        return f"{self.pseud} on {self.work}"


class Tagging(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="taggings")
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="taggings")
    # The order the creator typed the tags in, kept for display.
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["work", "tag"], name="unique_tagging")]

    def __str__(self) -> str:
        return f"{self.tag} on {self.work}"


class ChapterQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> "ChapterQuerySet":
        works = Work.objects.visible_to(viewer)
        if not _is_reader(viewer):
            return self.filter(work__in=works, posted=True)
        own = Creatorship.objects.filter(pseud__user=viewer).values("work")
        return self.filter(work__in=works).filter(Q(posted=True) | Q(work__in=own))


class Chapter(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    summary = SanitizedHTMLField(blank=True, version_field="summary_sanitizer_version")
    notes = SanitizedHTMLField(blank=True, version_field="notes_sanitizer_version")
    end_notes = SanitizedHTMLField(blank=True, version_field="end_notes_sanitizer_version")
    text = SanitizedHTMLField(version_field="text_sanitizer_version")
    word_count = models.PositiveIntegerField(default=0)
    posted = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    summary_sanitizer_version = models.PositiveSmallIntegerField(default=0, editable=False)
    notes_sanitizer_version = models.PositiveSmallIntegerField(default=0, editable=False)
    end_notes_sanitizer_version = models.PositiveSmallIntegerField(default=0, editable=False)
    text_sanitizer_version = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["work", "position"]
        constraints = [
            models.UniqueConstraint(fields=["work", "position"], name="unique_chapter_position"),
            models.CheckConstraint(
                condition=Q(posted=False) | Q(published_at__isnull=False),
                name="posted_chapter_has_publication_date",
            ),
        ]

    def __str__(self) -> str:
        return self.full_title

    @property
    def full_title(self) -> str:
        return (
            f"Chapter {self.position}: {self.title}" if self.title else f"Chapter {self.position}"
        )

    def get_absolute_url(self) -> str:
        return reverse("works:chapter", kwargs={"work_id": self.work_id, "chapter_id": self.pk})
