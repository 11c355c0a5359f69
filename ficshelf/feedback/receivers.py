"""Feedback's answers to works' signals."""

from django.db.models import OuterRef, Subquery

from ficshelf.works import versions
from ficshelf.works.models import Chapter

from .anchors import ChapterParagraphs, reanchor
from .models import Comment

_ANCHOR_FIELDS = ["current_paragraph_id", "quote_start", "quote_end", "anchor_state"]


def reanchor_inline_comments(sender, *, chapter_id: int, work_id: int, **kwargs) -> None:
    """After a chapter's text changed, move its inline comments with their paragraphs.

    Sent inside the editing service's transaction. One query when the chapter has no inline
    comments placed against an older revision; otherwise the text is read once and the moved
    anchors written in bulk."""
    revision = Chapter.objects.filter(pk=OuterRef("chapter_id")).values("revision")[:1]
    stale = list(
        Comment.objects.inline()
        .filter(chapter_id=chapter_id, anchored_revision__lt=Subquery(revision))
        .only("pk", "paragraph_id", "quote", "quote_start", *_ANCHOR_FIELDS)
    )
    if not stale:
        return
    chapter = Chapter.objects.only("pk", "text", "revision").get(pk=chapter_id)
    paragraphs = ChapterParagraphs.of(chapter.text)
    moved = []
    for comment in stale:
        placement = reanchor(
            paragraphs,
            paragraph_id=comment.paragraph_id,
            current_paragraph_id=comment.current_paragraph_id,
            quote=comment.quote,
            start=comment.quote_start,
        )
        new = (placement.paragraph_id, placement.start, placement.end, placement.state)
        old = (comment.current_paragraph_id, comment.quote_start, comment.quote_end)
        if new != (*old, comment.anchor_state):
            (
                comment.current_paragraph_id,
                comment.quote_start,
                comment.quote_end,
                comment.anchor_state,
            ) = new
            moved.append(comment)
    Comment.objects.inline().filter(
        chapter_id=chapter_id, anchored_revision__lt=chapter.revision
    ).update(anchored_revision=chapter.revision)
    if moved:
        Comment.objects.bulk_update(moved, _ANCHOR_FIELDS, batch_size=500)
        # The chapter's save moved the work's version already; this says why it must.
        versions.bump_work(work_id)
