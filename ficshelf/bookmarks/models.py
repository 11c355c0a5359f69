"""Bookmarks: a reader keeps a work or a series, with a note, their own tags and a "rec" flag.

One bookmark per account per work (or series), made under one of the account's pseuds. A
public bookmark is listed on the bookmarker's page and the work's; a private one only ever to
its owner. Whether the bookmarked work may be shown is asked of the reading policy each time:
a bookmark never shows a work its viewer may not reach.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ficshelf.accounts.models import Pseud
from ficshelf.series.models import Series
from ficshelf.tags.models import Tag
from ficshelf.userstuff.fields import SanitizedHTMLField
from ficshelf.works import extensions, reading
from ficshelf.works.models import Work
from ficshelf.works.reading import Way


class BookmarkQuerySet(models.QuerySet):
    def visible_to(self, viewer, *, request=None) -> "BookmarkQuerySet":
        """Bookmarks `viewer` may see listed: public ones (and their own private ones) of
        posted works they may reach and have not hidden (`request` carries a guest's own
        blocklist), and of series they may reach. Never a bookmark of a draft, even its own
        creator's: a draft is not there to be bookmarked."""
        works = Work.objects.visible_to(viewer, Way.LIST).posted()
        works = extensions.without_hidden(works, viewer, request=request)
        series = Series.objects.visible_to(viewer, Way.LIST)
        shown = Q(work__in=works.values("pk")) | Q(series__in=series.values("pk"))
        if reading.is_reader(viewer):
            return self.filter(shown, Q(private=False) | Q(user=viewer))
        return self.filter(shown, private=False)


class Bookmark(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="bookmarks")
    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, null=True, blank=True, related_name="bookmarks"
    )
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, null=True, blank=True, related_name="bookmarks"
    )
    # Sanitized like comments (the chapter rules).
    notes = SanitizedHTMLField(blank=True, version_field="notes_sanitizer_version")
    private = models.BooleanField(default=False)
    rec = models.BooleanField(default=False, help_text="Recommend it to others.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    notes_sanitizer_version = models.PositiveSmallIntegerField(default=0, editable=False)

    # The bookmarker's own tags (free tags, as on AO3), not the work's.
    tags = models.ManyToManyField(Tag, through="BookmarkTagging", related_name="bookmarks")

    objects = BookmarkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(work__isnull=False, series__isnull=True)
                    | Q(work__isnull=True, series__isnull=False)
                ),
                name="bookmark_has_its_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "work"],
                condition=Q(work__isnull=False),
                name="one_bookmark_per_work",
            ),
            models.UniqueConstraint(
                fields=["user", "series"],
                condition=Q(series__isnull=False),
                name="one_bookmark_per_series",
            ),
        ]
        indexes = [
            models.Index(fields=["work", "private", "created_at"], name="bookmarks_of_work"),
            models.Index(fields=["user", "created_at"], name="bookmarks_of_user"),
        ]

    def __str__(self) -> str:
        target = f"work {self.work_id}" if self.work_id else f"series {self.series_id}"
        return f"{self.user_id} bookmarks {target}"

    def get_absolute_url(self) -> str:
        return reverse("bookmarks:bookmark", kwargs={"bookmark_id": self.pk})

    @property
    def target(self):
        return self.work if self.work_id else self.series


class BookmarkTagging(models.Model):
    bookmark = models.ForeignKey(Bookmark, on_delete=models.CASCADE, related_name="taggings")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="bookmark_taggings")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bookmark", "tag"], name="unique_bookmark_tagging"),
        ]

    def __str__(self) -> str:
        return f"Bookmark {self.bookmark_id} tagged {self.tag_id}"
