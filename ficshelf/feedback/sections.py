"""What feedback adds to works' pages and lists, through works.extensions (works never
imports feedback). Each part lives with its feature: kudos, comments, inline comments."""

from ficshelf.works.extensions import ReadingAdditions


def reading_additions(request, work, chapters, *, full: bool) -> ReadingAdditions:
    """Kudos, comments and inline-comment markers of a reading page."""
    # Imported here: the views import the models, which are not ready when apps load.
    from .inline import inline_additions
    from .views.comments import comment_additions
    from .views.kudos import kudos_additions

    additions = ReadingAdditions()
    for part in (inline_additions, kudos_additions, comment_additions):
        additions.merge(part(request, work, chapters, full=full))
    return additions
