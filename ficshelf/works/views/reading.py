"""Reading a work: its first chapter or all of it, one chapter, the chapter index."""

from django.http import Http404
from django.shortcuts import render

from .. import extensions, reading
from ..models import Chapter, Work
from ..reading import Instead, Way

# The chapter index needs each chapter's place and title, never its text.
_INDEX_FIELDS = ("id", "work_id", "position", "title", "posted", "published_at")


class _Notice(Exception):
    """The reader must see a notice (log in, adult content) instead of the text."""

    def __init__(self, template: str, status: int, work: Work):
        self.template, self.status, self.work = template, status, work


def _reachable(request, work_id: int, way: Way, *, chapter_id: int | None = None):
    """The work (and chapter) if the reading policy lets the viewer in by `way`; else a 404
    or a notice."""
    work = Work.objects.with_listing_data().filter(pk=work_id).first()
    if work is None:
        raise Http404("No such work.")
    chapter = None
    if chapter_id is not None:
        chapter = work.chapters.filter(pk=chapter_id).first()
        if chapter is None:
            raise Http404("No such chapter.")
    verdict = reading.decide_for_request(request, work, way, chapter=chapter)
    if verdict.instead == Instead.NOT_FOUND:
        raise Http404("No such work.")
    if verdict.instead == Instead.LOG_IN:
        raise _Notice("works/restricted_notice.html", 403, work)
    if verdict.instead == Instead.ADULT_NOTICE:
        raise _Notice("works/adult_notice.html", 200, work)
    return work, chapter


def _with_notices(view):
    def wrapper(request, work_id, *args, **kwargs):
        try:
            return view(request, work_id, *args, **kwargs)
        except _Notice as notice:
            return render(request, notice.template, {"work": notice.work}, status=notice.status)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _chapter_index(request, work: Work, way: Way) -> list[Chapter]:
    return list(reading.readable_chapters(request.user, work, way).only(*_INDEX_FIELDS))


def _reading_context(request, work: Work, shown: list[Chapter], index, *, full: bool) -> dict:
    creator = work.is_creator(request.user)
    checker = extensions.text_checker()
    for chapter in shown:
        chapter.report_url = (
            checker.report_url(chapter) if creator and checker and checker.report_url else None
        )
    context = {
        "work": work,
        "chapters": shown,
        "all_chapters": index,
        "is_creator": creator,
        "view_full_work": full,
        "multichapter": len(index) > 1,
    }
    if not full and shown:
        at = next(i for i, c in enumerate(index) if c.pk == shown[0].pk)
        context["previous_chapter"] = index[at - 1] if at > 0 else None
        context["next_chapter"] = index[at + 1] if at + 1 < len(index) else None
    return context


@_with_notices
def work(request, work_id: int):
    """The work's first chapter, or all of it with ?view_full_work=true (AO3's URLs)."""
    full = request.GET.get("view_full_work") == "true"
    way = Way.READ_FULL if full else Way.OPEN
    work, _ = _reachable(request, work_id, way)
    chapters = reading.readable_chapters(request.user, work, way)
    index = _chapter_index(request, work, way)
    if not index:
        raise Http404("This work has no chapters yet.")
    shown = list(chapters) if full else [chapters.get(pk=index[0].pk)]
    return render(
        request, "works/work.html", _reading_context(request, work, shown, index, full=full)
    )


@_with_notices
def chapter(request, work_id: int, chapter_id: int):
    work, chapter = _reachable(request, work_id, Way.OPEN, chapter_id=chapter_id)
    index = _chapter_index(request, work, Way.OPEN)
    return render(
        request,
        "works/work.html",
        _reading_context(request, work, [chapter], index, full=False),
    )


@_with_notices
def navigate(request, work_id: int):
    """The chapter index."""
    work, _ = _reachable(request, work_id, Way.OPEN)
    chapters = _chapter_index(request, work, Way.OPEN)
    return render(request, "works/navigate.html", {"work": work, "chapters": chapters})
