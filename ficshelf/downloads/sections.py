"""The download links after a work, added through works.extensions (works never imports us)."""

from django.urls import reverse

from ficshelf.works import reading
from ficshelf.works.extensions import ReadingAdditions, ReadingSection
from ficshelf.works.reading import Way

from . import files


def reading_additions(request, work, chapters, *, full: bool) -> ReadingAdditions:
    """The download links ("Download: EPUB · AZW3 · MOBI · PDF · HTML") at the end of a work any
    viewer of this page may download; the Kindle formats only where Calibre is installed. They
    depend only on the work's id and title, so every guest's (cached) page is alike."""
    from .views import download_name

    additions = ReadingAdditions()
    if not reading.may(request.user, work, Way.DOWNLOAD):
        return additions
    name = download_name(work)
    links = [
        (
            format.label,
            reverse(
                "downloads:download",
                kwargs={"work_id": work.pk, "slug": name, "extension": format.extension},
            ),
        )
        for format in files.offered_formats()
    ]
    additions.after_work.append(ReadingSection("downloads/_section.html", {"links": links}))
    return additions
