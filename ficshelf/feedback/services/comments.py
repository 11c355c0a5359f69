"""Comments: posting, editing and deleting them, a creator's moderation (approval, frozen
threads), and reports that moderators act on.

Every function checks that its caller may act, locks the work's row before the comments it
changes (so counters move with F() under that lock and writers never deadlock), saves only the
fields it changes and moves the work's content version on (guests' cached pages show comments).
Who may read the work is the reading policy's answer (works.reading); "may not see" is a
PermissionDenied, bad input a ValidationError keyed by the comment form's field names.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, prefetch_related_objects
from django.utils import timezone

from ficshelf.accounts.ratelimits import Limit
from ficshelf.accounts.suspension import refuse_if_suspended
from ficshelf.userstuff import TextFormat, TextRefused, html_to_text, to_html
from ficshelf.works import reading, versions
from ficshelf.works.models import Chapter, CommentPermission, Work
from ficshelf.works.reading import Instead, Way

from .. import anchors, signals
from ..models import COMMENT_MAX, AnchorState, Comment, CommentReport, CommentStatus, ReportStatus
from .blocking import blocks_feedback

# Staff with this permission work the reports queue.
MODERATOR_PERMISSION = "feedback.change_commentreport"
REPORT_REASON_MAX = 2_000
GUEST_NAME_MAX = 100

# Why a viewer finds no comment form (shown in its place).
NOT_THERE = "This work is not there."
LOG_IN_TO_COMMENT = "Log in to comment on this work."
NOT_POSTED = "Comments open once this is posted."
COMMENTS_OFF = "Comments are turned off on this work."
REGISTERED_ONLY = "Only registered readers can comment on this work. Log in to comment."
BLOCKED = "You cannot comment on this work: its creator has blocked you."

# AO3: 3 comments per 15 minutes for new and low-activity accounts; guests stricter.
RATE_WINDOW_SECONDS = 15 * 60
GUEST_COMMENTS = Limit(2, RATE_WINDOW_SECONDS)
NEW_ACCOUNT_COMMENTS = Limit(3, RATE_WINDOW_SECONDS)
ACCOUNT_COMMENTS = Limit(20, RATE_WINDOW_SECONDS)
NEW_ACCOUNT_AGE = timedelta(days=7)

_FORMATS = {TextFormat.PLAIN, TextFormat.HTML, TextFormat.MARKDOWN}


# --- Reads the services and the pages share --------------------------------------------------


def typed_length(text: str) -> int:
    """The length of a comment as typed (browsers send each line end as CRLF)."""
    return len(text.replace("\r\n", "\n"))


def why_not_comment(viewer, work, chapter=None, *, blocked: bool | None = None) -> str:
    """Why `viewer` may not comment on `work` (and `chapter`), or "" when they may. `blocked`,
    when the caller knows it, saves a query. Reads the work's prefetched creatorships."""
    verdict = reading.decide(viewer, work, Way.OPEN, chapter=chapter, adult_consent=True)
    if verdict.instead == Instead.LOG_IN:
        return LOG_IN_TO_COMMENT
    if not verdict.allowed:
        return NOT_THERE
    if not work.posted or (chapter is not None and not chapter.posted):
        return NOT_POSTED
    if work.comment_permission == CommentPermission.OFF:
        return COMMENTS_OFF
    guest = not reading.is_reader(viewer)
    if guest and work.comment_permission == CommentPermission.REGISTERED:
        return REGISTERED_ONLY
    if not guest and (blocks_feedback(work, viewer) if blocked is None else blocked):
        return BLOCKED
    return ""


def comment_limit(commenter, work) -> Limit | None:
    """How often `commenter` may comment (None: no limit, for a creator on their own work)."""
    if not reading.is_reader(commenter):
        return GUEST_COMMENTS
    if reading.is_creator(commenter, work):
        return None
    young = timezone.now() - commenter.date_joined < NEW_ACCOUNT_AGE
    if young or not Work.objects.by_user(commenter).posted().exists():
        return NEW_ACCOUNT_COMMENTS
    return ACCOUNT_COMMENTS


def is_moderator(user) -> bool:
    return bool(reading.is_reader(user) and user.is_staff and user.has_perm(MODERATOR_PERMISSION))


# --- Helpers ---------------------------------------------------------------------------------


def _locked_work(work_id: int) -> Work:
    """The work's row, locked until the transaction ends, with its creators (the policy and
    the creator checks read them)."""
    work = Work.objects.select_for_update().get(pk=work_id)
    prefetch_related_objects([work], "creatorships__pseud")
    return work


def _locked_comment(comment) -> Comment:
    found = Comment.objects.select_for_update().filter(pk=comment.pk).first()
    if found is None:
        raise ValidationError("That comment is not there any more.", code="gone")
    return found


def _require_creator(user, work: Work) -> None:
    if not reading.is_creator(user, work):
        raise PermissionDenied("Only the work's creators can do that.")


def _count(comment: Comment, delta: int) -> None:
    """Move the published-comment counters of the comment's work and chapter."""
    change = F("comments_count") + delta
    Work.objects.filter(pk=comment.work_id).update(comments_count=change)
    if comment.chapter_id is not None:
        Chapter.objects.filter(pk=comment.chapter_id).update(comments_count=change)


def _comment_html(text: str, text_format: str) -> str:
    """The clean HTML of a comment, or a ValidationError keyed "text"."""
    if text_format not in _FORMATS:
        raise ValidationError({"text_format": ["Please choose how the comment is written."]})
    if not text.strip():
        raise ValidationError({"text": ["Please write something in your comment."]})
    length = typed_length(text)
    if length > COMMENT_MAX:
        raise ValidationError(
            {"text": [f"A comment can be at most {COMMENT_MAX:,} characters; this is {length:,}."]}
        )
    try:
        html = to_html(text, text_format)
    except TextRefused as refusal:
        raise ValidationError({"text": [str(refusal)]}) from None
    if not html_to_text(html).strip():
        raise ValidationError({"text": ["Please write something in your comment."]})
    return html


def _guest_details(name: str, email: str) -> tuple[str, str]:
    name, email = name.strip(), email.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["guest_name"] = ["Please give a name to show with your comment."]
    elif len(name) > GUEST_NAME_MAX:
        errors["guest_name"] = [f"A name can be at most {GUEST_NAME_MAX} characters."]
    if not email:
        errors["guest_email"] = ["Please give your email address (it is never shown)."]
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["guest_email"] = ["Please give a valid email address."]
    if errors:
        raise ValidationError(errors)
    return name, email


def _commenter_pseud(commenter, pseud):
    if pseud is None:
        return commenter.default_pseud
    if pseud.user_id != commenter.pk:
        raise ValidationError({"pseud": ["You can only comment as one of your own pseuds."]})
    return pseud


_CLOSED_PARENT = {
    CommentStatus.DELETED: "That comment was deleted: it takes no replies.",
    CommentStatus.HIDDEN: "That comment was hidden by a moderator: it takes no replies.",
    CommentStatus.AWAITING: "That comment is waiting for approval: reply once it is approved.",
}


def _open_parent(parent, work: Work, chapter) -> tuple[Comment, Comment]:
    """The comment replied to and its thread's first comment, both locked; a ValidationError
    for a comment elsewhere, one that takes no replies, or a frozen thread."""
    parent = Comment.objects.select_for_update().filter(pk=parent.pk).first()
    chapter_id = chapter.pk if chapter is not None else None
    if parent is None or parent.work_id != work.pk or parent.chapter_id != chapter_id:
        raise ValidationError("You can only reply to a comment on this page.", code="parent")
    if parent.status != CommentStatus.PUBLISHED:
        raise ValidationError(_CLOSED_PARENT[parent.status], code="parent")
    thread = parent
    if parent.thread_id not in (None, parent.pk):
        thread = Comment.objects.select_for_update().get(pk=parent.thread_id)
    if thread.frozen:
        raise ValidationError("This thread is frozen: it takes no new replies.", code="frozen")
    return parent, thread


def _remove(comment: Comment, *, keep: bool = False) -> None:
    """Delete a comment; one with replies or reports (or `keep`) stays as a "deleted comment"
    placeholder, its text and the guest's email gone. A placeholder left with no replies and
    no reports goes too. Moves the counters if it was published."""
    if comment.status == CommentStatus.PUBLISHED:
        _count(comment, -1)
    if keep or _still_needed(comment.pk):
        comment.status = CommentStatus.DELETED
        comment.text = ""
        comment.guest_email = ""
        comment.is_critique = False
        comment.save(
            update_fields=["status", "text", "text_sanitizer_version", "guest_email", "is_critique"]
        )
        return
    parent_id = comment.parent_id
    comment.delete()
    while parent_id is not None:
        parent = Comment.objects.select_for_update().filter(pk=parent_id).first()
        if parent is None or parent.status != CommentStatus.DELETED or _still_needed(parent.pk):
            return
        parent_id = parent.parent_id
        parent.delete()


def _still_needed(comment_id: int) -> bool:
    return (
        Comment.objects.filter(parent_id=comment_id).exists()
        or CommentReport.objects.filter(comment_id=comment_id).exists()
    )


# --- Posting, editing, deleting --------------------------------------------------------------


def post_comment(
    *,
    work,
    chapter,
    commenter,
    text: str,
    text_format: str = TextFormat.PLAIN,
    parent=None,
    is_critique: bool = False,
    guest_name: str = "",
    guest_email: str = "",
    anchor: anchors.Anchor | None = None,
    pseud=None,
) -> Comment:
    """A comment by `commenter` (an account, or None for a guest with a name and an email) on
    `chapter` of `work` (None: on the whole work), or a reply to `parent`; on a passage when
    `anchor` is given. Published at once, or awaiting a creator's approval on a moderated work
    (its creators' own comments never wait)."""
    commenter = commenter if reading.is_reader(commenter) else None
    refuse_if_suspended(commenter)
    html = _comment_html(text, text_format)
    if commenter is None:
        guest_name, guest_email = _guest_details(guest_name, guest_email)
    else:
        guest_name = guest_email = ""
    with transaction.atomic():
        work = _locked_work(work.pk)
        if chapter is not None:
            chapter = Chapter.objects.filter(pk=chapter.pk, work=work).first()
            if chapter is None:
                raise PermissionDenied(NOT_THERE)
        refusal = why_not_comment(commenter, work, chapter)
        if refusal:
            raise PermissionDenied(refusal)
        thread, depth = None, 0
        if parent is not None:
            parent, thread = _open_parent(parent, work, chapter)
            depth = parent.depth + 1
        moderated = work.moderated_comments and not reading.is_creator(commenter, work)
        comment = Comment(
            work=work,
            chapter=chapter,
            parent=parent,
            thread=thread,
            depth=depth,
            user=commenter,
            pseud=_commenter_pseud(commenter, pseud) if commenter is not None else None,
            guest_name=guest_name,
            guest_email=guest_email,
            text=html,
            text_format=text_format,
            is_critique=bool(is_critique),
            status=CommentStatus.AWAITING if moderated else CommentStatus.PUBLISHED,
        )
        if anchor is not None:
            _place(comment, chapter, anchor)
        comment.save()
        if thread is None:
            comment.thread = comment
            comment.save(update_fields=["thread"])
        if comment.status == CommentStatus.PUBLISHED:
            _count(comment, +1)
        versions.bump_work(work.pk)
        signals.comment_posted.send(sender=Comment, comment_id=comment.pk, work_id=work.pk)
    return comment


def _place(comment: Comment, chapter, anchor: anchors.Anchor) -> None:
    if chapter is None:
        raise ValidationError("A comment on a passage needs its chapter.", code="anchor")
    placed = anchors.place_anchor(chapter, anchor)
    comment.paragraph_id = comment.current_paragraph_id = placed.paragraph_id
    comment.quote = placed.quote
    comment.quote_start, comment.quote_end = placed.start, placed.end
    comment.anchored_revision = chapter.revision
    comment.anchor_state = AnchorState.ON_PARAGRAPH


def edit_comment(
    *,
    comment: Comment,
    editor,
    text: str,
    text_format: str | None = None,
    is_critique: bool | None = None,
) -> Comment:
    """The commenter's new text, marked edited now. Only the account that wrote it may."""
    if not reading.is_reader(editor) or comment.user_id != editor.pk:
        raise PermissionDenied("Only the person who wrote a comment can edit it.")
    refuse_if_suspended(editor)
    text_format = text_format or comment.text_format
    html = _comment_html(text, text_format)
    with transaction.atomic():
        work = _locked_work(comment.work_id)
        comment = _locked_comment(comment)
        if comment.status not in (CommentStatus.PUBLISHED, CommentStatus.AWAITING):
            raise PermissionDenied("This comment can no longer be edited.")
        if not reading.may(editor, work, Way.OPEN, chapter=comment.chapter):
            raise PermissionDenied(NOT_THERE)
        comment.text, comment.text_format = html, text_format
        if is_critique is not None:
            comment.is_critique = bool(is_critique)
        comment.edited_at = timezone.now()
        comment.save(
            update_fields=[
                "text",
                "text_sanitizer_version",
                "text_format",
                "is_critique",
                "edited_at",
            ]
        )
        versions.bump_work(work.pk)
    return comment


def delete_comment(*, comment: Comment, deleter) -> None:
    """Delete a comment, as its commenter or a creator of its work. One with replies stays
    as a "deleted comment" placeholder so its thread still reads."""
    with transaction.atomic():
        work = _locked_work(comment.work_id)
        comment = _locked_comment(comment)
        own = reading.is_reader(deleter) and comment.user_id == deleter.pk
        if not own and not reading.is_creator(deleter, work):
            raise PermissionDenied(
                "Only the person who wrote a comment, or the work's creators, can delete it."
            )
        if comment.status == CommentStatus.DELETED:
            return
        _remove(comment)
        versions.bump_work(work.pk)


# --- Moderation by the work's creators ------------------------------------------------------


def approve_comment(*, comment: Comment, approver) -> Comment:
    """Publish a comment that was waiting for approval on a moderated work."""
    with transaction.atomic():
        work = _locked_work(comment.work_id)
        comment = _locked_comment(comment)
        _require_creator(approver, work)
        if comment.status != CommentStatus.AWAITING:
            raise ValidationError("This comment is not waiting for approval.", code="status")
        comment.status = CommentStatus.PUBLISHED
        comment.save(update_fields=["status"])
        _count(comment, +1)
        versions.bump_work(work.pk)
        signals.comment_approved.send(sender=Comment, comment_id=comment.pk, work_id=work.pk)
    return comment


def reject_comment(*, comment: Comment, rejecter) -> None:
    """Turn down a comment that was waiting for approval: it is deleted."""
    with transaction.atomic():
        work = _locked_work(comment.work_id)
        comment = _locked_comment(comment)
        _require_creator(rejecter, work)
        if comment.status != CommentStatus.AWAITING:
            raise ValidationError("This comment is not waiting for approval.", code="status")
        _remove(comment)
        versions.bump_work(work.pk)


def _set_frozen(comment: Comment, editor, frozen: bool) -> Comment:
    with transaction.atomic():
        work = _locked_work(comment.work_id)
        comment = _locked_comment(comment)
        _require_creator(editor, work)
        thread = comment
        if comment.thread_id not in (None, comment.pk):
            thread = Comment.objects.select_for_update().get(pk=comment.thread_id)
        if thread.frozen != frozen:
            thread.frozen = frozen
            thread.save(update_fields=["frozen"])
            versions.bump_work(work.pk)
    return thread


def freeze_thread(*, comment: Comment, editor) -> Comment:
    """No new replies in the thread `comment` is in; returns its first comment."""
    return _set_frozen(comment, editor, True)


def unfreeze_thread(*, comment: Comment, editor) -> Comment:
    return _set_frozen(comment, editor, False)


# --- Reports -----------------------------------------------------------------------------------


def report_comment(*, comment: Comment, reporter, reason: str) -> CommentReport:
    """Put a comment in the moderators' queue, with the reader's reason."""
    from ..threads import may_see

    if not reading.is_reader(reporter):
        raise PermissionDenied("Log in to report a comment.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ["Please tell the moderators what is wrong with it."]})
    if len(reason) > REPORT_REASON_MAX:
        raise ValidationError(
            {"reason": [f"Please keep it under {REPORT_REASON_MAX:,} characters."]}
        )
    with transaction.atomic():
        work = _locked_work(comment.work_id)
        comment = _locked_comment(comment)
        if not may_see(reporter, comment, work=work):
            raise PermissionDenied(NOT_THERE)
        if comment.status == CommentStatus.DELETED:
            raise ValidationError("That comment was deleted.", code="gone")
        already = CommentReport.objects.filter(
            comment=comment, reporter=reporter, status=ReportStatus.OPEN
        )
        if already.exists():
            raise ValidationError(
                "You already reported this comment: a moderator will look at it.", code="twice"
            )
        return CommentReport.objects.create(comment=comment, reporter=reporter, reason=reason)


def remove_comment(*, comment: Comment, moderator, note: str) -> None:
    """A moderator deletes a comment outright, reported or not (the archive's moderation
    queue): its row stays as a "deleted comment" placeholder, and its open reports are
    resolved as deleted with the moderator's note."""
    if not is_moderator(moderator):
        raise PermissionDenied("Only moderators can delete other people's comments.")
    note = note.strip()
    if not note:
        raise ValidationError({"note": ["Please say why, for the log."]})
    with transaction.atomic():
        work = _locked_work(comment.work_id)
        comment = _locked_comment(comment)
        if comment.status == CommentStatus.DELETED:
            raise ValidationError("This comment was already deleted.", code="already")
        _remove(comment, keep=True)
        CommentReport.objects.filter(comment=comment, status=ReportStatus.OPEN).update(
            status=ReportStatus.DELETED,
            resolved_by=moderator,
            resolved_at=timezone.now(),
            resolution_note=note,
        )
        versions.bump_work(work.pk)


def resolve_report(*, report: CommentReport, moderator, action: str, note: str) -> CommentReport:
    """A moderator's answer to a report: hide the comment, delete it (its row stays as a
    placeholder, so the log stays with it), or dismiss the report. Who, when and why are kept
    on the report; hiding or deleting resolves the comment's other open reports alike."""
    if not is_moderator(moderator):
        raise PermissionDenied("Only moderators can act on reports.")
    if action not in (ReportStatus.HIDDEN, ReportStatus.DELETED, ReportStatus.DISMISSED):
        raise ValidationError({"action": ["Please choose what to do."]})
    note = note.strip()
    if not note:
        raise ValidationError({"note": ["Please say why, for the log."]})
    work_id = Comment.objects.filter(reports=report).values_list("work_id", flat=True).first()
    if work_id is None:
        raise ValidationError("That report is not there any more.", code="gone")
    with transaction.atomic():
        work = _locked_work(work_id)
        report = CommentReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.OPEN:
            raise ValidationError("This report was already resolved.", code="resolved")
        comment = _locked_comment(report.comment)
        if action == ReportStatus.HIDDEN and comment.status in (
            CommentStatus.PUBLISHED,
            CommentStatus.AWAITING,
        ):
            if comment.status == CommentStatus.PUBLISHED:
                _count(comment, -1)
            comment.status = CommentStatus.HIDDEN
            comment.save(update_fields=["status"])
        elif action == ReportStatus.DELETED and comment.status != CommentStatus.DELETED:
            _remove(comment, keep=True)
        resolved = CommentReport.objects.filter(pk=report.pk)
        if action != ReportStatus.DISMISSED:
            resolved = CommentReport.objects.filter(comment=comment, status=ReportStatus.OPEN)
        resolved.update(
            status=action,
            resolved_by=moderator,
            resolved_at=timezone.now(),
            resolution_note=note,
        )
        versions.bump_work(work.pk)
    report.refresh_from_db()
    return report
