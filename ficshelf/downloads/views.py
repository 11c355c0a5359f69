"""Downloading a work: the reading policy decides (`Way.DOWNLOAD`), the file comes from disk."""

import logging

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify

from ficshelf.works import reading
from ficshelf.works.models import Work
from ficshelf.works.reading import Instead, Way

from . import files

logger = logging.getLogger(__name__)

_GATE_FIELDS = (*reading.DECIDING_FIELDS, "title", "content_version", "word_count")


def download_name(work: Work) -> str:
    """A safe file name stem from the title: ASCII letters, digits and hyphens only."""
    return slugify(work.title)[:80].strip("-") or "work"


def download(request, work_id: int, slug: str, extension: str):
    """The work as a file. Drafts and hidden works are not found; a guest is asked to log in
    before a restricted one. Adult works need no notice first: as on AO3, a file is taken away
    knowingly, and its title page carries the rating. A format this server cannot make (Kindle
    formats without Calibre) is not found either."""
    format = files.FORMATS[extension]
    if not format.offered():
        raise Http404("No such format here.")
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
    opened = files.open_built(work, extension)
    if opened is None:
        if format.built_in_background(work) or files.has_failed(work, extension):
            return _in_background(request, work, format)
        try:
            opened = files.download_file(work, extension)
        except Work.DoesNotExist:  # deleted while its file was being built
            raise Http404("No such work.") from None
        except Exception as error:
            # A builder's bug on some text: the reader is told, and it is not retried at once.
            logger.exception("The %s of work %s could not be made.", extension, work.pk)
            files.mark_failed(work, extension, f"{type(error).__name__}: {error}")
            return _in_background(request, work, format)
    response = FileResponse(opened, as_attachment=True, filename=f"{name}.{extension}")
    response["Content-Type"] = format.content_type
    return response


def _in_background(request, work: Work, format: files.Format):
    """The "being prepared" page while the task builds the file, or why it could not."""
    context = {"work": work, "extension": format.label}
    if files.has_failed(work, format.extension):
        if format.extension != "epub":
            context["epub_url"] = reverse(
                "downloads:download",
                kwargs={"work_id": work.pk, "slug": download_name(work), "extension": "epub"},
            )
        response = render(request, "downloads/failed.html", context, status=503)
        response["Retry-After"] = str(files.FAILED_FOR)
        return response
    files.build_later(work, format.extension)
    response = render(request, "downloads/preparing.html", context, status=202)
    response["Refresh"] = "5"  # browsers ask again by themselves, no script needed
    return response
