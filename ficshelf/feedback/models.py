"""Readers answering back: comments (threaded, inline on a passage), kudos, and the blocks,
mutes and reports that keep it safe."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ficshelf.accounts.models import Pseud
from ficshelf.userstuff import TextFormat
from ficshelf.userstuff.fields import SanitizedHTMLField
from ficshelf.works.models import Chapter, Work

COMMENT_MAX = 10_000  # characters of what the commenter typed
# Threads show replies this deep on the chapter's page; deeper ones continue on their own page.
THREAD_DEPTH_SHOWN = 5
# As AO3: how many accounts one may block, mute, or works one may hide.
BLOCKS_MAX = MUTES_MAX = HIDDEN_WORKS_MAX = 2_000


class CommentStatus(models.TextChoices):
    PUBLISHED = "published", "Published"
    # Waiting for a creator's approval, on a work whose comments are moderated.
    AWAITING = "awaiting", "Awaiting approval"
    # Hidden by a moderator after a report: its creators and the commenter still see it.
    HIDDEN = "hidden", "Hidden by a moderator"
    # Deleted with replies under it: kept as a "deleted comment" placeholder in the thread.
    DELETED = "deleted", "Deleted"


class AnchorState(models.TextChoices):
    """Where an inline comment stands after its chapter was edited."""

    ON_PARAGRAPH = "paragraph", "On its paragraph"
    # Its paragraph is gone, but the quoted passage was found in another one.
    MOVED = "moved", "Moved with its quote"
    # Neither its paragraph nor its quote is in the chapter any more.
    EARLIER_VERSION = "earlier", "On an earlier version"


class CommentQuerySet(models.QuerySet):
    def published(self) -> "CommentQuerySet":
        return self.filter(status=CommentStatus.PUBLISHED)

    def inline(self) -> "CommentQuerySet":
        return self.filter(paragraph_id__isnull=False)

    def threads(self) -> "CommentQuerySet":
        return self.filter(parent__isnull=True)


class Comment(models.Model):
    """A comment on a chapter (or on the whole work when `chapter` is None), a reply to another
    comment (`parent`), or an inline comment on a passage of a chapter (`paragraph_id` set).

    A comment is by an account (`user`, shown as `pseud`) or by a guest (`guest_name`, with an
    email that is never shown)."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="comments")
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    # A reply's parent; a thread's first comment has none. The services never delete a row
    # that has replies: it stays as a "deleted comment" placeholder (status DELETED).
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    # The first comment of the thread (itself for a thread's first comment, set after insert).
    thread = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="thread_comments"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    pseud = models.ForeignKey(
        Pseud, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    guest_name = models.CharField(max_length=100, blank=True)
    guest_email = models.EmailField(blank=True)
    text = SanitizedHTMLField(version_field="text_sanitizer_version")
    text_format = models.CharField(
        max_length=10, choices=TextFormat.choices, default=TextFormat.PLAIN
    )
    text_sanitizer_version = models.PositiveSmallIntegerField(default=0, editable=False)
    is_critique = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.PUBLISHED
    )
    # No new replies in this thread (set on a thread's first comment).
    frozen = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # --- Inline comments: the passage they are on -------------------------------------------
    # The paragraph's data-p id when the comment was made, and where it is now.
    paragraph_id = models.PositiveIntegerField(null=True, blank=True)
    current_paragraph_id = models.PositiveIntegerField(null=True, blank=True)
    # The quoted passage and its character offsets in the paragraph's text (None: the whole
    # paragraph).
    quote = models.TextField(blank=True)
    quote_start = models.PositiveIntegerField(null=True, blank=True)
    quote_end = models.PositiveIntegerField(null=True, blank=True)
    # The chapter revision the anchor was last placed against.
    anchored_revision = models.PositiveIntegerField(null=True, blank=True)
    anchor_state = models.CharField(
        max_length=10, choices=AnchorState.choices, blank=True, default=""
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["work", "chapter", "status"], name="comment_on_chapter"),
            models.Index(fields=["thread", "created_at"], name="comment_in_thread"),
            models.Index(fields=["user", "created_at"], name="comment_by_user"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True) | Q(guest_name=""),
                name="comment_by_account_or_guest",
            ),
            models.CheckConstraint(
                condition=Q(paragraph_id__isnull=True) | Q(chapter__isnull=False),
                name="inline_comment_on_a_chapter",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.work_id}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:comment", kwargs={"comment_id": self.pk})

    @property
    def is_inline(self) -> bool:
        return self.paragraph_id is not None

    @property
    def is_deleted(self) -> bool:
        return self.status == CommentStatus.DELETED

    @property
    def by_guest(self) -> bool:
        return self.user_id is None and bool(self.guest_name)

    @property
    def commenter_name(self) -> str:
        if self.pseud_id is not None:
            return str(self.pseud)
        return self.guest_name or "Orphaned account"


class Kudos(models.Model):
    """ "Left kudos": on the work (`chapter` None) or on one chapter, once per account or per
    guest (`guest_key`: a salted hash of the guest's IP and session, never the IP itself)."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="kudos")
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, null=True, blank=True, related_name="kudos"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="kudos",
    )
    guest_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "kudos"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(guest_key=""))
                | (Q(user__isnull=True) & ~Q(guest_key="")),
                name="kudos_by_account_or_guest",
            ),
            models.UniqueConstraint(
                fields=["work", "user"],
                condition=Q(chapter__isnull=True, user__isnull=False),
                name="one_work_kudos_per_account",
            ),
            models.UniqueConstraint(
                fields=["chapter", "user"],
                condition=Q(chapter__isnull=False, user__isnull=False),
                name="one_chapter_kudos_per_account",
            ),
            models.UniqueConstraint(
                fields=["work", "guest_key"],
                condition=Q(chapter__isnull=True) & ~Q(guest_key=""),
                name="one_work_kudos_per_guest",
            ),
            models.UniqueConstraint(
                fields=["chapter", "guest_key"],
                condition=Q(chapter__isnull=False) & ~Q(guest_key=""),
                name="one_chapter_kudos_per_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"Kudos on {self.work_id}"


class Block(models.Model):
    """`blocker` blocked `blocked`: no comments, replies or kudos from them on the blocker's
    works, and no comment forms for them there."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocked_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="unique_block"),
            models.CheckConstraint(
                condition=~Q(blocker=models.F("blocked")), name="no_blocking_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Mute(models.Model):
    """`muter` muted `muted`: their comments (and works, in lists) are hidden from the muter."""

    muter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes"
    )
    muted = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="unique_mute"),
            models.CheckConstraint(condition=~Q(muter=models.F("muted")), name="no_muting_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.muter_id} mutes {self.muted_id}"


class HiddenWork(models.Model):
    """A work a reader never wants to see in a list again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hidden_works"
    )
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="unique_hidden_work"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} hides {self.work_id}"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    HIDDEN = "hidden", "Comment hidden"
    DELETED = "deleted", "Comment deleted"
    DISMISSED = "dismissed", "Dismissed"


class CommentReport(models.Model):
    """ "Report this comment": waits in the moderators' queue until one of them acts on it."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField()
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Who acted on it, when, and why: the log moderators answer to.
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="report_queue")]

    def __str__(self) -> str:
        return f"Report {self.pk} on comment {self.comment_id}"


class ReadingSettings(models.Model):
    """A reader's choices about how chapters show feedback (guests always see the defaults)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_settings"
    )
    # The markers and links beside each paragraph for inline comments.
    show_inline_markers = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "reading settings"

    def __str__(self) -> str:
        return f"Reading settings of {self.user_id}"
