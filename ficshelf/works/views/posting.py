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

from .. import autosave, extensions, history, scheduling, services, submissions
from ..forms import ChapterForm, ReorderChaptersForm, WorkForm
from ..models import Chapter, FormKind, Work


def _editable_work(request, work_id: int) -> Work:
    return get_object_or_404(Work.objects.editable_by(request.user).with_listing_data(), pk=work_id)


def _page(request, template: str, form, **context):
    """A posting page; with the text checker (the beta reader) offered when there is one."""
    checker = extensions.text_checker()
    status = context.pop("status", 200)
    context |= {"form": form, "text_checker": checker}
    return render(request, template, context, status=status)


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


def _refused(form, error: ValidationError) -> None:
    # Edit conflicts get their own page (409, both versions): see _chapter_conflict.
    form.add_service_errors(error)


def _scheduled_message(what: str, schedule) -> str:
    local = timezone.localtime(schedule.post_at, ZoneInfo(schedule.time_zone))
    when = f"{local:%A} {local.day} {local:%B %Y at %H:%M}"
    return f"{what} will be posted on {when} ({schedule.time_zone}). Until then it is a draft."


# --- Nothing written is lost: autosaves, one-time tokens, conflicts ---------------------------


def _autosave_context(request, kind: str, *, work=None, chapter=None, stored=None) -> dict:
    """What the form page says about its autosave: the offer to restore it (a GET without
    `restore`), or that it was restored; plus what static/js/autosave.js needs."""
    context = {"autosave_kind": kind, "autosave_work": work, "autosave_chapter": chapter}
    if request.method != "GET":
        return context
    saved = autosave.find(request.user, kind, work=work, chapter=chapter)
    if request.GET.get("restore") == "autosave" and saved is not None:
        context["autosave_restored"] = saved
    else:
        context["autosave_offer"] = autosave.offer(saved, stored or {})
    shown = context.get("autosave_restored") or context.get("autosave_offer")
    current = (chapter or work).revision if (chapter or work) else None
    if shown is not None and current is not None and shown.base_revision not in (None, current):
        context["autosave_behind"] = True  # saved by someone else since: saving will say so
    return context


def _initial(request, form_class, kind: str, *, work=None, chapter=None, stored=None):
    """The form's initial values: as stored, or from the autosave when "Restore" was chosen
    (carrying the revision it was typed against, so a newer save is not overwritten)."""
    if request.method != "GET" or request.GET.get("restore") != "autosave":
        return None
    saved = autosave.find(request.user, kind, work=work, chapter=chapter)
    if saved is None:
        return None
    initial = dict(stored or {}) | autosave.initial_from(form_class, saved)
    if saved.base_revision is not None:
        initial["base_revision"] = saved.base_revision
    return initial


def _claim(request, form, kind: str):
    return submissions.claim(
        user=request.user,
        token=form.cleaned_data.get("submission_id"),
        kind=kind,
        data=request.POST,
    )


def _repeat(request, earlier, fallback):
    """A form posted twice (a double click, a retry): show what the first post made."""
    messages.info(request, "That was saved already (the form was sent twice): here it is.")
    return redirect(earlier.chapter or earlier.work or fallback)


@login_required
def new_work(request):
    kind = FormKind.NEW_WORK
    initial = _initial(request, WorkForm, kind)
    form = WorkForm(request.POST or None, user=request.user, initial=initial)
    if "check" in request.POST:
        return _checked(request, "works/work_form.html", form, work=None, chapter=None)
    if request.method == "POST" and form.is_valid():
        schedule = form.schedule  # "Schedule": a draft now, posted at its time
        post = "save_draft" not in request.POST and schedule is None
        try:
            with transaction.atomic():
                claim = _claim(request, form, kind)
                if claim.earlier:
                    return _repeat(request, claim.earlier, "works:new")
                work = services.create_work(
                    creators=form.creators,
                    metadata=form.metadata,
                    chapter=form.chapter,
                    post=post,
                    author=request.user,
                )
                if schedule:
                    scheduling.schedule_work(work=work, editor=request.user, **vars(schedule))
                submissions.record(claim, work=work)
                autosave.clear(request.user, kind)
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
    return _page(
        request, "works/work_form.html", form, work=None, **_autosave_context(request, kind)
    )


@login_required
def edit_work(request, work_id: int):
    work = _editable_work(request, work_id)
    kind = FormKind.EDIT_WORK
    stored = WorkForm.initial_for(work, request.user)
    initial = _initial(request, WorkForm, kind, work=work, stored=stored)
    form = WorkForm(request.POST or None, user=request.user, work=work, initial=initial or stored)
    if request.method == "POST" and form.is_valid():
        post = "post" in request.POST and not work.posted
        schedule = form.schedule
        try:
            with transaction.atomic():
                claim = _claim(request, form, kind)
                if claim.earlier:
                    return _repeat(request, claim.earlier, work)
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
                submissions.record(claim, work=work)
                autosave.clear(request.user, kind, work=work)
        except ValidationError as error:
            if getattr(error, "code", None) == "conflict":
                form.carry_revision(Work.objects.get(pk=work.pk).revision)
                return _work_conflict(request, form, work)
            _refused(form, error)
        else:
            if schedule:
                messages.success(request, _scheduled_message("Your work", schedule))
                return redirect(work)
            messages.success(
                request,
                "Work was successfully posted." if post else "Work was successfully updated.",
            )
            return redirect(work)
    context = _autosave_context(request, kind, work=work, stored=stored)
    return _page(request, "works/work_form.html", form, work=work, **context)


def _work_conflict(request, form, work: Work):
    """409: the work was saved since this form was opened. Its saved metadata beside the
    form as sent (ready to save again over it, on purpose); nothing was saved."""
    saved = Work.objects.with_listing_data().get(pk=work.pk)
    stored = WorkForm.initial_for(saved, request.user)
    differences = [
        (form.fields[name].label or name.replace("_", " ").capitalize(), stored.get(name), value)
        for name in autosave.WRITTEN_FIELDS
        if name in form.fields
        and not autosave.same_value(value := form.data.get(name, ""), stored.get(name, ""))
    ]
    context = {"work": saved, "conflict": {"saved": saved, "differences": differences}}
    context |= _autosave_context(request, FormKind.EDIT_WORK, work=saved)
    return _page(request, "works/work_form.html", form, **context, status=409)


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
    kind = FormKind.NEW_CHAPTER
    initial = _initial(request, ChapterForm, kind, work=work)
    form = ChapterForm(request.POST or None, initial=initial)
    if "check" in request.POST:
        return _checked(request, "works/chapter_form.html", form, work=work, chapter=None)
    if request.method == "POST" and form.is_valid():
        schedule = form.schedule
        post = "save_draft" not in request.POST and schedule is None
        try:
            with transaction.atomic():
                claim = _claim(request, form, kind)
                if claim.earlier:
                    return _repeat(request, claim.earlier, work)
                chapter = services.add_chapter(
                    work=work, editor=request.user, content=form.content, post=post
                )
                if schedule:
                    scheduling.schedule_chapter(
                        chapter=chapter, editor=request.user, **vars(schedule)
                    )
                submissions.record(claim, work=work, chapter=chapter)
                autosave.clear(request.user, kind, work=work)
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
    context = _autosave_context(request, kind, work=work)
    return _page(request, "works/chapter_form.html", form, work=work, chapter=None, **context)


@login_required
def edit_chapter(request, work_id: int, chapter_id: int):
    work = _editable_work(request, work_id)
    chapter = get_object_or_404(work.chapters, pk=chapter_id)
    kind = FormKind.EDIT_CHAPTER
    stored = ChapterForm.initial_for(chapter)
    initial = _initial(request, ChapterForm, kind, work=work, chapter=chapter, stored=stored)
    form = ChapterForm(request.POST or None, chapter=chapter, initial=initial or stored)
    if "check" in request.POST:
        return _checked(request, "works/chapter_form.html", form, work=work, chapter=chapter)
    if request.method == "POST" and form.is_valid():
        post = "post" in request.POST and not chapter.posted
        schedule = form.schedule
        try:
            with transaction.atomic():
                claim = _claim(request, form, kind)
                if claim.earlier:
                    return _repeat(request, claim.earlier, chapter)
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
                submissions.record(claim, work=work, chapter=chapter)
                autosave.clear(request.user, kind, chapter=chapter)
        except ValidationError as error:
            if getattr(error, "code", None) == "conflict":
                form.carry_revision(Chapter.objects.get(pk=chapter.pk).revision)
                return _chapter_conflict(request, form, work, chapter)
            _refused(form, error)
        else:
            if schedule:
                messages.success(request, _scheduled_message("The chapter", schedule))
                return redirect(chapter)
            messages.success(
                request,
                "Chapter was successfully posted." if post else "Chapter was successfully updated.",
            )
            return redirect(chapter)
    context = _autosave_context(request, kind, work=work, chapter=chapter, stored=stored)
    return _page(request, "works/chapter_form.html", form, work=work, chapter=chapter, **context)


def _chapter_conflict(request, form, work: Work, chapter: Chapter):
    """409: the chapter was saved since this form was opened (another tab, a co-creator).
    The saved text, what changed from it to the one sent, and the form as sent, carrying
    the saved revision, so saving again replaces the saved text on purpose. Nothing saved."""
    saved = Chapter.objects.get(pk=chapter.pk)
    yours = None
    try:
        yours = form.content.validate()
    except ValidationError:
        pass  # the form shows why; the comparison is left out
    conflict = {
        "saved": saved,
        "saved_by": history.current_saved_by(saved),
        "diff": history.compare(saved.text, yours) if yours is not None else None,
    }
    context = {"work": work, "chapter": saved, "conflict": conflict}
    context |= _autosave_context(request, FormKind.EDIT_CHAPTER, work=work, chapter=saved)
    return _page(request, "works/chapter_form.html", form, **context, status=409)


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
