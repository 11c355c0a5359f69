"""What the comment tests share: the form as a browser sends it, and a comment made through
the service as a reader would."""

import time

from ficshelf.feedback.forms import form_stamp
from ficshelf.feedback.services.comments import post_comment


def form_data(**overrides) -> dict:
    """A comment form filled in by a person who took their time (the stamp is a minute old)."""
    data = {
        "text": "I loved this chapter.",
        "text_format": "plain",
        "rendered": form_stamp(time.time() - 60),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def guest_data(**overrides) -> dict:
    return form_data(guest_name="A Guest", guest_email="guest@example.org", **overrides)


def first_chapter(work):
    return work.chapters.order_by("position").first()


def comment_on(work, by, text: str = "A comment.", *, chapter=None, parent=None, **kwargs):
    """A comment by `by` (None for a guest) on the work's first chapter, or a reply."""
    if chapter is None:
        chapter = parent.chapter if parent is not None else first_chapter(work)
    if by is None:
        kwargs.setdefault("guest_name", "A Guest")
        kwargs.setdefault("guest_email", "guest@example.org")
    return post_comment(
        work=work, chapter=chapter, commenter=by, text=text, parent=parent, **kwargs
    )


def chapter_comments_url(work, chapter=None) -> str:
    chapter = chapter or first_chapter(work)
    return f"/works/{work.pk}/chapters/{chapter.pk}/comments"
