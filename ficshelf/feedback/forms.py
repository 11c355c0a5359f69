"""Forms of the feedback pages: every 400-type error about a comment or a report is found here.

The comment form carries two spam defences besides the rate limit (views): a honeypot field
that people never see (hidden by feedback.css, labelled "leave this empty" for anyone whose
browser shows it anyway) and the time the form was rendered, signed, so a form sent back within
MIN_FILL_SECONDS is refused. A guest's form is on a page cached for every guest, so its time is
that page's render time: for guests the fill-time check only catches forms sent back sooner
than that, and the honeypot, link limit and rate limit do the rest.
"""

import re
import time

from django import forms
from django.core import signing

from ficshelf.userstuff import TextFormat

from .models import COMMENT_MAX, ReportStatus
from .services.comments import REPORT_REASON_MAX, typed_length

MIN_FILL_SECONDS = 3
# A stamp older than this is refused too: a captured form is not reusable for ever.
MAX_FORM_AGE_SECONDS = 7 * 24 * 60 * 60
GUEST_LINKS_MAX = 2
STAMP_SALT = "ficshelf.feedback.comment-form"
HONEYPOT = "subject"

# The comment formats offered: plain text with paragraphs, or the chapters' limited HTML.
COMMENT_FORMATS = [
    (TextFormat.PLAIN.value, "Plain text"),
    (TextFormat.HTML.value, "Rich text (HTML)"),
]
_LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"']*", re.IGNORECASE)

SPAM_MESSAGE = "This comment looks like it was sent by a program, so it was not posted."
TOO_FAST_MESSAGE = (
    "That was very quick! Please wait a few seconds, read your comment over and send it again."
)
STALE_MESSAGE = (
    "This form is out of date. Please copy your comment, reload the page and send it again."
)


def form_stamp(now: float | None = None) -> str:
    """The signed time a comment form is rendered at."""
    return signing.dumps(int(time.time() if now is None else now), salt=STAMP_SALT)


def links_in(text: str) -> int:
    """How many different links (web addresses) the text holds."""
    return len({match.group(0).rstrip(".,;:!?)").lower() for match in _LINK.finditer(text)})


class CommentTextMixin:
    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError("Please write something in your comment.")
        length = typed_length(text)
        if length > COMMENT_MAX:
            raise forms.ValidationError(
                f"Your comment is {length:,} characters long; a comment can be at most "
                f"{COMMENT_MAX:,}. Please shorten it (or split it into replies)."
            )
        return text


def _text_field() -> forms.CharField:
    return forms.CharField(
        label="Comment",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": COMMENT_MAX}),
        error_messages={"required": "Please write something in your comment."},
    )


def _format_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Written as", choices=COMMENT_FORMATS, initial=TextFormat.PLAIN.value
    )


class CommentForm(CommentTextMixin, forms.Form):
    """A new comment or a reply. `guest` adds the name and email fields; `pseuds`, when an
    account has more than one, lets them choose which to comment as."""

    text = _text_field()
    text_format = _format_field()
    is_critique = forms.BooleanField(
        label="Mark as critique",
        required=False,
        help_text="Suggestions on the writing, for authors who asked for concrit.",
    )
    parent_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    guest_name = forms.CharField(
        label="Name",
        max_length=100,
        error_messages={"required": "Please give a name to show with your comment."},
    )
    guest_email = forms.EmailField(
        label="Email",
        help_text="Never shown.",
        error_messages={
            "required": "Please give your email address (it is never shown).",
            "invalid": "Please give a valid email address.",
        },
    )
    pseud = forms.ChoiceField(label="Comment as")
    # The honeypot: people never see it (feedback.css), programs fill it in.
    subject = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    rendered = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, guest: bool, pseuds=(), now: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.guest = guest
        self.now = now
        if not guest:
            del self.fields["guest_name"]
            del self.fields["guest_email"]
        self.pseuds = {str(pseud.pk): pseud for pseud in pseuds}
        if len(self.pseuds) > 1:
            self.fields["pseud"].choices = [(key, str(p)) for key, p in self.pseuds.items()]
            default = next((p for p in pseuds if p.is_default), None)
            self.fields["pseud"].initial = str(default.pk) if default else None
        else:
            del self.fields["pseud"]
        # The stamp the form is rendered with (templates write the hidden field from it): a
        # form shown again keeps its own, unless that one is no good.
        self.stamp = self.data.get("rendered", "") if self.is_bound else form_stamp(now)

    def clean_guest_name(self) -> str:
        name = self.cleaned_data["guest_name"].strip()
        if not name:
            raise forms.ValidationError("Please give a name to show with your comment.")
        return name

    def clean_pseud(self):
        return self.pseuds[self.cleaned_data["pseud"]]

    def clean(self):
        cleaned = super().clean()
        if self.data.get(HONEYPOT):
            raise forms.ValidationError(SPAM_MESSAGE, code="spam")
        self._check_fill_time(self.data.get("rendered", ""))
        text = cleaned.get("text") or ""
        if self.guest and links_in(text) > GUEST_LINKS_MAX:
            self.add_error(
                "text",
                f"Comments from guests can hold at most {GUEST_LINKS_MAX} links. "
                "Log in to share more.",
            )
        return cleaned

    def _check_fill_time(self, stamp: str) -> None:
        try:
            rendered_at = signing.loads(stamp, salt=STAMP_SALT, max_age=MAX_FORM_AGE_SECONDS)
        except signing.BadSignature:  # also an expired or missing stamp
            self.stamp = form_stamp(self.now)
            raise forms.ValidationError(STALE_MESSAGE, code="stale") from None
        now = time.time() if self.now is None else self.now
        if not isinstance(rendered_at, int) or now - rendered_at > MAX_FORM_AGE_SECONDS:
            self.stamp = form_stamp(self.now)
            raise forms.ValidationError(STALE_MESSAGE, code="stale")
        if now - rendered_at < MIN_FILL_SECONDS:
            raise forms.ValidationError(TOO_FAST_MESSAGE, code="too_fast")


class EditCommentForm(CommentTextMixin, forms.Form):
    text = _text_field()
    text_format = _format_field()
    is_critique = forms.BooleanField(label="Mark as critique", required=False)


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="What is wrong with this comment?",
        max_length=REPORT_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Please tell the moderators what is wrong with it.",
            "max_length": f"Please keep it under {REPORT_REASON_MAX:,} characters.",
        },
    )


class ResolveReportForm(forms.Form):
    ACTIONS = [
        (ReportStatus.HIDDEN.value, "Hide the comment"),
        (ReportStatus.DELETED.value, "Delete the comment"),
        (ReportStatus.DISMISSED.value, "Dismiss the report"),
    ]
    action = forms.ChoiceField(
        label="Action",
        choices=ACTIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose what to do."},
    )
    note = forms.CharField(
        label="Why (kept in the report's log)",
        max_length=REPORT_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Please say why, for the log."},
    )
