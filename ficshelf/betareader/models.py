"""What an author tells the beta reader (words that are right, findings to leave alone), and
what it found in each draft chapter, kept for the author's list of works."""

from importlib import metadata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from ficshelf.userstuff import html_to_text

WORD_MAX = 100
RULE_MAX = 100
# Longer findings are not worth remembering: they are better fixed in the editor.
IGNORED_TEXT_MAX = 200


def _harper_version() -> str:
    try:
        return metadata.version("harper-py")
    except metadata.PackageNotFoundError:
        return "unknown"


# Bump RULES_VERSION when the beta reader's own rules or word lists change what they find: a
# summary made by another version is stale, and is checked again. A Harper upgrade counts too.
RULES_VERSION = 2
CHECKER_VERSION = f"{RULES_VERSION}+harper-{_harper_version()}"


class DictionaryWord(models.Model):
    """A word an author spells this way on purpose: never flagged as a spelling mistake in
    any of their works."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dictionary_words"
    )
    word = models.CharField(max_length=WORD_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [Lower("word"), "pk"]
        constraints = [
            models.UniqueConstraint("user", Lower("word"), name="unique_dictionary_word"),
        ]

    def __str__(self) -> str:
        return self.word


class IgnoredFindingQuerySet(models.QuerySet):
    def for_chapter(self, work, chapter=None) -> "IgnoredFindingQuerySet":
        """What is ignored in `chapter` (or, for a chapter not saved yet, in the whole work)."""
        here = Q(chapter__isnull=True)
        if chapter is not None and chapter.pk:
            here |= Q(chapter=chapter)
        return self.filter(work=work).filter(here)


class IgnoredFinding(models.Model):
    """A finding a creator chose to leave: in one chapter, or (no chapter) everywhere in the
    work. Matched by rule and flagged text, so it stays ignored when the text around it moves."""

    work = models.ForeignKey(
        "works.Work", on_delete=models.CASCADE, related_name="ignored_findings"
    )
    chapter = models.ForeignKey(
        "works.Chapter",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ignored_findings",
    )
    rule = models.CharField(max_length=RULE_MAX)
    text = models.CharField(max_length=IGNORED_TEXT_MAX)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IgnoredFindingQuerySet.as_manager()

    class Meta:
        ordering = ["rule", "text", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "chapter", "rule", "text"],
                condition=Q(chapter__isnull=False),
                name="unique_ignored_finding_in_chapter",
            ),
            models.UniqueConstraint(
                fields=["work", "rule", "text"],
                condition=Q(chapter__isnull=True),
                name="unique_ignored_finding_in_work",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} “{self.text}”"

    @property
    def flagged(self) -> str:
        """The text as the reader sees it (`text` is a piece of the chapter's HTML)."""
        return html_to_text(self.text)

    @property
    def everywhere(self) -> bool:
        return self.chapter_id is None


class ChapterCheckSummary(models.Model):
    """How many errors and suggestions the beta reader found in a chapter, as of the chapter's
    `revision`, so the author's list of drafts shows them without checking anything.

    Written only by the summarize task (tasks.py). A summary is current while the chapter is at
    the same revision, the checker at the same version, and nothing the count depends on (the
    creators' dictionaries, what is ignored, the work's tags) changed: such a change sets `stale`.
    """

    chapter = models.OneToOneField(
        "works.Chapter", on_delete=models.CASCADE, related_name="check_summary"
    )
    revision = models.PositiveIntegerField()
    checker_version = models.CharField(max_length=50)
    stale = models.BooleanField(default=False)
    errors = models.PositiveIntegerField(default=0)
    suggestions = models.PositiveIntegerField(default=0)
    checked_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "chapter check summaries"

    def __str__(self) -> str:
        return f"Chapter {self.chapter_id}: {self.errors} errors, {self.suggestions} suggestions"

    def is_current(self, chapter_revision: int) -> bool:
        return (
            not self.stale
            and self.revision == chapter_revision
            and self.checker_version == CHECKER_VERSION
        )


class ChapterCheck(models.Model):
    """A long chapter's check, made in the background (tasks.check_long_chapter) so that no
    request waits for it, with how far it got. One per chapter and choice of style notes; it
    answers for the chapter while the chapter's text and the checker's version are the ones
    it was made for (`is_current`)."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the background worker"
        CHECKING = "checking", "Checking"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    chapter = models.ForeignKey(
        "works.Chapter", on_delete=models.CASCADE, related_name="background_checks"
    )
    include_style = models.BooleanField(default=False)
    text_hash = models.CharField(max_length=64)
    checker_version = models.CharField(max_length=50)
    status = models.CharField(max_length=10, choices=Status, default=Status.WAITING)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    result = models.JSONField(null=True, blank=True)  # CheckResult.as_json()
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "include_style"], name="unique_background_check"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="background_check_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"Check of chapter {self.chapter_id}: {self.status} ({self.progress}%)"

    def is_current(self, text_hash: str) -> bool:
        return self.text_hash == text_hash and self.checker_version == CHECKER_VERSION

    @property
    def done(self) -> bool:
        return self.status == self.Status.DONE and self.result is not None
