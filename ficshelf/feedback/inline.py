"""Inline comments on reading pages: each paragraph's link and marker."""

from ficshelf.works.extensions import ReadingAdditions


def inline_additions(request, work, chapters, *, full: bool) -> ReadingAdditions:
    return ReadingAdditions()
