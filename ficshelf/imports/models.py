"""A record of each file imported as a work: who, which file, and what they were told."""

from django.conf import settings
from django.db import models

from ficshelf.userstuff import TextFormat
from ficshelf.works.models import Work


class FileFormat(models.TextChoices):
    """How an imported file was read: one of the text formats, or an AO3 download."""

    HTML = TextFormat.HTML.value, TextFormat.HTML.label
    PLAIN = TextFormat.PLAIN.value, TextFormat.PLAIN.label
    MARKDOWN = TextFormat.MARKDOWN.value, TextFormat.MARKDOWN.label
    AO3_HTML = "ao3_html", "AO3 download (HTML)"
    AO3_EPUB = "ao3_epub", "AO3 download (EPUB)"


class WorkImport(models.Model):
    # The record outlives a deleted work, so an archive can still see what came from where.
    work = models.ForeignKey(
        Work, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_imports"
    )
    filename = models.CharField(max_length=255)
    # Of the file's bytes as uploaded: finds a file imported before.
    sha256 = models.CharField(max_length=64, db_index=True)
    file_format = models.CharField(max_length=20, choices=FileFormat.choices)
    # What the importer was told, one message a line (e.g. the file was read as Windows-1252).
    warnings = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} imported by {self.imported_by}"
