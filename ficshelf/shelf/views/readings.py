"""History, Mark for later and "Continue reading" (issue 11): the section on reading pages, the
position the browser sends, and the reader's own two lists."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from ficshelf.accounts.extensions import ProfileSection
from ficshelf.works import extensions, reading
from ficshelf.works.extensions import ReadingAdditions, ReadingSection
from ficshelf.works.models import Work
from ficshelf.works.reading import Way

from .. import reading_settings, readings
from ..models import Reading

ENTRIES_PER_PAGE = 20


def paragraph_fragment(paragraph_id: str) -> str:
    """The URL fragment that lands on a paragraph: static/js/reading-position.js scrolls to the
    `[data-p]` it names (paragraphs carry no `id` of their own)."""
    return f"p-{paragraph_id}"


# --- On reading pages -------------------------------------------------------------------------


def _chapter_page(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and "chapter_id" in match.kwargs)


def reading_additions(request, work, chapters, *, full: bool) -> ReadingAdditions:
    """For a logged-in reader: record the view, and above the work offer "Continue reading"
    (from where they were before this page) and Mark for later. Guests get nothing, so their
    cached pages never depend on it. A few small queries: the reader's row, their settings,
    one upsert, and where they continue when a position is known."""
    additions = ReadingAdditions()
    user = request.user
    if not reading.is_reader(user) or not chapters:
        return additions
    entry = (
        Reading.objects.filter(user=user, work=work)
        .only("pk", "chapter_id", "paragraph", "paragraph_index", "marked_for_later")
        .first()
    )
    paused = reading_settings.history_paused_for(request)
    on_chapter = _chapter_page(request)
    readings.record_reading(
        user=user,
        work=work,
        chapter=chapters[0],
        moves=on_chapter,
        paused=paused,
    )
    context = {
        "marked": bool(entry and entry.marked_for_later),
        "paused": paused,
        "position_url": "" if paused else reverse("shelf:save_position", args=[work.pk]),
        "chapter_ids": " ".join(str(chapter.pk) for chapter in chapters),
        "work_id": work.pk,
        "here": request.get_full_path(),
    }
    point = None
    if entry is not None and entry.chapter_id:
        readable = list(
            reading.readable_chapters(user, work, Way.OPEN).only("id", "work_id", "position")
        )
        point = readings.resume_point(entry, readable)
        context["multichapter"] = len(readable) > 1
    if point is not None and not (
        len(chapters) == 1 and chapters[0].pk == point.chapter_id and not point.paragraph_id
    ):
        url = reverse("works:chapter", kwargs={"work_id": work.pk, "chapter_id": point.chapter_id})
        if point.paragraph_id:
            url += "#" + paragraph_fragment(point.paragraph_id)
        context["resume"] = {"url": url, "chapter": point.chapter_position, "exact": point.exact}
    additions.before_work.append(ReadingSection("shelf/_reading_continue.html", context))
    return additions


# --- What the browser sends -------------------------------------------------------------------


def _readable_work(user, work_id: int) -> Work:
    work = Work.objects.prefetch_related("creatorships__pseud").filter(pk=work_id).first()
    if work is None or not reading.may(user, work, Way.OPEN):
        raise Http404("No such work.")
    return work


@require_POST
def save_position(request, work_id: int):
    """The paragraph on the reader's screen (navigator.sendBeacon): 204, or 400 for a chapter
    or paragraph the work does not have, 403 for a guest, 404 for a work they may not read."""
    if not reading.is_reader(request.user):
        return HttpResponseForbidden("Log in to keep your place.")
    work = _readable_work(request.user, work_id)
    try:
        readings.save_position(
            user=request.user,
            work=work,
            chapter_id=request.POST.get("chapter"),
            paragraph_id=request.POST.get("paragraph"),
        )
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    return HttpResponse(status=204)


def _next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_POST
def mark_for_later(request, work_id: int):
    if not reading.is_reader(request.user):
        return HttpResponseForbidden("Log in to mark works for later.")
    work = _readable_work(request.user, work_id)
    readings.mark_for_later(user=request.user, work=work)
    messages.success(request, "This work is marked for later.")
    return redirect(_next(request, work.get_absolute_url()))


@require_POST
def unmark_for_later(request, work_id: int):
    if not reading.is_reader(request.user):
        return HttpResponseForbidden("Log in to mark works for later.")
    # No reading check: a reader may always take a work off their own list.
    readings.unmark_for_later(user=request.user, work=Work(pk=work_id))
    messages.success(request, "This work is no longer marked for later.")
    return redirect(_next(request, reverse("works:work", args=[work_id])))


# --- The reader's lists -----------------------------------------------------------------------


def _owner(request, username: str):
    """The account whose lists these are, if it is the viewer's own; anyone else gets a 404."""
    user = request.user
    if not reading.is_reader(user):
        raise Http404("No such page.")
    owner = get_user_model().objects.filter(username=username).first()
    if owner is None or owner.pk != user.pk:
        raise Http404("No such page.")
    return owner


def _entries_page(request, owner, entries):
    """A page of entries, each with `shown_work` (a work for a blurb) or None when the work is
    no longer one the owner may see; its content is then not shown at all."""
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    ids = [entry.work_id for entry in page.object_list]
    works = Work.objects.visible_to(owner, Way.LIST).filter(pk__in=ids).with_listing_data()
    works = {work.pk: work for work in extensions.add_blurb_notes(works, owner)}
    for entry in page.object_list:
        entry.shown_work = works.get(entry.work_id)
    return page


@require_GET
def history(request, username: str):
    owner = _owner(request, username)
    entries = (
        Reading.objects.filter(user=owner, in_history=True)
        .select_related("chapter")
        .order_by("-viewed_at", "-pk")
    )
    context = {
        "owner": owner,
        "page": _entries_page(request, owner, entries),
        "paused": readings.history_paused(owner),
        "total": entries.count(),
    }
    return render(request, "shelf/readings.html", context)


@require_GET
def later(request, username: str):
    owner = _owner(request, username)
    entries = Reading.objects.filter(user=owner, marked_for_later=True).order_by(
        "-marked_at", "-pk"
    )
    context = {"owner": owner, "page": _entries_page(request, owner, entries)}
    return render(request, "shelf/readings_later.html", context)


@require_POST
def delete_entry(request, username: str, work_id: int):
    owner = _owner(request, username)
    readings.delete_history_entry(user=owner, work_id=work_id)
    messages.success(request, "The work was removed from your history.")
    return redirect(_next(request, reverse("shelf:readings", args=[owner.username])))


def clear(request, username: str):
    """GET asks to confirm; POST clears."""
    owner = _owner(request, username)
    if request.method == "POST":
        readings.clear_history(user=owner)
        messages.success(request, "Your history is cleared. Works marked for later stay marked.")
        return redirect("shelf:readings", username=owner.username)
    return render(request, "shelf/readings_clear.html", {"owner": owner})


@require_POST
def pause(request, username: str):
    owner = _owner(request, username)
    readings.pause_history(user=owner)
    messages.success(request, "History paused: nothing you read is recorded until you resume.")
    return redirect("shelf:readings", username=owner.username)


@require_POST
def resume(request, username: str):
    owner = _owner(request, username)
    readings.resume_history(user=owner)
    messages.success(request, "History resumed.")
    return redirect("shelf:readings", username=owner.username)


def profile_links(owner, pseud, viewer) -> list[ProfileSection]:
    """On one's own profile: links to one's history and Mark for later list."""
    if pseud is not None or not reading.is_reader(viewer) or viewer.pk != owner.pk:
        return []
    return [ProfileSection("shelf/_reading_profile_links.html", {"owner": owner})]
