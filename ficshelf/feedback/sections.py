"""What feedback adds to works' pages and lists, through works.extensions (works never
imports feedback)."""

from ficshelf.works.extensions import ReadingAdditions


def reading_additions(request, work, chapters, *, full: bool) -> ReadingAdditions:
    """Kudos, comments and inline-comment markers of a reading page."""
    return ReadingAdditions()


def hidden_from_lists(viewer):
    """A Q of the works this reader hid or whose creators they muted, or None."""
    return None
