"""Writes of the moderation app: filing an abuse report, and what admins do about it.

Every admin action is one atomic function that refuses anyone but staff, requires a reason,
writes its row in the append-only log (`ModerationAction`) and closes the reports of what it
acted on. Hiding or unhiding a work moves the work's page-cache and listings versions on in the
same transaction (`works.versions.bump_work`) and sends `works.signals.work_changed`, so the
very next request (a guest's cached page, a list, search, a feed) no longer shows it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from ficshelf.accounts.models import User
from ficshelf.accounts.sessions import revoke_others
from ficshelf.feedback.models import Comment, CommentStatus
from ficshelf.feedback.services import comments as comment_services
from ficshelf.userstuff import html_to_text
from ficshelf.works import reading, signals, versions
from ficshelf.works.models import Work
from ficshelf.works.reading import Way

from .models import (
    DESCRIPTION_MAX,
    REASON_MAX,
    SNAPSHOT_TEXT_MAX,
    AbuseReport,
    ActionKind,
    ModerationAction,
    ReportCategory,
    ReportKind,
    ReportStatus,
)

NOT_THERE = {
    ReportKind.WORK: "There is no such work.",
    ReportKind.COMMENT: "There is no such comment.",
    ReportKind.USER: "There is no such account.",
}
TWICE = "You have already reported this: an admin will look at your report."


def is_admin(user) -> bool:
    """Admins are the archive's staff (the reading policy lets them review hidden works)."""
    return reading.is_admin(user)


def _require_admin(user) -> None:
    if not is_admin(user):
        raise PermissionDenied("Only the archive's admins can do that.")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Please give the reason, for the log."]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [f"Please keep it under {REASON_MAX:,} characters."]})
    return reason


def target_key(kind: str, target) -> str:
    return f"{kind}:{target.pk}"


# --- Reports -----------------------------------------------------------------------------------


def may_report(reporter, kind: str, target) -> bool:
    """Whether the reporter can see what they report (nobody learns of a hidden thing by
    reporting it)."""
    if kind == ReportKind.WORK:
        prefetch_related_objects([target], "creatorships__pseud")
        return reading.may(reporter, target, Way.OPEN)
    if kind == ReportKind.COMMENT:
        from ficshelf.feedback.threads import may_see

        work = Work.objects.prefetch_related("creatorships__pseud").get(pk=target.work_id)
        return target.status != CommentStatus.DELETED and may_see(reporter, target, work=work)
    return target.is_active


def _snapshot(kind: str, target) -> dict:
    if kind == ReportKind.WORK:
        chapter = target.chapters.filter(posted=True).order_by("position").first()
        text = html_to_text(target.summary or "")
        if chapter is not None:
            text = f"{text}\n\n{html_to_text(chapter.text)}".strip()
        title, url = target.title, target.get_absolute_url()
    elif kind == ReportKind.COMMENT:
        work_title = Work.objects.filter(pk=target.work_id).values_list("title", flat=True)
        title = f"A comment by {target.commenter_name} on {work_title.first()}"
        text, url = html_to_text(target.text), target.get_absolute_url()
    else:
        title, text, url = target.username, "", target.get_absolute_url()
    return {
        "snapshot_title": title[:300],
        "snapshot_text": text[:SNAPSHOT_TEXT_MAX],
        "snapshot_url": url[:300],
    }


def file_report(
    *,
    kind: str,
    target,
    category: str,
    description: str,
    reporter=None,
    email: str = "",
) -> AbuseReport:
    """`reporter` (an account, or a guest when None, with their `email`) reports `target` (a
    Work, a Comment or a User, as `kind` says) to the admins. A ValidationError, keyed by the
    report form's fields, for bad input and for a second open report of the same thing by the
    same reporter (code "twice"); a PermissionDenied when the reporter cannot see it."""
    reporter = reporter if reading.is_reader(reporter) else None
    if kind not in ReportKind.values:
        raise ValidationError("Please say what you are reporting.", code="kind")
    errors: dict[str, list[str]] = {}
    if category not in ReportCategory.values:
        errors["category"] = ["Please choose what is wrong."]
    description = (description or "").replace("\r\n", "\n").strip()
    if not description:
        errors["description"] = ["Please tell the admins what is wrong."]
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = [
            f"Please keep it under {DESCRIPTION_MAX:,} characters (it has {len(description):,})."
        ]
    email = (email or "").strip()
    if reporter is None:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["Please give your email address, so the admins can answer."]
    if errors:
        raise ValidationError(errors)
    if target is None or not may_report(reporter, kind, target):
        raise PermissionDenied(NOT_THERE[kind])
    reporter_key = f"account:{reporter.pk}" if reporter else f"email:{email.lower()}"
    key = target_key(kind, target)
    fields = {"work": None, "comment": None, "reported_user": None}
    fields[{"work": "work", "comment": "comment", "user": "reported_user"}[kind]] = target
    with transaction.atomic():
        if AbuseReport.objects.open().filter(target_key=key, reporter_key=reporter_key).exists():
            raise ValidationError(TWICE, code="twice")
        try:
            with transaction.atomic():
                return AbuseReport.objects.create(
                    kind=kind,
                    target_key=key,
                    reporter=reporter,
                    reporter_email="" if reporter else email,
                    reporter_key=reporter_key,
                    category=category,
                    description=description,
                    **fields,
                    **_snapshot(kind, target),
                )
        except IntegrityError:
            # The same report sent twice at once: the unique constraint kept one.
            raise ValidationError(TWICE, code="twice") from None


def _close_reports(key: str, admin, status: str, *, report=None) -> None:
    """Close the open reports of `key` (all of them: the action answers each), or only
    `report` when dismissing it."""
    reports = AbuseReport.objects.open()
    reports = reports.filter(pk=report.pk) if status == ReportStatus.DISMISSED else reports
    reports.filter(target_key=key).update(status=status, closed_by=admin, closed_at=timezone.now())


def _checked_report(report, kind: str, target) -> AbuseReport | None:
    if report is None:
        return None
    report = AbuseReport.objects.select_for_update().filter(pk=report.pk).first()
    if report is None or report.target_key != target_key(kind, target):
        raise ValidationError("That report is about something else.", code="report")
    return report


def _log(admin, kind: str, *, label: str, reason: str, report=None, **target) -> ModerationAction:
    return ModerationAction.objects.create(
        admin=admin,
        admin_name=admin.username,
        kind=kind,
        target_label=label[:300],
        reason=reason,
        report=report,
        **target,
    )


@transaction.atomic
def dismiss_report(*, report: AbuseReport, admin, reason: str) -> ModerationAction:
    """Close a report without acting on what it reports (logged, with the reason)."""
    _require_admin(admin)
    reason = _reason(reason)
    report = AbuseReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_open:
        raise ValidationError("This report was already closed.", code="closed")
    _close_reports(report.target_key, admin, ReportStatus.DISMISSED, report=report)
    return _log(
        admin, ActionKind.DISMISS, label=report.snapshot_title, reason=reason, report=report
    )


# --- Works -------------------------------------------------------------------------------------


def _set_hidden(work: Work, admin, reason: str, report, hidden: bool) -> ModerationAction:
    _require_admin(admin)
    reason = _reason(reason)
    with transaction.atomic():
        work = Work.objects.select_for_update().get(pk=work.pk)
        if work.hidden_by_admin == hidden:
            state = "hidden" if hidden else "not hidden"
            raise ValidationError(f"This work is already {state}.", code="already")
        report = _checked_report(report, ReportKind.WORK, work)
        Work.objects.filter(pk=work.pk).update(hidden_by_admin=hidden)
        # The works app's own way of saying a work changed: new page-cache keys for the work
        # and every list, and search, series and the beta reader hear of it.
        versions.bump_work(work.pk)
        signals.work_changed.send(sender=Work, work_id=work.pk)
        kind = ActionKind.HIDE_WORK if hidden else ActionKind.UNHIDE_WORK
        action = _log(admin, kind, label=work.title, reason=reason, report=report, work=work)
        if hidden:
            _close_reports(target_key(ReportKind.WORK, work), admin, ReportStatus.RESOLVED)
    return action


def hide_work(*, work: Work, admin, reason: str, report=None) -> ModerationAction:
    """Hide a work from everyone but its creators (who still edit it, and see why) and admins:
    it leaves every list, search, feed and download at once. Closes its open reports."""
    return _set_hidden(work, admin, reason, report, True)


def unhide_work(*, work: Work, admin, reason: str, report=None) -> ModerationAction:
    return _set_hidden(work, admin, reason, report, False)


def hiding_reason(work: Work) -> str:
    """Why the work is hidden: the reason of its latest hiding."""
    found = ModerationAction.objects.filter(work=work, kind=ActionKind.HIDE_WORK).first()
    return found.reason if found is not None else ""


# --- Comments ----------------------------------------------------------------------------------


def delete_comment(*, comment: Comment, admin, reason: str, report=None) -> ModerationAction:
    """Delete a comment, through feedback's own service for a moderator's deletion
    (`remove_comment`): its counters move, its thread keeps a "deleted comment" placeholder,
    and its open comment reports in feedback are resolved too. Needs feedback's moderator
    permission (superusers have it)."""
    _require_admin(admin)
    reason = _reason(reason)
    if not comment_services.is_moderator(admin):
        raise PermissionDenied(
            "Deleting a comment needs the permission to act on comment reports "
            f"({comment_services.MODERATOR_PERMISSION})."
        )
    with transaction.atomic():
        comment = Comment.objects.filter(pk=comment.pk).first()
        if comment is None or comment.status == CommentStatus.DELETED:
            raise ValidationError("This comment was already deleted.", code="already")
        report = _checked_report(report, ReportKind.COMMENT, comment)
        label = f"A comment by {comment.commenter_name}"
        comment_services.remove_comment(comment=comment, moderator=admin, note=reason)
        action = _log(
            admin,
            ActionKind.DELETE_COMMENT,
            label=label,
            reason=reason,
            report=report,
            comment=comment,
        )
        _close_reports(target_key(ReportKind.COMMENT, comment), admin, ReportStatus.RESOLVED)
    return action


# --- Accounts ----------------------------------------------------------------------------------


def _locked_account(user, admin) -> User:
    account = User.objects.select_for_update().get(pk=user.pk)
    if account.pk == admin.pk:
        raise ValidationError("You cannot do that to your own account.", code="self")
    if account.is_staff:
        raise ValidationError(
            "Admins cannot be suspended or banned: take away their staff status first.",
            code="staff",
        )
    return account


def suspend_account(*, user, admin, until, reason: str, report=None) -> ModerationAction:
    """Until `until`, the account may read but not post, edit, comment, give kudos or
    bookmark (accounts.suspension). Suspending again moves the end."""
    _require_admin(admin)
    reason = _reason(reason)
    if until is None or until <= timezone.now():
        raise ValidationError({"until": ["Please give a date and time in the future."]})
    with transaction.atomic():
        account = _locked_account(user, admin)
        if not account.is_active:
            raise ValidationError("This account is banned.", code="banned")
        report = _checked_report(report, ReportKind.USER, account)
        # An update, not save(): a suspension changes no page (save would move every page
        # the account's works are on).
        User.objects.filter(pk=account.pk).update(suspended_until=until)
        action = _log(
            admin,
            ActionKind.SUSPEND,
            label=account.username,
            reason=reason,
            report=report,
            account=account,
            until=until,
        )
        _close_reports(target_key(ReportKind.USER, account), admin, ReportStatus.RESOLVED)
    user.suspended_until = until
    return action


def unsuspend(*, user, admin, reason: str) -> ModerationAction:
    """End a suspension before its time."""
    _require_admin(admin)
    reason = _reason(reason)
    with transaction.atomic():
        account = _locked_account(user, admin)
        if not account.is_suspended:
            raise ValidationError("This account is not suspended.", code="already")
        User.objects.filter(pk=account.pk).update(suspended_until=None)
        action = _log(
            admin, ActionKind.UNSUSPEND, label=account.username, reason=reason, account=account
        )
    user.suspended_until = None
    return action


def ban_account(*, user, admin, reason: str, report=None) -> ModerationAction:
    """Ban an account: it can no longer log in (Django refuses an inactive account), every
    session it has is ended, and its API tokens stop working. Its works stay as they are
    (hide them one by one)."""
    _require_admin(admin)
    reason = _reason(reason)
    with transaction.atomic():
        account = _locked_account(user, admin)
        if not account.is_active:
            raise ValidationError("This account is already banned.", code="already")
        report = _checked_report(report, ReportKind.USER, account)
        User.objects.filter(pk=account.pk).update(is_active=False)
        revoke_others(user=account, current_key=None)
        action = _log(
            admin,
            ActionKind.BAN,
            label=account.username,
            reason=reason,
            report=report,
            account=account,
        )
        _close_reports(target_key(ReportKind.USER, account), admin, ReportStatus.RESOLVED)
    user.is_active = False
    return action
