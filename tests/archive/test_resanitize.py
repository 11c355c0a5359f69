"""`manage.py resanitize`: when the allowlist's version moves on, every row an older version
cleaned is cleaned again (and only those), in batches; --dry-run only counts."""

from io import StringIO

import pytest
from django.core.management import call_command

from ficshelf.feedback.models import Comment
from ficshelf.feedback.services.comments import post_comment
from ficshelf.userstuff import sanitizer
from ficshelf.works.models import Chapter, Work
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db

# What a laxer, older allowlist might have let through.
OLD_HTML = '<p onclick="alert(1)">Kept text.</p><script>alert(2)</script>'


def _resanitize(*args) -> str:
    out = StringIO()
    call_command("resanitize", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def old_rows(db):
    """A work, its chapter and a comment, stored as an older version of the rules left them."""
    author = make_user("oldauthor")
    work = make_work(author, title="Old Rules", summary="<p>Fine.</p>")
    chapter = work.chapters.get()
    comment = post_comment(work=work, chapter=chapter, commenter=author, text="A comment.")
    # Written past the field's cleaning, as rows saved long ago are.
    Work.objects.filter(pk=work.pk).update(summary=OLD_HTML)
    Chapter.objects.filter(pk=chapter.pk).update(notes=OLD_HTML)
    Comment.objects.filter(pk=comment.pk).update(text=OLD_HTML)
    return work, chapter, comment


def test_nothing_is_cleaned_again_while_the_version_is_current(old_rows):
    work, _, _ = old_rows
    assert "0 rows to clean again" in _resanitize("--dry-run")
    _resanitize()
    assert Work.objects.get(pk=work.pk).summary == OLD_HTML


def test_a_new_version_cleans_every_older_row_again(old_rows, monkeypatch):
    work, chapter, comment = old_rows
    version = Work.objects.get(pk=work.pk).summary_sanitizer_version
    monkeypatch.setattr(sanitizer, "SANITIZER_VERSION", version + 1)

    report = _resanitize("--dry-run")
    assert "works.Work.summary: 1 to clean again" in report
    assert "feedback.Comment.text: 1 to clean again" in report
    assert Work.objects.get(pk=work.pk).summary == OLD_HTML  # a dry run changes nothing

    content_version = Work.objects.get(pk=work.pk).content_version
    report = _resanitize("--batch", "1")
    assert "works.Work.summary: 1 cleaned again, 1 changed" in report
    assert "works.Chapter.text: 1 cleaned again, 0 changed" in report

    work = Work.objects.get(pk=work.pk)
    for html in (work.summary, Chapter.objects.get(pk=chapter.pk).notes,
                 Comment.objects.get(pk=comment.pk).text):  # fmt: skip
        assert html == "<p>Kept text.</p>"
    assert work.summary_sanitizer_version == version + 1
    assert Chapter.objects.get(pk=chapter.pk).text_sanitizer_version == version + 1
    assert "data-p" in Chapter.objects.get(pk=chapter.pk).text  # paragraph ids survive
    assert work.content_version > content_version  # guests' cached pages move on
    assert "0 rows to clean again" in _resanitize("--dry-run")
