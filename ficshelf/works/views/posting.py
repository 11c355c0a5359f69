"""Posting and revising works and chapters. Every button is a plain form; the services decide
what is allowed and the forms show what they refused."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ficshelf.tags.services import split_tag_list
from ficshelf.userstuff import TextFormat

from .. import extensions, scheduling, services
from ..forms import ChapterForm, ReorderChaptersForm, WorkForm
from ..models import Chapter, Work


def _editable_work(request, work_id: int) -> Work:
    return get_object_or_404(Work.objects.editable_by(request.user).with_listing_data(), pk=work_id)


def _page(request, template: str, form, **context):
    """A posting page; with the text checker (the beta reader) offered when there is one."""
    checker = extensions.text_checker()
    context |= {"form": form, "text_checker": checker}
    return render(request, template, context)


def _checked(request, template: str, form, *, work: Work | None, chapter: Chapter | None):
    """The form again, as typed, with the checker's report under it; nothing is saved."""
    checker = extensions.text_checker()
    if checker is None:
        return _page(request, template, form, work=work, chapter=chapter)
    form.is_valid()
    text = form.data.get("text", "")
    text_format = form.data.get("text_format", TextFormat.HTML)
    if text_format not in TextFormat.values:
        text_format = TextFormat.HTML
    try:
        # The service's own rules first (size, nesting): text it would refuse is not checked.
        if text.strip():
            services.ChapterContent(text=text, text_format=text_format).validate()
    except ValidationError as error:
        form.add_service_errors(error)
        return _page(request, template, form, work=work, chapter=chapter)
    tag_names = []
    for name in ("fandoms", "relationships", "characters"):
        tag_names += split_tag_list(form.data.get(name, ""))
    report = checker.check(
        request,
        text=text,
        text_format=text_format,
        work=work,
        chapter=chapter,
        tag_names=tag_names,
    )
    context = {"form": form, "work": work, "chapter": chapter, "text_checker": checker}
    return render(request, template, context | dict(report) | {"checked": True})


def _refused(form, error: ValidationError, current_revision: int | None = None) -> None:
    form.add_service_errors(error)
    if current_revision is not None and getattr(error, "code", None) == "conflict":
        form.carry_revision(current_revision)


def _scheduled_message(what: str, schedule) -> str:
    local = timezone.localtime(schedule.post_at, ZoneInfo(schedule.time_zone))
    when = f"{local:%A} {local.day} {local:%B %Y at %H:%M}"
    return f"{what} will be posted on {when} ({schedule.time_zone}). Until then it is a draft."


@login_required
def new_work(request):
    form = WorkForm(request.POST or None, user=request.user)
    if "check" in request.POST:
        return _checked(request, "works/work_form.html", form, work=None, chapter=None)
    if request.method == "POST" and form.is_valid():
        schedule = form.schedule  # "Schedule": a draft now, posted at its time
        post = "save_draft" not in request.POST and schedule is None
        try:
            with transaction.atomic():
                work = services.create_work(
                    creators=form.creators,
                    metadata=form.metadata,
                    chapter=form.chapter,
                    post=post,
                    author=request.user,
                )
                if schedule:
                    scheduling.schedule_work(work=work, editor=request.user, **vars(schedule))
        except ValidationError as error:
            _refused(form, error)
        else:
            if schedule:
                messages.success(request, _scheduled_message("Your work", schedule))
                return redirect(work)
            messages.success(
                request,
                "Work was successfully posted." if post else "Draft saved. Only you can see it.",
            )
            return redirect(work)
    return _page(request, "works/work_form.html", form, work=None)


@login_required
def edit_work(request, work_id: int):
    work = _editable_work(request, work_id)
    form = WorkForm(request.POST or None, user=request.user, work=work)
    if request.method == "POST" and form.is_valid():
        post = "post" in request.POST and not work.posted
        schedule = form.schedule
        try:
            with transaction.atomic():
                services.update_work(
                    work=work,
                    editor=request.user,
                    metadata=form.metadata,
                    co_creators=form.creators,
                    base_revision=form.loaded_revision,
                    post=post,
                )
                if schedule:
                    scheduling.schedule_work(work=work, editor=request.user, **vars(schedule))
        except ValidationError as error:
            _refused(form, error, Work.objects.get(pk=work.pk).revision)
        else:
            if schedule:
                messages.success(request, _scheduled_message("Your work", schedule))
                return redirect(work)
            messages.success(
                request,
                "Work was successfully posted." if post else "Work was successfully updated.",
            )
            return redirect(work)
    return _page(request, "works/work_form.html", form, work=work)


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
        return redirect("creators:works", username=request.user.username)
    return render(request, "works/confirm_delete.html", {"work": work})


@login_required
def new_chapter(request, work_id: int):
    work = _editable_work(request, work_id)
    form = ChapterForm(request.POST or None)
    if "check" in request.POST:
        return _checked(request, "works/chapter_form.html", form, work=work, chapter=None)
    if request.method == "POST" and form.is_valid():
        schedule = form.schedule
        post = "save_draft" not in request.POST and schedule is None
        try:
            with transaction.atomic():
                chapter = services.add_chapter(
                    work=work, editor=request.user, content=form.content, post=post
                )
                if schedule:
                    scheduling.schedule_chapter(
                        chapter=chapter, editor=request.user, **vars(schedule)
                    )
        except ValidationError as error:
            _refused(form, error)
        else:
            if schedule:
                messages.success(request, _scheduled_message("The chapter", schedule))
                return redirect(chapter)
            messages.success(
                request, "Chapter was successfully posted." if chapter.posted else "Draft saved."
            )
            return redirect(chapter)
    return _page(request, "works/chapter_form.html", form, work=work, chapter=None)


@login_required
def edit_chapter(request, work_id: int, chapter_id: int):
    work = _editable_work(request, work_id)
    chapter = get_object_or_404(work.chapters, pk=chapter_id)
    form = ChapterForm(request.POST or None, chapter=chapter)
    if "check" in request.POST:
        return _checked(request, "works/chapter_form.html", form, work=work, chapter=chapter)
    if request.method == "POST" and form.is_valid():
        post = "post" in request.POST and not chapter.posted
        schedule = form.schedule
        try:
            with transaction.atomic():
                chapter = services.edit_chapter(
                    chapter=chapter,
                    editor=request.user,
                    content=form.content,
                    base_revision=form.loaded_revision,
                    post=post,
                )
                if schedule:
                    scheduling.schedule_chapter(
                        chapter=chapter, editor=request.user, **vars(schedule)
                    )
        except ValidationError as error:
            _refused(form, error, Chapter.objects.get(pk=chapter.pk).revision)
        else:
            if schedule:
                messages.success(request, _scheduled_message("The chapter", schedule))
                return redirect(chapter)
            messages.success(
                request,
                "Chapter was successfully posted." if post else "Chapter was successfully updated.",
            )
            return redirect(chapter)
    return _page(request, "works/chapter_form.html", form, work=work, chapter=chapter)


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
        return redirect("works:navigate", work_id=work.pk)
    return render(request, "works/manage_chapters.html", {"form": form, "work": work})
