"""Feedback's answers to works' signals."""


def reanchor_inline_comments(sender, *, chapter_id: int, work_id: int, **kwargs) -> None:
    """After a chapter's text changed, move its inline comments with their paragraphs."""
