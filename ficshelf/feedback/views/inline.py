"""Inline comments' pages: a paragraph with its comments and the form to comment on it (the
no-JS way in, and the fragment inline-comments.js opens in place), the comments left on an
earlier version of a chapter, and the reader's setting that hides the markers."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ficshelf.accounts import ratelimits
from ficshelf.userstuff import TextFormat
from ficshelf.userstuff.paragraphs import paragraphs_of
from ficshelf.works import reading
from ficshelf.works.models import Creatorship, Work
from ficshelf.works.reading import Instead, Way

from .. import threads
from ..anchors import QUOTE_MAX, Anchor, collapse
from ..forms import CommentForm
from ..inline import paragraph_url
from ..models import THREAD_DEPTH_SHOWN, AnchorState, Comment, CommentStatus, ReadingSettings
from ..services.comments import comment_limit, post_comment, why_not_comment
from .csrf import require_csrf_for_accounts

TOO_OFTEN = "You have commented a lot in the last few minutes. Please wait a little and try again."


class InlineCommentForm(CommentForm):
    """A comment on a paragraph, or on a passage of it (the quote and where it is), with the
    comment form's own defences (honeypot, fill time, guests' links)."""

    paragraph_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # What the reader selected, and where, as the browser measured it; `quote` is what they
    # kept of it (they may trim it, or, without JS, paste a passage themselves).
    selected_quote = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=QUOTE_MAX, strip=False
    )
    quote_start = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    quote_end = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    quote = forms.CharField(
        label="Passage",
        required=False,
        max_length=QUOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "class": "inline-comment-quote-field"}),
        help_text="Leave it empty to comment on the whole paragraph.",
        error_messages={
            "max_length": f"A quoted passage can be at most {QUOTE_MAX:,} characters long."
        },
    )
    field_order = ["quote", "guest_name", "guest_email", "pseud", "text", "text_format"]

    def __init__(self, *args, paragraph_id: int, guest: bool, **kwargs):
        # Several paragraphs' forms may be open on one chapter page: ids of their own.
        kwargs.setdefault("auto_id", f"id_p{paragraph_id}_%s")
        super().__init__(*args, guest=guest, **kwargs)
        self.expected_paragraph = paragraph_id
        del self.fields["parent_id"]  # a reply to an inline comment is an ordinary reply

    def clean_paragraph_id(self) -> int:
        value = self.cleaned_data["paragraph_id"]
        if value != self.expected_paragraph:
            raise ValidationError("This form is for another paragraph. Please reload the page.")
        return value

    def anchor(self) -> Anchor:
        """The anchor the reader asked for; `place_anchor` checks it against the chapter."""
        data = self.cleaned_data
        quote = collapse(data.get("quote") or "")
        selected = collapse(data.get("selected_quote") or "")
        start, end = data.get("quote_start"), data.get("quote_end")
        if start is None or end is None or not quote:
            return Anchor(data["paragraph_id"], quote)
        if quote == selected:
            return Anchor(data["paragraph_id"], quote, start, end)
        # Trimmed: the part kept is where it was in the selection.
        kept = selected.find(quote) if selected else -1
        if kept < 0:
            return Anchor(data["paragraph_id"], quote)
        return Anchor(data["paragraph_id"], quote, start + kept, start + kept + len(quote))


# --- Who may see what ------------------------------------------------------------------------


class _Notice(Exception):
    def __init__(self, template: str, status: int, work):
        self.template, self.status, self.work = template, status, work


def _reachable(request, work_id: int, chapter_id: int):
    """The work and chapter, if the reading policy lets the viewer open them (a 404, or the
    log-in prompt or adult notice, otherwise); a 404 too when the work takes no inline
    comments."""
    creatorships = Creatorship.objects.select_related("pseud")
    work = (
        Work.objects.filter(pk=work_id)
        .prefetch_related(Prefetch("creatorships", queryset=creatorships))
        .first()
    )
    if work is None:
        raise Http404("No such work.")
    chapter = work.chapters.defer("text_source").filter(pk=chapter_id).first()
    if chapter is None:
        raise Http404("No such chapter.")
    verdict = reading.decide_for_request(request, work, Way.OPEN, chapter=chapter)
    if verdict.instead == Instead.NOT_FOUND:
        raise Http404("No such work.")
    if verdict.instead == Instead.LOG_IN:
        raise _Notice("works/restricted_notice.html", 403, work)
    if verdict.instead == Instead.ADULT_NOTICE:
        raise _Notice("works/adult_notice.html", 200, work)
    if not work.inline_comments:
        raise Http404("This work takes no inline comments.")
    chapter.work = work
    return work, chapter


def _with_notices(view):
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _Notice as notice:
            return render(request, notice.template, {"work": notice.work}, status=notice.status)

    wrapper.__name__, wrapper.__doc__ = view.__name__, view.__doc__
    return wrapper


def _threads(request, work, roots, paragraph=None) -> list[Comment]:
    """The threads started by `roots` (a QuerySet of inline comments) as this viewer sees them
    (feedback.threads: placeholders, awaiting and muted comments), each comment with its
    `children`, its `permalink` and, for an inline comment, what to say of its quote."""
    viewer = threads.Viewer.of(request.user, work)
    shown = threads.visible_comments(viewer, work)
    first = list(shown.filter(pk__in=roots.values("pk")).order_by("created_at", "pk"))
    replies = list(
        shown.filter(
            thread_id__in=[root.pk for root in first],
            depth__gte=1,
            depth__lte=THREAD_DEPTH_SHOWN,
        ).order_by("created_at", "pk")
    )
    for comment in [*first, *replies]:
        comment.permalink = _permalink(comment)
        comment.quote_label = _quote_label(comment, paragraph)
    return threads.threads_of(first, replies, viewer)


def _permalink(comment) -> str | None:
    try:
        return comment.get_absolute_url()
    except NoReverseMatch:  # the comment pages are not installed
        return None


def _quote_label(comment, paragraph) -> str:
    """Why its quote shows: it is on a passage, on an earlier version, or its paragraph no
    longer reads as it did ("" for a whole paragraph as it still begins)."""
    if comment.paragraph_id is None or not comment.quote:
        return ""
    if comment.anchor_state == AnchorState.EARLIER_VERSION:
        return "On an earlier version of the chapter:"
    if comment.quote_start is not None:
        return "On the passage:"
    if paragraph is not None and paragraph.text.startswith(comment.quote):
        return ""
    return "On a passage since edited:"


# --- The paragraph's page ------------------------------------------------------------------


@csrf_exempt  # guests' forms carry no token; accounts are checked (views/csrf.py)
@_with_notices
def paragraph(request, work_id: int, chapter_id: int, paragraph_id: int):
    """One paragraph with its inline comments, and the form to comment on it or a passage."""
    work, chapter = _reachable(request, work_id, chapter_id)
    found = next(
        (p for p in paragraphs_of(chapter.text) if p.id and int(p.id) == paragraph_id), None
    )
    viewer = request.user
    guest = not reading.is_reader(viewer)
    pseuds = list(viewer.pseuds.all()) if not guest else []
    refusal = why_not_comment(viewer, work, chapter)
    form, status, retry_after = None, 200, None
    if request.method == "POST":
        require_csrf_for_accounts(request)
        form = InlineCommentForm(
            request.POST, paragraph_id=paragraph_id, guest=guest, pseuds=pseuds
        )
        status = 400
        if refusal:
            form.add_error(None, refusal)
            status = 403
        elif form.is_valid():
            limit = comment_limit(viewer, work)
            decision = (
                ratelimits.hit("comment", ratelimits.actor_for(request), limit) if limit else None
            )
            if decision is not None and not decision.allowed:
                form.add_error(None, TOO_OFTEN)
                status, retry_after = 429, decision.retry_after
            else:
                comment, status = _post(request, work, chapter, form)
                if comment is not None:
                    return redirect(f"{_here(work, chapter, paragraph_id)}#comment_{comment.pk}")
    elif found is None:
        raise Http404("This paragraph is not in the chapter (it may have been edited).")
    elif not refusal:
        form = InlineCommentForm(
            initial=_prefill(request, paragraph_id),
            paragraph_id=paragraph_id,
            guest=guest,
            pseuds=pseuds,
        )
    roots = Comment.objects.filter(
        chapter=chapter, paragraph_id__isnull=False, current_paragraph_id=paragraph_id
    ).exclude(anchor_state=AnchorState.EARLIER_VERSION)
    context = {
        "work": work,
        "chapter": chapter,
        "paragraph": found,
        "paragraph_id": paragraph_id,
        "threads": _threads(request, work, roots, found),
        "form": form,
        "refusal": refusal,
        "action": _here(work, chapter, paragraph_id),
        "in_place": request.GET.get("in_place") == "1",
    }
    template = "feedback/_inline_thread.html" if context["in_place"] else "feedback/paragraph.html"
    response = render(request, template, context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _here(work, chapter, paragraph_id: int) -> str:
    return paragraph_url(work.pk, chapter.pk, paragraph_id)


def _prefill(request, paragraph_id: int) -> dict:
    """A passage selected on the chapter's page, passed along in the query string."""
    initial = {"paragraph_id": paragraph_id}
    quote = collapse(request.GET.get("quote", ""))[:QUOTE_MAX]
    if quote:
        initial["quote"] = initial["selected_quote"] = quote
        for name in ("start", "end"):
            value = request.GET.get(name, "")
            if value.isdigit():
                initial[f"quote_{name}"] = int(value)
    return initial


def _post(request, work, chapter, form: InlineCommentForm) -> tuple[Comment | None, int]:
    """Post through the comments service; its refusals go on the form (None, and the
    status to answer with)."""
    data = form.cleaned_data
    try:
        comment = post_comment(
            work=work,
            chapter=chapter,
            commenter=request.user,
            text=data["text"],
            text_format=data.get("text_format") or TextFormat.PLAIN,
            is_critique=data.get("is_critique", False),
            guest_name=data.get("guest_name", ""),
            guest_email=data.get("guest_email", ""),
            anchor=form.anchor(),
            pseud=data.get("pseud"),
        )
    except PermissionDenied as refusal:
        form.add_error(None, str(refusal))
        return None, 403
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
        return None, 400
    if comment.status == CommentStatus.AWAITING:
        messages.info(request, "Your comment was sent: it shows once a creator approves it.")
    else:
        messages.success(request, "Your comment was posted.")
    return comment, 302


@_with_notices
def earlier(request, work_id: int, chapter_id: int):
    """The inline comments whose passage is no longer in the chapter, with their quotes."""
    work, chapter = _reachable(request, work_id, chapter_id)
    roots = Comment.objects.filter(
        chapter=chapter, paragraph_id__isnull=False, anchor_state=AnchorState.EARLIER_VERSION
    )
    context = {"work": work, "chapter": chapter, "threads": _threads(request, work, roots)}
    return render(request, "feedback/inline_earlier.html", context)


# --- The reader's setting --------------------------------------------------------------------


class ReadingSettingsForm(forms.Form):
    show_inline_markers = forms.BooleanField(
        label="Show inline comment markers beside paragraphs", required=False
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


@login_required
@require_POST
def reading_settings(request):
    """Show or hide the inline-comment markers on every chapter this reader opens (their pages
    are never shared from the page cache, so nothing else moves)."""
    form = ReadingSettingsForm(request.POST)
    form.is_valid()  # both fields are optional: a missing checkbox means "hide"
    shown = form.cleaned_data.get("show_inline_markers", False)
    ReadingSettings.objects.update_or_create(
        user=request.user, defaults={"show_inline_markers": shown}
    )
    messages.success(request, f"Inline comment markers are {'shown' if shown else 'hidden'}.")
    target = form.cleaned_data.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return redirect(target)
