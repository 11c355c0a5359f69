"""Keeping comments in order: a creator's approvals and frozen threads, readers' reports, and
the moderators' queue where a report is answered (hide, delete or dismiss, with the reason
logged on the report)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ficshelf.works.models import Chapter, Work

from ..forms import ReportForm, ResolveReportForm
from ..models import Comment, CommentReport, CommentStatus, ReportStatus
from ..services import comments as service
from .comments import _comment_or_404, add_errors, landing_url, readable_work, with_notices

QUEUE_PAGE = 50


def _next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _act(request, comment_id: int, action, done: str, *, default=None):
    comment = _comment_or_404(comment_id)
    readable_work(request, comment.work_id, comment.chapter_id, consent=True)
    try:
        action(comment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(_next(request, default or landing_url(comment)))


@require_POST
@login_required
@with_notices
def approve(request, comment_id: int):
    return _act(
        request,
        comment_id,
        lambda comment: service.approve_comment(comment=comment, approver=request.user),
        "The comment was approved: readers see it now.",
    )


@require_POST
@login_required
@with_notices
def reject(request, comment_id: int):
    return _act(
        request,
        comment_id,
        lambda comment: service.reject_comment(comment=comment, rejecter=request.user),
        "The comment was rejected and deleted.",
        default=reverse("feedback:awaiting"),
    )


@require_POST
@login_required
@with_notices
def freeze(request, comment_id: int):
    return _act(
        request,
        comment_id,
        lambda comment: service.freeze_thread(comment=comment, editor=request.user),
        "The thread is frozen: it takes no new replies.",
    )


@require_POST
@login_required
@with_notices
def unfreeze(request, comment_id: int):
    return _act(
        request,
        comment_id,
        lambda comment: service.unfreeze_thread(comment=comment, editor=request.user),
        "The thread is open for replies again.",
    )


@login_required
def awaiting(request):
    """Comments waiting for this creator's approval, on all their works (or one: ?work=)."""
    works = Work.objects.by_user(request.user)
    work_id = request.GET.get("work", "")
    if work_id.isdigit():
        works = works.filter(pk=int(work_id))
    waiting = (
        Comment.objects.filter(status=CommentStatus.AWAITING, work__in=works)
        .select_related("pseud__user", "work")
        .prefetch_related(
            Prefetch("chapter", queryset=Chapter.objects.only("id", "position", "title"))
        )
        .order_by("created_at", "pk")
    )
    page = Paginator(waiting, QUEUE_PAGE).get_page(request.GET.get("page"))
    return render(request, "feedback/moderation.html", {"page": page, "comments": page})


@login_required
@with_notices
def report(request, comment_id: int):
    """ "Report this comment" to the moderators."""
    from ..threads import may_see

    comment = _comment_or_404(comment_id)
    work, chapter = readable_work(request, comment.work_id, comment.chapter_id, consent=True)
    if not may_see(request.user, comment, work=work):
        raise Http404("No such comment.")
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                service.report_comment(
                    comment=comment, reporter=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "Thank you: the moderators will look at this comment.")
                return redirect(landing_url(comment))
        status = 400
    context = {"work": work, "chapter": chapter, "comment": comment, "form": form}
    return render(request, "feedback/report_form.html", context, status=status)


def _require_moderator(user) -> None:
    if not service.is_moderator(user):
        raise PermissionDenied("Only moderators can see the reports queue.")


@login_required
def reports(request):
    """The moderators' queue: open reports, oldest first, and the latest answered ones."""
    _require_moderator(request.user)
    reports = CommentReport.objects.select_related(
        "comment__pseud__user", "comment__work", "reporter", "resolved_by"
    )
    page = Paginator(
        reports.filter(status=ReportStatus.OPEN).order_by("created_at", "pk"), QUEUE_PAGE
    ).get_page(request.GET.get("page"))
    for open_report in page.object_list:
        open_report.form = ResolveReportForm(auto_id=f"report_{open_report.pk}_%s")
    answered = reports.exclude(status=ReportStatus.OPEN).order_by("-resolved_at", "-pk")[:20]
    return render(request, "feedback/report_queue.html", {"page": page, "answered": answered})


@require_POST
@login_required
def resolve(request, report_id: int):
    _require_moderator(request.user)
    found = CommentReport.objects.filter(pk=report_id).first()
    if found is None:
        raise Http404("No such report.")
    form = ResolveReportForm(request.POST, auto_id=f"report_{found.pk}_%s")
    if form.is_valid():
        try:
            resolved = service.resolve_report(
                report=found,
                moderator=request.user,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, f"Report {resolved.pk}: {resolved.get_status_display().lower()}."
            )
            return redirect("feedback:reports")
    found.form = form
    context = {"page": [found], "answered": [], "errors_for": found.pk}
    return render(request, "feedback/report_queue.html", context, status=400)
