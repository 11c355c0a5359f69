"""Drafts never expire (AO3 deletes them after a month): nothing that tidies up removes an old
draft, its autosave or a chapter's earlier versions."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ficshelf.works.models import Chapter, ChapterVersion, FormAutosave, Work
from ficshelf.works.services import ChapterContent, edit_chapter
from tests.factories import make_work

pytestmark = pytest.mark.django_db

# Every management command that deletes or rewrites rows on a schedule (cron, CI, by hand).
# backup/restore/load_demo/import_work/beta_read act only when asked about one thing.
CLEANING_COMMANDS = [
    ("post_due_chapters",),
    ("reindex_works",),
    ("clearsessions",),
    ("prune_submissions",),
]


def test_a_draft_from_400_days_ago_survives_every_cleaning_command(author, author_client):
    draft = make_work(author, post=False, title="Slow burn")
    chapter = draft.chapters.get()
    edit_chapter(chapter=chapter, editor=author, content=ChapterContent(text="<p>Take two.</p>"))
    author_client.post(
        "/works/autosave",
        {
            "autosave_kind": "edit_chapter",
            "autosave_work": draft.pk,
            "autosave_chapter": chapter.pk,
            "text": "<p>Take three, unsaved.</p>",
        },
    )
    long_ago = timezone.now() - timedelta(days=400)
    Work.objects.filter(pk=draft.pk).update(created_at=long_ago, updated_at=long_ago)
    Chapter.objects.filter(pk=chapter.pk).update(created_at=long_ago, updated_at=long_ago)
    ChapterVersion.objects.update(saved_at=long_ago, replaced_at=long_ago)
    FormAutosave.objects.update(saved_at=long_ago)

    for command in CLEANING_COMMANDS:
        call_command(*command, verbosity=0)

    draft = Work.objects.get(pk=draft.pk)
    assert not draft.posted and draft.title == "Slow burn"
    assert "Take two." in draft.chapters.get().text
    assert ChapterVersion.objects.filter(chapter=chapter).count() == 1
    assert FormAutosave.objects.filter(chapter=chapter).exists()
    page = author_client.get(f"/works/{draft.pk}/chapters/{chapter.pk}/edit").content.decode()
    assert "Restore the unsaved text" in page
