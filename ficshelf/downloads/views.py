"""Downloading a work: the reading policy decides (`Way.DOWNLOAD`), the file comes from disk."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify

from ficshelf.works import reading
from ficshelf.works.models import Work
from ficshelf.works.reading import Instead, Way

from . import files

_GATE_FIELDS = ("id", "title", "rating", "posted", "restricted", "content_version", "word_count")


def download_name(work: Work) -> str:
    """A safe file name stem from the title: ASCII letters, digits and hyphens only."""
    return slugify(work.title)[:80].strip("-") or "work"


def download(request, work_id: int, slug: str, extension: str):
    """The work as a file. Drafts and hidden works are not found; a guest is asked to log in
    before a restricted one. Adult works need no notice first: as on AO3, a file is taken away
    knowingly, and its title page carries the rating."""
    work = get_object_or_404(
        Work.objects.only(*_GATE_FIELDS).prefetch_related("creatorships__pseud"), pk=work_id
    )
    verdict = reading.decide(request.user, work, Way.DOWNLOAD, adult_consent=True)
    if verdict.instead == Instead.LOG_IN:
        return render(request, "works/restricted_notice.html", {"work": work}, status=403)
    if not verdict.allowed:
        raise Http404("No such work.")
    name = download_name(work)
    if slug != name:  # an old title's link, or a guess: the current name
        return redirect("downloads:download", work_id=work.pk, slug=name, extension=extension)
    if work.word_count >= files.LONG_WORK_WORDS and not files.is_built(work, extension):
        files.build_later(work, extension)
        context = {"work": work, "extension": extension.upper()}
        response = render(request, "downloads/preparing.html", context, status=202)
        response["Refresh"] = "5"  # browsers ask again by themselves, no script needed
        return response
    try:
        opened = files.download_file(work, extension)
    except Work.DoesNotExist:  # deleted while its file was being built
        raise Http404("No such work.") from None
    response = FileResponse(opened, as_attachment=True, filename=f"{name}.{extension}")
    response["Content-Type"] = files.FORMATS[extension].content_type
    return response
