from ficshelf.works.extensions import ReadingAdditions


def kudos_additions(request, work, chapters, *, full: bool) -> ReadingAdditions:
    return ReadingAdditions()
