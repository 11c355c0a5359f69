"""What readers did, counted without saying who: daily hits and accounts' chapter reach.

Nothing here is shown to anyone as a person: the dashboard shows counts only. A guest is a
daily hash (`counting.reader_key`), never an address; it changes every day, so a guest is the
same reader only within one day.
"""

from django.conf import settings
from django.db import models

from ficshelf.works.models import Chapter, Work


class Hit(models.Model):
    """One reader opened one chapter on one day (so at most one hit per reader, chapter and
    day). `reader` is "u<account id>" or "g<the guest's daily hash>"."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    reader = models.CharField(max_length=40)
    is_guest = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chapter", "day", "reader"], name="one_hit_a_day"),
        ]
        indexes = [models.Index(fields=["work", "chapter"], name="hit_on_work")]

    def __str__(self) -> str:
        return f"Hit on chapter {self.chapter_id} on {self.day}"


class ChapterRead(models.Model):
    """An account opened this chapter: first and last time (the retention funnel's rows)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="+")
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "chapter"], name="one_read_per_chapter"),
        ]
        indexes = [models.Index(fields=["work", "chapter"], name="read_on_work")]

    def __str__(self) -> str:
        return f"Chapter {self.chapter_id} read"
