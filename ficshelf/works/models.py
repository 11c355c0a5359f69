"""Works and their chapters, and who may see them."""

from django.conf import settings
from django.conf.global_settings import LANGUAGES
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from ficshelf.accounts.models import Pseud
from ficshelf.tags.models import ADULT_RATINGS, Rating, Tag, TagKind
from ficshelf.userstuff import TextFormat
from ficshelf.userstuff.fields import SanitizedHTMLField

from . import reading
from .limits import TITLE_MAX

LANGUAGE_CHOICES = sorted(LANGUAGES, key=lambda language: language[1])
LANGUAGE_NAMES = dict(LANGUAGES)


class WorkQuerySet(models.QuerySet):
    def posted(self) -> "WorkQuerySet":
        return self.filter(posted=True)

    def by_user(self, user) -> "WorkQuerySet":
        return self.filter(pk__in=Creatorship.objects.filter(pseud__user=user).values("work"))

    def by_pseud(self, pseud) -> "WorkQuerySet":
        return self.filter(pk__in=Creatorship.objects.filter(pseud=pseud).values("work"))

    def visible_to(self, viewer, way: str = "open") -> "WorkQuerySet":
        """Works `viewer` may reach by `way` (see works.reading, where the rules live):
        posted works (restricted ones to logged-in readers only) and a creator's own drafts."""
        return self.filter(reading.works_filter(viewer, reading.Way(way)))

    def editable_by(self, viewer) -> "WorkQuerySet":
        if not reading.is_reader(viewer):
            return self.none()
        return self.by_user(viewer)

    def newest_updated_first(self) -> "WorkQuerySet":
        # Drafts have no revision date yet: they sort by their last save, alike on both databases
        # (PostgreSQL would put NULLs first and SQLite last).
        return self.order_by(Coalesce("revised_at", "updated_at").desc(), "-pk")

    def with_listing_data(self) -> "WorkQuerySet":
        # The chapter count comes with the row, so a page of blurbs makes no query per work. A
        # draft counts all its chapters (they are all drafts); a posted work its posted ones.
        posted_chapters = (
            Chapter.objects.filter(work=OuterRef("pk"))
            .filter(Q(posted=True) | Q(work__posted=False))
            .order_by()
            .values("work")
            .annotate(count=Count("pk"))
            .values("count")
        )
        # Each prefetch joins what it leads to (pseud and account; tag): two queries for a page
        # of blurbs, where `creatorships__pseud__user` and `taggings__tag` made five.
        return self.prefetch_related(
            models.Prefetch("creatorships", Creatorship.objects.select_related("pseud__user")),
            models.Prefetch("taggings", Tagging.objects.select_related("tag")),
        ).annotate(posted_chapter_count=Coalesce(Subquery(posted_chapters), 0))


class CommentPermission(models.TextChoices):
    """Who may comment on a work (AO3's comment permissions)."""

    EVERYONE = "everyone", "Registered users and guests"
    REGISTERED = "registered", "Registered users only"
    OFF = "off", "No one"


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
    # When the work was last marked complete (AO3's "Completed" date); None while in progress.
    completed_at = models.DateTimeField(null=True, blank=True)
    restricted = models.BooleanField(
        default=False, help_text="Only readers who are logged in can see this work."
    )
    posted = models.BooleanField(default=False)
    # Hidden by an admin (the moderation app sets it, with the reason in its log): nobody finds
    # or reads it but its creators, who still edit it, and admins, who review it (works.reading).
    hidden_by_admin = models.BooleanField(default=False, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    # A draft set to post itself at this time (works.scheduling), and the creator's time zone
    # it was set in (for showing it back to them). Posting clears both.
    scheduled_for = models.DateTimeField(null=True, blank=True, db_index=True)
    scheduled_time_zone = models.CharField(max_length=64, blank=True)
    # When readers last saw a change: a chapter posted or the work revised.
    revised_at = models.DateTimeField(null=True, blank=True, db_index=True)
    word_count = models.PositiveIntegerField(default=0)
    # Counts every change to the work or any of its chapters: an edit form carries the revision
    # it was loaded at, so a save over someone else's newer change is refused, never silent.
    revision = models.PositiveIntegerField(default=1, editable=False)
    # Counts every change to what the work's pages show (metadata, tags, creators, any chapter):
    # cached pages and fragments are keyed by it, so a change is seen on the next request
    # (works.versions moves it on; `revision` above is for edit conflicts only).
    content_version = models.PositiveIntegerField(default=1, editable=False)
    # What readers may say, as the creators set it (the feedback app acts on these).
    comment_permission = models.CharField(
        max_length=10, choices=CommentPermission.choices, default=CommentPermission.EVERYONE
    )
    moderated_comments = models.BooleanField(
        default=False, help_text="New comments wait for a creator's approval."
    )
    critique_welcome = models.BooleanField(
        default=False, help_text="Readers are invited to leave critique (concrit welcome)."
    )
    inline_comments = models.BooleanField(
        default=True, help_text="Readers may comment on a paragraph or a passage."
    )
    # Shown on blurbs and in the stats; moved by the feedback services with F() under the work's
    # row lock, never by re-saving the work. Published comments on the work and its chapters;
    # kudos on the work itself (a chapter's kudos count on the chapter: one reader giving kudos
    # to every chapter would otherwise count many times on the blurb).
    comments_count = models.PositiveIntegerField(default=0, editable=False)
    kudos_count = models.PositiveIntegerField(default=0, editable=False)
    # Public bookmarks of the work, moved by the bookmarks services with F().
    bookmarks_count = models.PositiveIntegerField(default=0, editable=False)
    # Hits (a reader opening a chapter, once a day), recounted by the stats app each time it
    # writes the hits it buffered: for sorting and the work's stats block.
    hits_count = models.PositiveIntegerField(default=0, editable=False)
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
        return reading.is_creator(viewer, self)

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

    @property
    def chapter_count_display(self) -> str:
        """AO3's "posted/expected", e.g. "1/?" or "3/10"."""
        posted = getattr(self, "posted_chapter_count", None)
        if posted is None:
            chapters = self.chapters.filter(posted=True) if self.posted else self.chapters
            posted = chapters.count()
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


class CreatorInvitation(models.Model):
    """A pseud invited to be credited on a work, as on AO3: the work shows on the invited
    creator's pages, and they can edit it, only once they accept."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="creator_invitations")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="creator_invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["work", "pseud"], name="unique_creator_invitation"),
        ]

    def __str__(self) -> str:
        return f"{self.pseud} invited to {self.work}"


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


class FilterTagging(models.Model):
    """A tag a work is found under: one of its own tags, the canonical of a synonym it is
    tagged with, or any tag above those through parents, each once. Kept by works.filtertags
    on every post, edit and import and after every wrangling change, so a tag page (and,
    later, search filters and facet counts) never walks the tag graph: "works under T" reads
    the (tag, work) index, "is W under T" and a work's facets the (work, tag) one."""

    # No single-column indexes: the two below lead with each column.
    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="filter_taggings", db_index=False
    )
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="filter_taggings", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "tag"], name="unique_filter_tagging")
        ]
        indexes = [models.Index(fields=["tag", "work"], name="filter_tagging_tag_work")]

    def __str__(self) -> str:
        return f"{self.work} under {self.tag}"


class ChapterQuerySet(models.QuerySet):
    def visible_to(self, viewer, way: str = "open") -> "ChapterQuerySet":
        """Chapters `viewer` may reach by `way`, by the rules in works.reading."""
        return self.filter(reading.chapters_filter(viewer, reading.Way(way)))


class Chapter(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    summary = SanitizedHTMLField(blank=True, version_field="summary_sanitizer_version")
    notes = SanitizedHTMLField(blank=True, version_field="notes_sanitizer_version")
    end_notes = SanitizedHTMLField(blank=True, version_field="end_notes_sanitizer_version")
    # Paragraph ids (data-p) the server wrote survive every save; user input never carries any.
    text = SanitizedHTMLField(version_field="text_sanitizer_version", keeps_paragraph_ids=True)
    # The format the creator wrote in, and for plain text and Markdown their own source, so the
    # editor shows what they typed rather than the HTML made from it.
    text_format = models.CharField(
        max_length=10, choices=TextFormat.choices, default=TextFormat.HTML
    )
    text_source = models.TextField(blank=True)
    # Paragraph ids (data-p) are handed out from this counter and never reused.
    next_paragraph_id = models.PositiveIntegerField(default=1, editable=False)
    # Counts edits of this chapter: a form carries it so two tabs cannot overwrite each other.
    revision = models.PositiveIntegerField(default=1, editable=False)
    word_count = models.PositiveIntegerField(default=0)
    posted = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    # As on the work: a draft chapter of a posted work set to post itself (works.scheduling).
    scheduled_for = models.DateTimeField(null=True, blank=True, db_index=True)
    scheduled_time_zone = models.CharField(max_length=64, blank=True)
    # As on the work: this chapter's published comments and its own kudos.
    comments_count = models.PositiveIntegerField(default=0, editable=False)
    kudos_count = models.PositiveIntegerField(default=0, editable=False)
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


class ListingsVersion(models.Model):
    """One row, moved on by every change that can alter a list of works (a work posted,
    revised, restricted, retagged, recredited or deleted): cached listings are keyed by it."""

    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="one_listings_version")]

    def __str__(self) -> str:
        return f"Listings version {self.version}"


# --- Nothing written is lost (docs/posting.md) ----------------------------------------------


class FormKind(models.TextChoices):
    """The posting forms that autosave and take a one-time submission token."""

    NEW_WORK = "new_work", "New work"
    EDIT_WORK = "edit_work", "Edit work"
    NEW_CHAPTER = "new_chapter", "New chapter"
    EDIT_CHAPTER = "edit_chapter", "Edit chapter"


class FormAutosave(models.Model):
    """What a creator had typed into a posting form, kept on the server every few seconds
    (static/js/autosave.js) so a closed tab or a crash loses nothing; cleared when the form is
    saved, offered back when the form is opened again (works.autosave)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=FormKind.choices)
    work = models.ForeignKey(Work, on_delete=models.CASCADE, null=True, related_name="+")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, null=True, related_name="+")
    # One autosave per user and form: "new_work", "new_chapter:<work>", "edit_chapter:<chapter>"
    # (a string key, because NULLs never collide in a unique constraint).
    target = models.CharField(max_length=40)
    # The form's fields as posted: {name: [values]} (lists, for multiple choices).
    fields = models.JSONField(default=dict)
    base_revision = models.PositiveIntegerField(null=True, blank=True)
    # The form's one-time submission token: an autosave arriving after that form was saved
    # (a request still on its way) is dropped instead of coming back as "unsaved".
    submission_id = models.UUIDField(null=True, blank=True)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "target"], name="one_autosave_per_form"),
        ]

    def __str__(self) -> str:
        return f"Autosave of {self.target} by {self.user_id}"


class Submission(models.Model):
    """A posting form's one-time token, used once: a double click or a retry after a timeout
    finds the row the first request wrote (a unique constraint, so two at once cannot both
    pass) and is sent to what it made instead of making it twice (works.submissions)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField()
    kind = models.CharField(max_length=16, choices=FormKind.choices)
    # A hash of what was posted: the same token with other content is a stale form (the
    # browser's Back button), saved as new content, never dropped.
    fingerprint = models.CharField(max_length=64)
    work = models.ForeignKey(Work, on_delete=models.SET_NULL, null=True, related_name="+")
    chapter = models.ForeignKey(Chapter, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="one_submission_per_token"),
        ]

    def __str__(self) -> str:
        return f"Submission {self.token} ({self.kind})"


class ChapterVersion(models.Model):
    """An earlier text of a chapter, kept by every save that replaced it (works.history), so
    a creator can compare it with the current one and restore it. The newest
    `history.VERSIONS_KEPT` per chapter are kept."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="versions")
    # 1, 2, 3… per chapter, in the order the texts were replaced; never reused.
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    end_notes = models.TextField(blank=True)
    # Copied as stored (sanitized HTML with its paragraph ids), never re-sanitized here.
    text = models.TextField()
    text_format = models.CharField(
        max_length=10, choices=TextFormat.choices, default=TextFormat.HTML
    )
    text_source = models.TextField(blank=True)
    word_count = models.PositiveIntegerField(default=0)
    # Who saved this text and when (None: saved before versions were kept, or unknown), and
    # who replaced it, when.
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField()
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["chapter", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "number"], name="unique_chapter_version"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.chapter_id}"
