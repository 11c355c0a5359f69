"""Reporting abuse (anyone, guests with an email), and the admins' pages: the queue of reports,
one report with what it is about and the actions on it, each action's form, and the log.

Admins' pages are 404 to everyone else: nobody learns where the queue is."""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ficshelf.accounts import ratelimits
from ficshelf.accounts.models import User
from ficshelf.feedback.models import Comment
from ficshelf.works.models import Work

from . import services
from .forms import ActionForm, QueueFilterForm, ReportForm, SuspendForm
from .models import AbuseReport, ActionKind, ModerationAction, ReportKind, ReportStatus

PAGE = 50
# How often one reader (an account, or a guest's address) may send a report.
REPORTS = ratelimits.Limit(5, 60 * 60)


def staff_only(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not services.is_admin(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapped


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Reporting -----------------------------------------------------------------------------


def _report(request, kind: str, target, what: str):
    guest = not request.user.is_authenticated
    form = ReportForm(request.POST or None, guest=guest)
    status = 200
    if request.method == "POST":
        decision = ratelimits.hit("abuse-report", ratelimits.actor_for(request), REPORTS)
        if not decision.allowed:
            form.is_valid()
            form.add_error(
                None,
                "You have sent a lot of reports in a short time: please wait "
                f"{(decision.retry_after + 59) // 60} minutes and send this one again.",
            )
            response = _report_page(request, kind, target, what, form, status=429)
            response["Retry-After"] = str(decision.retry_after)
            return response
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.file_report(
                    kind=kind,
                    target=target,
                    category=data["category"],
                    description=data["description"],
                    reporter=request.user,
                    email=data.get("email", ""),
                )
            except PermissionDenied:
                raise Http404(services.NOT_THERE[kind]) from None
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request, "Thank you: your report is with the admins, who read every one."
                )
                return redirect(target.get_absolute_url())
        status = 400
    return _report_page(request, kind, target, what, form, status=status)


def _report_page(request, kind, target, what, form, *, status):
    context = {"kind": kind, "target": target, "what": what, "form": form}
    return render(request, "moderation/report_form.html", context, status=status)


def report_work(request, work_id: int):
    work = Work.objects.prefetch_related("creatorships__pseud").filter(pk=work_id).first()
    if work is None or not services.may_report(request.user, ReportKind.WORK, work):
        raise Http404("There is no such work.")
    return _report(request, ReportKind.WORK, work, f"the work “{work.title}”")


def report_comment(request, comment_id: int):
    comment = Comment.objects.select_related("pseud").filter(pk=comment_id).first()
    if comment is None or not services.may_report(request.user, ReportKind.COMMENT, comment):
        raise Http404("There is no such comment.")
    return _report(request, ReportKind.COMMENT, comment, f"a comment by {comment.commenter_name}")


def report_user(request, username: str):
    account = User.objects.filter(username=username, is_active=True).first()
    if account is None:
        raise Http404("There is no such account.")
    return _report(request, ReportKind.USER, account, f"the account {account.username}")


# --- The queue -----------------------------------------------------------------------------


@staff_only
def queue(request):
    """Reports, oldest open first; ?status= (open, resolved, dismissed, all) and ?kind=."""
    filters = QueueFilterForm(request.GET or None)
    status, kind = "open", ""
    if filters.is_valid():
        status = filters.cleaned_data["status"] or "open"
        kind = filters.cleaned_data["kind"]
    elif request.GET:
        return render(request, "400.html", status=400)
    reports = AbuseReport.objects.select_related("reporter", "closed_by")
    if status != "all":
        reports = reports.filter(status=status)
    if kind:
        reports = reports.filter(kind=kind)
    reports = reports.order_by("created_at", "pk") if status == "open" else reports.reverse()
    page = Paginator(reports, PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "status": status,
        "kind": kind,
        "statuses": [*ReportStatus.choices, ("all", "All")],
        "kinds": [("", "All"), *ReportKind.choices],
        "open_count": AbuseReport.objects.open().count(),
    }
    return render(request, "moderation/queue.html", context)


@staff_only
def report_detail(request, report_id: int):
    report = get_object_or_404(
        AbuseReport.objects.select_related("reporter", "closed_by", "reported_user"),
        pk=report_id,
    )
    initial = {"report": report.pk}
    context = {
        "report": report,
        "target": report.target,
        "others": AbuseReport.objects.filter(target_key=report.target_key).exclude(pk=report.pk),
        "actions": report.actions.select_related("admin"),
        "form": ActionForm(initial=initial),
        "suspend_form": SuspendForm(initial=initial, auto_id="suspend_%s"),
        "dismiss_form": ActionForm(auto_id="dismiss_%s"),
    }
    return render(request, "moderation/report.html", context)


@staff_only
def log(request):
    """Every admin action, newest first; ?kind= one kind."""
    actions = ModerationAction.objects.select_related("report")
    kind = request.GET.get("kind", "")
    if kind in ActionKind.values:
        actions = actions.filter(kind=kind)
    page = Paginator(actions, PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "kind": kind, "kinds": ActionKind.choices}
    return render(request, "moderation/log.html", context)


# --- Actions -------------------------------------------------------------------------------


def _report_of(form) -> AbuseReport | None:
    report_id = form.cleaned_data.get("report")
    return AbuseReport.objects.filter(pk=report_id).first() if report_id else None


def _act(request, *, title: str, target, target_url: str, form_class, do, done: str):
    """An action's page (GET: its form) and its POST: the service, then back to the report
    it was taken from, or to the log."""
    initial = {"report": request.GET.get("report", "")}
    form = form_class(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            report = _report_of(form)
            try:
                do(form, report)
            except ValidationError as error:
                _add_errors(form, error)
            except PermissionDenied as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, done)
                if report is not None:
                    return redirect("moderation:report", report_id=report.pk)
                return redirect("moderation:log")
        status = 400
    context = {"title": title, "target": target, "target_url": target_url, "form": form}
    return render(request, "moderation/act.html", context, status=status)


def _work(work_id: int) -> Work:
    return get_object_or_404(Work, pk=work_id)


@staff_only
def hide_work(request, work_id: int):
    work = _work(work_id)
    return _act(
        request,
        title=f"Hide the work “{work.title}”",
        target=work,
        target_url=work.get_absolute_url(),
        form_class=ActionForm,
        do=lambda form, report: services.hide_work(
            work=work, admin=request.user, reason=form.cleaned_data["reason"], report=report
        ),
        done=f"“{work.title}” is hidden: only its creators and admins can open it.",
    )


@staff_only
def unhide_work(request, work_id: int):
    work = _work(work_id)
    return _act(
        request,
        title=f"Unhide the work “{work.title}”",
        target=work,
        target_url=work.get_absolute_url(),
        form_class=ActionForm,
        do=lambda form, report: services.unhide_work(
            work=work, admin=request.user, reason=form.cleaned_data["reason"], report=report
        ),
        done=f"“{work.title}” is back: readers can find it again.",
    )


@staff_only
def delete_comment(request, comment_id: int):
    comment = get_object_or_404(Comment.objects.select_related("pseud"), pk=comment_id)
    return _act(
        request,
        title=f"Delete a comment by {comment.commenter_name}",
        target=comment,
        target_url=comment.get_absolute_url(),
        form_class=ActionForm,
        do=lambda form, report: services.delete_comment(
            comment=comment, admin=request.user, reason=form.cleaned_data["reason"], report=report
        ),
        done="The comment is deleted.",
    )


def _account(username: str) -> User:
    return get_object_or_404(User, username=username)


@staff_only
def suspend(request, username: str):
    account = _account(username)
    return _act(
        request,
        title=f"Suspend {account.username}",
        target=account,
        target_url=account.get_absolute_url(),
        form_class=SuspendForm,
        do=lambda form, report: services.suspend_account(
            user=account,
            admin=request.user,
            until=form.until(),
            reason=form.cleaned_data["reason"],
            report=report,
        ),
        done=f"{account.username} is suspended.",
    )


@staff_only
def unsuspend(request, username: str):
    account = _account(username)
    return _act(
        request,
        title=f"Lift {account.username}'s suspension",
        target=account,
        target_url=account.get_absolute_url(),
        form_class=ActionForm,
        do=lambda form, report: services.unsuspend(
            user=account, admin=request.user, reason=form.cleaned_data["reason"]
        ),
        done=f"{account.username} may post again.",
    )


@staff_only
def ban(request, username: str):
    account = _account(username)
    return _act(
        request,
        title=f"Ban {account.username}",
        target=account,
        target_url=account.get_absolute_url(),
        form_class=ActionForm,
        do=lambda form, report: services.ban_account(
            user=account, admin=request.user, reason=form.cleaned_data["reason"], report=report
        ),
        done=f"{account.username} is banned and logged out everywhere.",
    )


@staff_only
@require_POST
def dismiss(request, report_id: int):
    report = get_object_or_404(AbuseReport, pk=report_id)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.dismiss_report(
                report=report, admin=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Report {report.pk} is dismissed.")
            return redirect("moderation:queue")
    context = {
        "title": f"Dismiss report {report.pk}",
        "target": report,
        "target_url": reverse("moderation:report", args=[report.pk]),
        "form": form,
    }
    return render(request, "moderation/act.html", context, status=400)
