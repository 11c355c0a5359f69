"""Reading a work: its first chapter or all of it, one chapter, the chapter index.

Each view asks the reading policy with the few rows it needs (`_reachable`); a guest's page then
comes from the page cache when nothing it shows has changed (works.pagecache), and is rendered
otherwise, from cached fragments where it can.
"""

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import render

from .. import extensions, pagecache, reading
from ..models import Chapter, Creatorship, Tagging, Work
from ..reading import Instead, Way

# What the reading policy and the page cache's key read of a work (and the notices show).
_GATE_FIELDS = ("id", "title", "rating", "posted", "restricted", "content_version", "updated_at")
# The chapter index needs each chapter's place and title, never its text.
_INDEX_FIELDS = ("id", "work_id", "position", "title", "posted", "published_at")
# The bulk of a chapter's row. The text is read only when its cached fragment is missing (one
# query, from the template); the author's own source is for the editor alone.
_BULK_FIELDS = ("text", "text_source")
# What the pages show besides the chapters: the creators, with the accounts their links name,
# and the tags, one query each.
_SHOWN = (
    Prefetch("creatorships", queryset=Creatorship.objects.select_related("pseud__user")),
    Prefetch("taggings", queryset=Tagging.objects.select_related("tag")),
)


class _Notice(Exception):
    """The reader must see a notice (log in, adult content) instead of the text."""

    def __init__(self, template: str, status: int, work: Work):
        self.template, self.status, self.work = template, status, work


def _reachable(request, work_id: int, way: Way, *, chapter_id: int | None = None):
    """The work (and chapter) if the reading policy lets the viewer in by `way`; else a 404
    or a notice. A guest's cached page needs no more than these rows."""
    # A guest's page may come from the cache, which needs what the policy and the cache key
    # read and no more; a reader's is rendered, and the policy asks whether they are a creator.
    reader = reading.is_reader(request.user)
    works = _shown_works() if reader else Work.objects.only(*_GATE_FIELDS)
    work = works.filter(pk=work_id).first()
    if work is None:
        raise Http404("No such work.")
    if reader:
        work = _shown(work)
    chapter = None
    if chapter_id is not None:
        chapter = work.chapters.defer(*_BULK_FIELDS).filter(pk=chapter_id).first()
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


def _shown_works():
    # The chapter count as lists count it; creators and tags by `_SHOWN` instead.
    return Work.objects.with_listing_data().prefetch_related(None)


def _shown(work: Work) -> Work:
    """The work with what its pages show: the chapter count, creators and tags."""
    if not hasattr(work, "posted_chapter_count"):
        work = _shown_works().filter(pk=work.pk).first()
        if work is None:  # deleted since the policy let the reader in
            raise Http404("No such work.")
    prefetch_related_objects([work], *_SHOWN)  # does nothing the second time
    return work


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
        "fragments": pagecache.fragments(),
    }
    context["additions"] = extensions.reading_additions(request, work, shown, full=full)
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
    gated, _ = _reachable(request, work_id, way)

    def render_work():
        work = _shown(gated)
        chapters = reading.readable_chapters(request.user, work, way)
        if full:
            # Every text is shown: one query for all of them.
            index = shown = list(chapters.defer("text_source"))
        else:
            index = _chapter_index(request, work, way)
            shown = [chapters.defer(*_BULK_FIELDS).get(pk=index[0].pk)] if index else []
        if not index:
            raise Http404("This work has no chapters yet.")
        context = _reading_context(request, work, shown, index, full=full)
        return render(request, "works/work.html", context)

    return pagecache.serve(request, pagecache.work_page(request, gated, full), render_work)


@_with_notices
def chapter(request, work_id: int, chapter_id: int):
    gated, chapter = _reachable(request, work_id, Way.OPEN, chapter_id=chapter_id)

    def render_chapter():
        work = _shown(gated)
        index = _chapter_index(request, work, Way.OPEN)
        context = _reading_context(request, work, [chapter], index, full=False)
        return render(request, "works/work.html", context)

    return pagecache.serve(request, pagecache.work_page(request, gated), render_chapter)


@_with_notices
def navigate(request, work_id: int):
    """The chapter index."""
    gated, _ = _reachable(request, work_id, Way.OPEN)

    def render_index():
        work = _shown(gated)
        chapters = _chapter_index(request, work, Way.OPEN)
        return render(request, "works/navigate.html", {"work": work, "chapters": chapters})

    return pagecache.serve(request, pagecache.work_page(request, gated), render_index)
