"""What full-text search reads: one plain-text document per posted work.

The columns are plain text on both databases; the index over them is the database's own,
made by migration 0001: an external-content FTS5 table kept in step by triggers on SQLite, a
generated `tsvector` column with a GIN index on PostgreSQL (docs/decisions.md says why)."""

from django.db import models

from ficshelf.works.models import Work


class WorkSearchDocument(models.Model):
    """A posted work's searchable text: its row id is the work's id, so the FTS5 rowid is too."""

    work = models.OneToOneField(
        Work, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    title = models.TextField()
    # The work's summary, notes and end notes.
    body = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    creators = models.TextField(blank=True)
    # Every posted chapter's title, summary, notes and text, without markup.
    chapters = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Search document of {self.title}"
