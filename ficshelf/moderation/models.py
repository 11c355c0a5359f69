"""Abuse reports (of a work, a comment or an account) and the admins' log of what they did.

A report keeps a snapshot of what was reported (its title or name, its text, its address), so
the evidence stays when the work, the comment or the account is deleted: the foreign keys are
then set to NULL and the snapshot remains. The log (`ModerationAction`) is append-only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from ficshelf.feedback.models import Comment
from ficshelf.works.models import Work

DESCRIPTION_MAX = 2_000  # characters a reporter may write
REASON_MAX = 2_000  # characters of an admin's reason, for the log
SNAPSHOT_TEXT_MAX = 20_000  # characters of the reported text kept as evidence


class ReportKind(models.TextChoices):
    WORK = "work", "Work"
    COMMENT = "comment", "Comment"
    USER = "user", "User"


class ReportCategory(models.TextChoices):
    """As AO3's Policy & Abuse form."""

    SPAM = "spam", "Spam or commercial content"
    HARASSMENT = "harassment", "Harassment or threats"
    PLAGIARISM = "plagiarism", "Plagiarism or copied work"
    CONTENT = "content", "Inappropriate content, or a wrong rating or warnings"
    OTHER = "other", "Something else"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"


class AbuseReportQuerySet(models.QuerySet):
    def open(self) -> "AbuseReportQuerySet":
        return self.filter(status=ReportStatus.OPEN)


class AbuseReport(models.Model):
    """Someone (an account, or a guest with an email) tells the admins that a work, a comment
    or an account breaks the archive's rules."""

    kind = models.CharField(max_length=10, choices=ReportKind.choices)
    work = models.ForeignKey(
        Work, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # "work:12", "comment:7", "user:3": what was reported, for finding its other reports (and
    # telling one reporter's second report of it), whatever became of the row.
    target_key = models.CharField(max_length=40)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A guest's address, for the admins to answer; never shown to anyone else.
    reporter_email = models.EmailField(blank=True)
    # "account:<id>" or "email:<address, lowercased>": who reported, for de-duplication.
    reporter_key = models.CharField(max_length=300)
    category = models.CharField(max_length=12, choices=ReportCategory.choices)
    description = models.TextField()  # plain text, shown escaped
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The evidence, as it was when reported.
    snapshot_title = models.CharField(max_length=300, blank=True)
    snapshot_text = models.TextField(blank=True)
    snapshot_url = models.CharField(max_length=300, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = AbuseReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "kind", "created_at"], name="abuse_queue")]
        constraints = [
            # A report's one target: the other two are always empty (its own may become NULL
            # when the object is deleted; the snapshot stays).
            models.CheckConstraint(
                condition=(
                    Q(kind=ReportKind.WORK, comment__isnull=True, reported_user__isnull=True)
                    | Q(kind=ReportKind.COMMENT, work__isnull=True, reported_user__isnull=True)
                    | Q(kind=ReportKind.USER, work__isnull=True, comment__isnull=True)
                ),
                name="abuse_report_one_target",
            ),
            # An account's report keeps no email; a guest's has one.
            models.CheckConstraint(
                condition=Q(reporter__isnull=True) | Q(reporter_email=""),
                name="abuse_report_account_or_email",
            ),
            models.CheckConstraint(
                condition=~Q(description=""), name="abuse_report_has_description"
            ),
            models.CheckConstraint(
                condition=(Q(status=ReportStatus.OPEN) & Q(closed_at__isnull=True))
                | (~Q(status=ReportStatus.OPEN) & Q(closed_at__isnull=False)),
                name="abuse_report_closed_when_not_open",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="abuse_report_status_known"
            ),
            # One open report of one thing by one reporter: a second one adds nothing.
            models.UniqueConstraint(
                fields=["target_key", "reporter_key"],
                condition=Q(status=ReportStatus.OPEN),
                name="one_open_report_per_reporter",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} of {self.target_key}"

    @property
    def is_open(self) -> bool:
        return self.status == ReportStatus.OPEN

    @property
    def target(self):
        """The reported row, or None when it was deleted."""
        return {
            ReportKind.WORK: self.work,
            ReportKind.COMMENT: self.comment,
            ReportKind.USER: self.reported_user,
        }[self.kind]


class ActionKind(models.TextChoices):
    HIDE_WORK = "hide_work", "Hid a work"
    UNHIDE_WORK = "unhide_work", "Unhid a work"
    DELETE_COMMENT = "delete_comment", "Deleted a comment"
    SUSPEND = "suspend", "Suspended an account"
    UNSUSPEND = "unsuspend", "Lifted a suspension"
    BAN = "ban", "Banned an account"
    DISMISS = "dismiss", "Dismissed a report"


class ModerationActionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # Only a deleted target's or admin's foreign key may be cleared (Django's SET_NULL):
        # the log itself is never rewritten.
        if set(kwargs) - {"work", "comment", "account", "admin", "report"} or any(
            value is not None for value in kwargs.values()
        ):
            raise TypeError("The moderation log is append-only.")
        return super().update(**kwargs)

    def delete(self):
        raise TypeError("The moderation log is append-only.")


class ModerationAction(models.Model):
    """One thing an admin did, with who, when and why. Append-only: never edited or deleted
    (its foreign keys go NULL when a target is deleted; `target_label` still names it)."""

    admin = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The admin's user name when they acted, in case the account goes.
    admin_name = models.CharField(max_length=150)
    kind = models.CharField(max_length=16, choices=ActionKind.choices)
    work = models.ForeignKey(
        Work, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target_label = models.CharField(max_length=300)
    reason = models.TextField()
    # A suspension's end.
    until = models.DateTimeField(null=True, blank=True)
    report = models.ForeignKey(
        AbuseReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["work", "-created_at"], name="moderation_of_work"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="moderation_action_has_reason"),
            models.CheckConstraint(
                condition=~Q(kind=ActionKind.SUSPEND) | Q(until__isnull=False),
                name="suspension_has_an_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.admin_name}: {self.get_kind_display()} ({self.target_label})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The moderation log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The moderation log is append-only.")
