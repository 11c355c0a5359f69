"""News posts: what the archive's admins tell everyone who uses it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ficshelf.userstuff.fields import SanitizedHTMLField


class NewsPostQuerySet(models.QuerySet):
    def published(self, now=None) -> "NewsPostQuerySet":
        """Posts everyone may read: published, and not scheduled for later."""
        return self.filter(published_at__lte=now or timezone.now())

    def visible_to(self, viewer, now=None) -> "NewsPostQuerySet":
        """Admins see drafts and scheduled posts too; everyone else the published ones."""
        if is_news_editor(viewer):
            return self.all()
        return self.published(now)

    def newest_first(self) -> "NewsPostQuerySet":
        return self.order_by(models.F("published_at").desc(nulls_first=True), "-pk")


def is_news_editor(viewer) -> bool:
    """Admins (staff accounts) write the news."""
    return bool(
        viewer is not None and viewer.is_authenticated and viewer.is_active and viewer.is_staff
    )


class NewsPost(models.Model):
    title = models.CharField(max_length=200)
    body = SanitizedHTMLField(version_field="body_sanitizer_version")
    body_sanitizer_version = models.PositiveSmallIntegerField(default=0, editable=False)
    # An admin's account; a post outlives its author's account.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="news_posts",
    )
    # None: a draft. In the future: scheduled, shown from then on.
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Whether cached pages (the home page's news line) were told it is shown: a scheduled post
    # becomes visible without a write, so `news.services.announce_due` moves the listings
    # version for it once its time has come.
    announced = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NewsPostQuerySet.as_manager()

    class Meta:
        ordering = [models.F("published_at").desc(nulls_first=True), "-pk"]
        indexes = [
            models.Index(
                fields=["announced", "published_at"],
                condition=Q(announced=False),
                name="news_waiting_announcement",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:post", kwargs={"news_id": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    @property
    def is_scheduled(self) -> bool:
        return self.published_at is not None and self.published_at > timezone.now()

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()
