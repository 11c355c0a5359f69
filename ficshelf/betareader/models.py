"""What an author tells the beta reader: words that are right, and findings to leave alone."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from ficshelf.userstuff import html_to_text

WORD_MAX = 100
RULE_MAX = 100
# Longer findings are not worth remembering: they are better fixed in the editor.
IGNORED_TEXT_MAX = 200


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
