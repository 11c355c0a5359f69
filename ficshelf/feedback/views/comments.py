from ficshelf.works.extensions import ReadingAdditions


def comment_additions(request, work, chapters, *, full: bool) -> ReadingAdditions:
    return ReadingAdditions()
