"""Reading a work: its first chapter or all of it, one chapter, the chapter index.

Each view asks the reading policy with the few rows it needs (`_reachable`); a guest's page then
comes from the page cache when nothing it shows has changed (works.pagecache), and is rendered
otherwise, from cached fragments where it can.
"""

import functools

from django.db import DEFAULT_DB_ALIAS, connection, connections, router
from django.db.models import Prefetch, prefetch_related_objects, signals
from django.db.models.base import ModelState
from django.http import Http404
from django.shortcuts import render

from .. import extensions, pagecache, reading
from ..models import Chapter, Creatorship, Tagging, Work
from ..reading import Instead, Way

# What the reading policy and the page cache's key read of a work (and the notices show).
_GATE_FIELDS = (*reading.DECIDING_FIELDS, "title", "content_version", "updated_at")
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


@functools.cache
def _gate_sql(with_chapter: bool) -> str:
    """The guest's gate in one query, written once: `_GATE_FIELDS` of the work and, for a
    chapter page, whether that chapter of it is posted. (Only the models' own names are in it;
    the ids are parameters.)"""
    quote = connection.ops.quote_name  # SQLite and PostgreSQL quote names alike
    meta = Work._meta
    columns = ", ".join(f"w.{quote(meta.get_field(name).column)}" for name in _GATE_FIELDS)
    if not with_chapter:
        return f"SELECT {columns} FROM {quote(meta.db_table)} w WHERE w.id = %s"  # noqa: S608
    chapters = quote(Chapter._meta.db_table)
    return (
        f"SELECT {columns}, c.posted AS chapter_posted FROM {quote(meta.db_table)} w"  # noqa: S608
        f" JOIN {chapters} c ON c.work_id = w.id AND c.id = %s WHERE w.id = %s"
    )


def _guest_gate(request, work_id: int, chapter_id: int | None):
    """What the reading policy and the page's key read, for a guest: the only query of a
    cached page, so one query written once (the ORM's two, compiled on every request, cost
    more than the rest of the hit). The work is None when there is no such work or chapter."""
    # GuestPageMiddleware asks first; on a miss the view asks again, in the same request.
    asked = request.__dict__.setdefault("_guest_gates", {})
    if (work_id, chapter_id) not in asked:
        asked[work_id, chapter_id] = _read_guest_gate(work_id, chapter_id)
    return asked[work_id, chapter_id]


def _read_guest_gate(work_id: int, chapter_id: int | None):
    db = router.db_for_read(Work) or DEFAULT_DB_ALIAS  # a replica, as the ORM would choose
    params = [work_id] if chapter_id is None else [chapter_id, work_id]
    with connections[db].cursor() as cursor:
        cursor.execute(_gate_sql(chapter_id is not None), params)
        row = cursor.fetchone()
    if row is None:
        return None, None
    work = _from_row(Work, db, dict(zip(_GATE_FIELDS, row, strict=False)))
    if chapter_id is None:
        return work, None
    # Only what the policy reads: `_loaded` reads the rest if the page is rendered.
    chapter = {"id": chapter_id, "work_id": work.pk, "posted": bool(row[-1])}
    return work, _from_row(Chapter, db, chapter)


def _from_row(model, db: str, read: dict):
    """An instance of `model` with only the fields in `read` (the rest deferred), their values
    converted as the ORM converts what the database returns (SQLite's dates are strings)."""
    connection = connections[db]
    names, values = [], []
    for name, column, converters in _columns(model, tuple(read), connection):
        value = read[name]
        for convert in converters:
            value = convert(value, column, connection)
        names.append(name)
        values.append(value)
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return model.from_db(db, names, values)
    # What from_db makes, without Model.__init__ walking every field to defer it (a third of
    # a cached page's gate): a deferred field is one missing from the instance's __dict__.
    instance = model.__new__(model)
    instance._state = ModelState()
    instance._state.adding, instance._state.db = False, db
    instance.__dict__.update(zip(names, values, strict=True))
    return instance


@functools.lru_cache(maxsize=64)
def _columns(model, names: tuple, connection) -> list:
    """`names`' fields of `model` in the order `from_db` takes them, with their converters on
    this connection (one a thread and database)."""
    columns = []
    for field in model._meta.concrete_fields:
        if field.attname in names:
            column = field.get_col(model._meta.db_table)
            converters = connection.ops.get_db_converters(column)
            converters += column.get_db_converters(connection)
            columns.append((field.attname, column, converters))
    return columns


def _loaded(chapter: Chapter) -> Chapter:
    """The chapter with all its fields but the bulk, as pages show it."""
    if chapter.get_deferred_fields() <= set(_BULK_FIELDS):
        return chapter
    return Chapter.objects.defer(*_BULK_FIELDS).get(pk=chapter.pk)


def _reachable(request, work_id: int, way: Way, *, chapter_id: int | None = None):
    """The work (and chapter) if the reading policy lets the viewer in by `way`; else a 404
    or a notice. A guest's cached page needs no more than these rows."""
    # A guest's page may come from the cache, which needs what the policy and the cache key
    # read and no more; a reader's is rendered, and the policy asks whether they are a creator.
    reader = reading.is_reader(request.user)
    work = chapter = None
    if not reader:
        work, chapter = _guest_gate(request, work_id, chapter_id)
    if work is None:  # a reader, or a 404 to tell apart
        works = _shown_works() if reader else Work.objects.only(*_GATE_FIELDS)
        work = works.filter(pk=work_id).first()
        if work is None:
            raise Http404("No such work.")
        if reader:
            work = _shown(work)
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


@functools.cache
def _shown_sql() -> tuple[str, tuple[str, ...]]:
    """Every field of a work and its chapter count as `with_listing_data` counts it (a draft's
    chapters all, a posted work's posted ones), in one query written once: the ORM's, with its
    subquery, cost a sixth of a rendered chapter page to build."""
    quote = connection.ops.quote_name
    fields = Work._meta.concrete_fields
    columns = ", ".join(f"w.{quote(field.column)}" for field in fields)
    chapter = Chapter._meta
    counted = (
        f"SELECT COUNT(*) FROM {quote(chapter.db_table)} c"  # noqa: S608
        f" WHERE c.{quote(chapter.get_field('work').column)} = w.id"
        f" AND (c.{quote(chapter.get_field('posted').column)}"
        f" OR NOT w.{quote(Work._meta.get_field('posted').column)})"
    )
    sql = f"SELECT {columns}, ({counted}) FROM {quote(Work._meta.db_table)} w WHERE w.id = %s"  # noqa: S608
    return sql, tuple(field.attname for field in fields)


def _read_shown_work(work_id: int) -> Work | None:
    db = router.db_for_read(Work) or DEFAULT_DB_ALIAS  # as the ORM would choose
    sql, names = _shown_sql()
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [work_id])
        row = cursor.fetchone()
    if row is None:
        return None
    work = _from_row(Work, db, dict(zip(names, row[:-1], strict=True)))
    work.posted_chapter_count = row[-1]
    return work


def _shown(work: Work) -> Work:
    """The work with what its pages show: the chapter count, creators and tags."""
    if not hasattr(work, "posted_chapter_count"):
        work = _read_shown_work(work.pk)
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


def _work_way(request) -> tuple[Way, bool]:
    full = request.GET.get("view_full_work") == "true"
    return (Way.READ_FULL if full else Way.OPEN), full


def _work_page(request, work_id: int):
    way, full = _work_way(request)
    gated, _ = _reachable(request, work_id, way)
    viewed = (gated.pk, None, full)  # which chapters a cached first page shows is not known
    return gated, None, pagecache.work_page(request, gated, full, viewed=viewed)


def _chapter_page(request, work_id: int, chapter_id: int):
    gated, chapter = _reachable(request, work_id, Way.OPEN, chapter_id=chapter_id)
    viewed = (gated.pk, (chapter.pk,), False)
    return gated, chapter, pagecache.work_page(request, gated, viewed=viewed)


def _index_page(request, work_id: int):
    gated, _ = _reachable(request, work_id, Way.OPEN)
    return gated, None, pagecache.work_page(request, gated)


def _for_guests(gate):
    """Lets GuestPageMiddleware answer a guest's cached page with `gate`'s key; a notice or a
    404 is left to the view."""

    def page_for(request, *args, **kwargs):
        try:
            return gate(request, *args, **kwargs)[2]
        except (Http404, _Notice):
            return None

    return pagecache.guest_page(page_for)


@_for_guests(_work_page)
@_with_notices
def work(request, work_id: int):
    """The work's first chapter, or all of it with ?view_full_work=true (AO3's URLs)."""
    way, full = _work_way(request)
    gated, _, page = _work_page(request, work_id)

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

    return pagecache.serve(request, page, render_work)


@_for_guests(_chapter_page)
@_with_notices
def chapter(request, work_id: int, chapter_id: int):
    gated, chapter, page = _chapter_page(request, work_id, chapter_id)

    def render_chapter():
        work = _shown(gated)
        index = _chapter_index(request, work, Way.OPEN)
        context = _reading_context(request, work, [_loaded(chapter)], index, full=False)
        return render(request, "works/work.html", context)

    return pagecache.serve(request, page, render_chapter)


@_for_guests(_index_page)
@_with_notices
def navigate(request, work_id: int):
    """The chapter index."""
    gated, _, page = _index_page(request, work_id)

    def render_index():
        work = _shown(gated)
        chapters = _chapter_index(request, work, Way.OPEN)
        return render(request, "works/navigate.html", {"work": work, "chapters": chapters})

    return pagecache.serve(request, page, render_index)
