"""The beta reader's report on a chapter and the buttons on it. Every button is a plain form
that posts, changes what it says, and redirects back to a fresh report (no JavaScript needed).

Also what it adds to works' pages (registered in apps.py): the report under a posting form,
and the badge on a draft in its author's list of works."""

import html
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from ficshelf.accounts import ratelimits
from ficshelf.userstuff import TextRefused
from ficshelf.works.extensions import BlurbNote
from ficshelf.works.models import Chapter, Work

from . import live, services
from .forms import (
    DictionaryWordForm,
    FixAllForm,
    FixForm,
    IgnoreForm,
    LiveCheckForm,
    RemoveWordForm,
    StopIgnoringForm,
)
from .models import DictionaryWord, IgnoredFinding
from .report import build_report, describe_counts

STALE_MESSAGE = "The chapter changed since it was checked; here is a fresh check."
logger = logging.getLogger(__name__)


def _creators_chapter(request, work_id: int, chapter_id: int) -> tuple[Work, Chapter]:
    """The chapter if the viewer is one of its work's creators; a 404 for anyone else."""
    work = get_object_or_404(Work.objects.editable_by(request.user).with_listing_data(), pk=work_id)
    chapter = get_object_or_404(work.chapters.select_related("work"), pk=chapter_id)
    return work, chapter


def report_url(chapter: Chapter) -> str:
    """The page of a saved chapter's report (works links to it for the chapter's creators)."""
    kwargs = {"work_id": chapter.work_id, "chapter_id": chapter.pk}
    return reverse("betareader:check", kwargs=kwargs)


def _back_to_report(chapter: Chapter, *, style: bool) -> str:
    # No #fragment: the page would scroll past the message that says what happened.
    return report_url(chapter) + ("?style=1" if style else "")


def _render_progress(request, work, chapter, check, *, include_style: bool, status: int = 200):
    """How far the background check of a long chapter got. Without JavaScript the author
    follows "Check again"; with it, htmx asks every two seconds and reloads the page when the
    report is ready."""
    context = {
        "work": work,
        "chapter": chapter,
        "check": check,
        "include_style": include_style,
        "again_url": _back_to_report(chapter, style=include_style),
    }
    if request.htmx:
        return render(request, "betareader/_progress.html", context, status=status)
    return render(request, "betareader/checking.html", context, status=status)


def _render_report(request, work, chapter, *, include_style: bool, status: int = 200):
    try:
        result = services.check_chapter(
            chapter=chapter, user=request.user, include_style=include_style
        )
    except services.StillChecking as still:
        return _render_progress(
            request, work, chapter, still.check, include_style=include_style, status=status
        )
    if request.htmx:
        # The polling of a progress page: the report is ready, so load it as a whole page.
        return HttpResponseClientRefresh()
    report = build_report(chapter.text, result)
    return render(
        request,
        "betareader/report.html",
        {
            "work": work,
            "chapter": chapter,
            "report": report,
            "summary": describe_counts(report.counts),
            "text_hash": services.text_hash(chapter.text),
            "include_style": include_style,
            "fixable": not chapter.posted,
            "ignored": IgnoredFinding.objects.for_chapter(work, chapter),
        },
        status=status,
    )


def _refused(request, work, chapter, form):
    """A button whose form did not validate: say why, with a fresh report."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return _render_report(
        request, work, chapter, include_style=bool(request.POST.get("style")), status=400
    )


@login_required
def check(request, work_id: int, chapter_id: int):
    """The chapter with its findings marked, each explained with its fixes (?style=1 adds
    matters of style)."""
    work, chapter = _creators_chapter(request, work_id, chapter_id)
    return _render_report(request, work, chapter, include_style=request.GET.get("style") == "1")


@login_required
@require_POST
def fix(request, work_id: int, chapter_id: int):
    work, chapter = _creators_chapter(request, work_id, chapter_id)
    form = FixForm(request.POST)
    if not form.is_valid():
        return _refused(request, work, chapter, form)
    try:
        services.apply_fixes(
            chapter=chapter,
            user=request.user,
            fixes=[form.fix],
            checked_text_hash=form.cleaned_data["text_hash"],
        )
    except services.StaleCheck:
        messages.warning(request, STALE_MESSAGE)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        flagged = html.unescape(form.fix.expected)
        messages.success(request, f"Replaced “{flagged}” with “{form.fix.replacement}”.")
    return redirect(_back_to_report(chapter, style=form.cleaned_data["style"]))


@login_required
@require_POST
def fix_all(request, work_id: int, chapter_id: int):
    work, chapter = _creators_chapter(request, work_id, chapter_id)
    form = FixAllForm(request.POST)
    if not form.is_valid():
        return _refused(request, work, chapter, form)
    data = form.cleaned_data
    try:
        fixed = services.fix_all_of_kind(
            chapter=chapter,
            user=request.user,
            rule=data["rule"],
            text=data["text"],
            replacement=data["replacement"],
            checked_text_hash=data["text_hash"],
            include_style=data["style"],
        )
    except services.StaleCheck:
        messages.warning(request, STALE_MESSAGE)
    except services.StillChecking:
        messages.warning(request, "The beta reader is still checking this chapter.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Replaced “{html.unescape(data['text'])}” with “{data['replacement']}” "
            f"{fixed} time{'' if fixed == 1 else 's'}.",
        )
    return redirect(_back_to_report(chapter, style=data["style"]))


@login_required
@require_POST
def ignore(request, work_id: int, chapter_id: int):
    work, chapter = _creators_chapter(request, work_id, chapter_id)
    form = IgnoreForm(request.POST)
    if not form.is_valid():
        return _refused(request, work, chapter, form)
    data = form.cleaned_data
    try:
        services.ignore_finding(
            chapter=chapter,
            user=request.user,
            rule=data["rule"],
            text=data["text"],
            everywhere=data["everywhere"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        where = "anywhere in this work" if data["everywhere"] else "in this chapter"
        flagged = html.unescape(data["text"])
        messages.success(request, f"“{flagged}” will not be flagged {where} again.")
    return redirect(_back_to_report(chapter, style=data["style"]))


@login_required
@require_POST
def stop_ignoring(request, work_id: int, chapter_id: int):
    work, chapter = _creators_chapter(request, work_id, chapter_id)
    form = StopIgnoringForm(request.POST)
    if not form.is_valid():
        return _refused(request, work, chapter, form)
    services.stop_ignoring(
        chapter=chapter, user=request.user, ignored_id=form.cleaned_data["ignored"]
    )
    messages.success(request, "The beta reader will report that again.")
    return redirect(_back_to_report(chapter, style=form.cleaned_data["style"]))


@login_required
@require_POST
def add_word(request, work_id: int, chapter_id: int):
    work, chapter = _creators_chapter(request, work_id, chapter_id)
    form = DictionaryWordForm(request.POST)
    if not form.is_valid():
        return _refused(request, work, chapter, form)
    entry = services.add_to_dictionary(user=request.user, word=form.cleaned_data["word"])
    messages.success(request, f"“{entry.word}” is in your dictionary now.")
    return redirect(_back_to_report(chapter, style=form.cleaned_data["style"]))


@login_required
def dictionary(request):
    """The author's own dictionary: words never flagged as misspelt in their works."""
    form = DictionaryWordForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            entry = services.add_to_dictionary(user=request.user, word=form.cleaned_data["word"])
            messages.success(request, f"“{entry.word}” is in your dictionary now.")
            return redirect("betareader:dictionary")
        status = 400
    words = DictionaryWord.objects.filter(user=request.user)
    return render(
        request, "betareader/dictionary.html", {"form": form, "words": words}, status=status
    )


@login_required
@require_POST
def remove_word(request):
    form = RemoveWordForm(request.POST)
    if form.is_valid():
        services.remove_from_dictionary(user=request.user, word_id=form.cleaned_data["word_id"])
        messages.success(request, "The word was removed from your dictionary.")
    return redirect("betareader:dictionary")


# --- In the posting forms -------------------------------------------------------------------


def check_typed_text(
    request, *, text: str, text_format: str, work=None, chapter=None, tag_names=()
) -> dict:
    """The context of betareader/_form_report.html: the report on text typed into a posting
    form, which is not saved (the author fixes it in the form); `report` is None when there is
    no text to check yet. Called by works' posting views (works.extensions.TextChecker)."""
    if not text or not text.strip():
        return {"report": None}
    html_text, result = services.check_typed_text(
        user=request.user,
        text=text,
        text_format=text_format,
        work=work,
        chapter=chapter,
        tag_names=tag_names,
    )
    return {"report": build_report(html_text, result, highlight_text=False)}


# The panel asks after each pause in typing (and again while a long text is checked in
# pieces): generous for a writer, a wall for a script.
LIVE_CHECKS = ratelimits.Limit(150, 60)
# The panel asks again at once while runs of a long text are left to check (HX-Trigger).
CONTINUE_EVENT = "live-check-continue"


def _live_panel(request, context: dict, *, status: int = 200):
    return render(request, "betareader/_live_findings.html", context, status=status)


@login_required
@require_POST
def live_check(request):
    """The findings panel beside a posting form's text: the text as typed, checked as it is
    now, each finding with fixes the page applies to the text itself. Nothing is saved."""
    form = LiveCheckForm(request.POST)
    if not form.is_valid():
        errors = [error for errors in form.errors.values() for error in errors]
        return _live_panel(request, {"refused": errors}, status=413 if form.too_long else 400)
    decision = ratelimits.hit("live-check", ratelimits.actor_for(request), LIVE_CHECKS)
    if not decision.allowed:
        response = _live_panel(request, {"paused": decision.retry_after}, status=429)
        response["Retry-After"] = str(decision.retry_after)
        return response
    data = form.cleaned_data
    work = chapter = None
    if data["work_id"]:
        work = get_object_or_404(Work.objects.editable_by(request.user), pk=data["work_id"])
    if data["chapter_id"]:
        chapter = get_object_or_404(work.chapters, pk=data["chapter_id"])
    context = {"work": work, "chapter": chapter, "text": data["text"]}
    if not data["text"].strip():
        return _live_panel(request, context | {"empty": True})
    try:
        checked = live.check_while_typing(
            user=request.user,
            text=data["text"],
            text_format=data["text_format"],
            work=work,
            chapter=chapter,
            language=data["language"],
            tag_names=form.tag_names,
            caret=data["caret"],
        )
    except TextRefused as refused:
        return _live_panel(request, context | {"refused": [str(refused)]}, status=400)
    listed = checked.listed()
    report = build_report(checked.clean, listed, highlight_text=False)
    for entry in report.entries:
        entry.live = checked.of(entry.finding)
    context |= {
        "report": report,
        "checked": checked,
        "summary": describe_counts(checked.result.counts()),
        "omitted": len(checked.result.findings) - len(report.entries),
    }
    response = _live_panel(request, context)
    if checked.runs_left:
        response["HX-Trigger"] = CONTINUE_EVENT
    return response


# --- On the author's list of works -----------------------------------------------------------


def badge_summary(draft: services.DraftSummary) -> str:
    """ "2 errors, 1 suggestion", "checking…", or the counts so far while some are checked."""
    chapters = len(draft.chapter_ids)
    if draft.pending == chapters:
        return "checking…"
    counts = describe_counts(draft.counts)
    if draft.pending:
        return f"{counts} so far, checking {draft.pending} of {chapters} chapters…"
    return counts


def draft_badges(works: list, viewer) -> dict[int, list[BlurbNote]]:
    """The badge "Beta reader: 2 errors, 1 suggestion" on each draft of `works` that `viewer`
    created (works.extensions blurb notes), from the stored summaries: nothing is checked
    while the page is made."""
    by_id = {work.pk: work for work in works}
    try:
        drafts = services.draft_summaries([w.pk for w in works if not w.posted], viewer)
    except Exception:
        # A badge is a convenience: the author's list of works must show even without it.
        logger.exception("The beta reader could not read its summaries")
        return {}
    notes = {}
    for work_id, draft in drafts.items():
        if len(draft.chapter_ids) == 1:
            url = reverse(
                "betareader:check",
                kwargs={"work_id": work_id, "chapter_id": draft.chapter_ids[0]},
            )
        else:
            url = by_id[work_id].get_absolute_url()
        context = {
            "counts": draft.counts,
            "summary": badge_summary(draft),
            "checking": bool(draft.pending),
            "url": url,
        }
        notes[work_id] = [BlurbNote("betareader/_badge.html", context)]
    return notes
