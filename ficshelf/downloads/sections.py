"""The download links after a work, added through works.extensions (works never imports us)."""

from django.urls import reverse

from ficshelf.works import reading
from ficshelf.works.extensions import ReadingAdditions, ReadingSection
from ficshelf.works.reading import Way


def reading_additions(request, work, chapters, *, full: bool) -> ReadingAdditions:
    """The download links ("Download: EPUB · HTML") at the end of a work any viewer of this
    page may download. They depend only on the work's id and title, so every guest's (cached)
    page is alike."""
    from .views import download_name

    additions = ReadingAdditions()
    if not reading.may(request.user, work, Way.DOWNLOAD):
        return additions
    name = download_name(work)
    urls = {
        f"{extension}_url": reverse(
            "downloads:download",
            kwargs={"work_id": work.pk, "slug": name, "extension": extension},
        )
        for extension in ("epub", "html")
    }
    additions.after_work.append(ReadingSection("downloads/_section.html", urls))
    return additions
