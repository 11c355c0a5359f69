"""Reading and posting works. Views parse a form, call a service, render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ficshelf.betareader.views import report_for_form

from . import services
from .forms import ChapterForm, ReorderChaptersForm, WorkForm
from .models import Chapter, Work

WORKS_PER_PAGE = 20
ADULT_SESSION_KEY = "adult"


def index(request):
    works = (
        Work.objects.visible_to(request.user).posted().newest_updated_first().with_listing_data()
    )
    page = Paginator(works, WORKS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "works/index.html", {"page": page})


# --- Reading ------------------------------------------------------------------------------


class _Gate(Exception):
    """Raised when the reader must see a notice instead of the text."""

    def __init__(self, template: str, status: int):
        self.template, self.status = template, status


def _readable_work(request, work_id: int) -> Work:
    """The work if `request.user` may read it, else a 404 or the log-in prompt."""
    work = Work.objects.visible_to(request.user).with_listing_data().filter(pk=work_id).first()
    if work is None:
        restricted = Work.objects.posted().filter(pk=work_id, restricted=True).exists()
        if restricted and not request.user.is_authenticated:
            raise _Gate("works/restricted_notice.html", 403)
        raise Http404("No such work.")
    if work.is_adult and not work.is_creator(request.user) and not request.user.is_authenticated:
        if request.GET.get("view_adult") == "true":
            request.session[ADULT_SESSION_KEY] = True
        if not request.session.get(ADULT_SESSION_KEY):
            raise _Gate("works/adult_notice.html", 200)
    return work


def _gated(view):
    def wrapper(request, work_id, *args, **kwargs):
        try:
            return view(request, work_id, *args, **kwargs)
        except _Gate as gate:
            work = Work.objects.filter(pk=work_id).first()
            return render(request, gate.template, {"work": work}, status=gate.status)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _reading_context(request, work: Work, chapters: list[Chapter], *, full: bool) -> dict:
    visible = list(work.chapters_visible_to(request.user))
    context = {
        "work": work,
        "chapters": chapters,
        "all_chapters": visible,
        "is_creator": work.is_creator(request.user),
        "view_full_work": full,
        "multichapter": len(visible) > 1,
    }
    if not full and chapters:
        index = next(i for i, c in enumerate(visible) if c.pk == chapters[0].pk)
        context["previous_chapter"] = visible[index - 1] if index > 0 else None
        context["next_chapter"] = visible[index + 1] if index + 1 < len(visible) else None
    return context


@_gated
def work(request, work_id: int):
    """The work's first chapter, or all of it with ?view_full_work=true (AO3's URLs)."""
    work = _readable_work(request, work_id)
    chapters = list(work.chapters_visible_to(request.user))
    if not chapters:
        raise Http404("This work has no chapters yet.")
    full = request.GET.get("view_full_work") == "true"
    shown = chapters if full else chapters[:1]
    return render(request, "works/work.html", _reading_context(request, work, shown, full=full))


@_gated
def chapter(request, work_id: int, chapter_id: int):
    work = _readable_work(request, work_id)
    chapter = get_object_or_404(work.chapters_visible_to(request.user), pk=chapter_id)
    return render(
        request, "works/work.html", _reading_context(request, work, [chapter], full=False)
    )


@_gated
def navigate(request, work_id: int):
    """The chapter index."""
    work = _readable_work(request, work_id)
    chapters = work.chapters_visible_to(request.user)
    return render(request, "works/navigate.html", {"work": work, "chapters": chapters})


# --- Posting ------------------------------------------------------------------------------


def _editable_work(request, work_id: int) -> Work:
    return get_object_or_404(Work.objects.editable_by(request.user).with_listing_data(), pk=work_id)


@login_required
def new_work(request):
    form = WorkForm(request.POST or None, user=request.user)
    if "check" in request.POST:
        # The beta reader's report on the typed text, saving nothing.
        report = report_for_form(request, form)
        context = {"form": form, "work": None, "checked": True, "beta_report": report}
        return render(request, "works/work_form.html", context)
    if request.method == "POST" and form.is_valid():
        post = "save_draft" not in request.POST
        try:
            work = services.create_work(
                creators=form.creators, metadata=form.metadata, chapter=form.chapter, post=post
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                "Work was successfully posted." if post else "Draft saved. Only you can see it.",
            )
            return redirect(work)
    return render(request, "works/work_form.html", {"form": form, "work": None})


@login_required
def edit_work(request, work_id: int):
    work = _editable_work(request, work_id)
    form = WorkForm(request.POST or None, user=request.user, work=work)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_work(
                work=work, editor=request.user, metadata=form.metadata, co_creators=form.creators
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if "post" in request.POST and not work.posted:
                services.post_work(work=work, editor=request.user)
                messages.success(request, "Work was successfully posted.")
            else:
                messages.success(request, "Work was successfully updated.")
            return redirect(work)
    return render(request, "works/work_form.html", {"form": form, "work": work})


@login_required
@require_POST
def post_work(request, work_id: int):
    work = _editable_work(request, work_id)
    services.post_work(work=work, editor=request.user)
    messages.success(request, "Work was successfully posted.")
    return redirect(work)


@login_required
def delete_work(request, work_id: int):
    work = _editable_work(request, work_id)
    if request.method == "POST":
        title = work.title
        services.delete_work(work=work, editor=request.user)
        messages.success(request, f"Your work “{title}” was deleted.")
        return redirect("accounts:works", username=request.user.username)
    return render(request, "works/confirm_delete.html", {"work": work})


def _checked_chapter_form(request, form, *, work: Work, chapter: Chapter | None):
    """The chapter form again, as typed, with the beta reader's report; nothing is saved."""
    report = report_for_form(request, form, work=work, chapter=chapter)
    context = {"form": form, "work": work, "chapter": chapter, "checked": True}
    return render(request, "works/chapter_form.html", context | {"beta_report": report})


@login_required
def new_chapter(request, work_id: int):
    work = _editable_work(request, work_id)
    form = ChapterForm(request.POST or None)
    if "check" in request.POST:
        return _checked_chapter_form(request, form, work=work, chapter=None)
    if request.method == "POST" and form.is_valid():
        post = "save_draft" not in request.POST
        try:
            chapter = services.add_chapter(
                work=work, editor=request.user, content=form.content, post=post
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, "Chapter was successfully posted." if chapter.posted else "Draft saved."
            )
            return redirect(chapter)
    return render(request, "works/chapter_form.html", {"form": form, "work": work, "chapter": None})


@login_required
def edit_chapter(request, work_id: int, chapter_id: int):
    work = _editable_work(request, work_id)
    chapter = get_object_or_404(work.chapters, pk=chapter_id)
    initial = {
        "title": chapter.title,
        "summary": chapter.summary,
        "notes": chapter.notes,
        "end_notes": chapter.end_notes,
        "text": chapter.text,
        "text_format": "html",
    }
    form = ChapterForm(request.POST or None, initial=initial)
    if "check" in request.POST:
        return _checked_chapter_form(request, form, work=work, chapter=chapter)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_chapter(chapter=chapter, editor=request.user, content=form.content)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if "post" in request.POST and not chapter.posted:
                services.post_chapter(chapter=chapter, editor=request.user)
            messages.success(request, "Chapter was successfully updated.")
            return redirect(chapter)
    return render(
        request, "works/chapter_form.html", {"form": form, "work": work, "chapter": chapter}
    )


@login_required
@require_POST
def post_chapter(request, work_id: int, chapter_id: int):
    work = _editable_work(request, work_id)
    chapter = get_object_or_404(work.chapters, pk=chapter_id)
    services.post_chapter(chapter=chapter, editor=request.user)
    messages.success(request, "Chapter was successfully posted.")
    return redirect(chapter)


@login_required
def delete_chapter(request, work_id: int, chapter_id: int):
    work = _editable_work(request, work_id)
    chapter = get_object_or_404(work.chapters, pk=chapter_id)
    error = None
    if request.method == "POST":
        try:
            services.delete_chapter(chapter=chapter, editor=request.user)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, "The chapter was deleted.")
            return redirect(work)
    return render(
        request,
        "works/confirm_delete_chapter.html",
        {"work": work, "chapter": chapter, "error": error},
        status=400 if error else 200,
    )


@login_required
def manage_chapters(request, work_id: int):
    """Reorder chapters."""
    work = _editable_work(request, work_id)
    form = ReorderChaptersForm(request.POST or None, chapters=work.chapters.order_by("position"))
    if request.method == "POST" and form.is_valid():
        services.reorder_chapters(work=work, editor=request.user, chapter_ids=form.chapter_ids)
        messages.success(request, "The chapters were reordered.")
        return redirect(work.get_absolute_url() + "/navigate")
    return render(request, "works/manage_chapters.html", {"form": form, "work": work})
