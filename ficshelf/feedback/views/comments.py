"""Comments on reading pages (`comment_additions`) and their own pages: a chapter's or the
work's comments a page of threads at a time, a comment's permanent link with its replies, the
reply, edit and delete forms, and posting.

Posting is csrf_exempt and checks CSRF for logged-in requests only (views/csrf.py): guests'
pages are cached whole for every guest and carry no token. Without JavaScript every form is a
plain POST answered by a redirect to the new comment; with htmx a reply or comment is posted in
place and the answer is the new comment's fragment (swapped out of band into its thread) with
the form again.
"""

import functools
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ficshelf.accounts import ratelimits
from ficshelf.userstuff import TextFormat, html_to_text
from ficshelf.works import pagecache, reading
from ficshelf.works.extensions import ReadingAdditions, ReadingSection
from ficshelf.works.models import Work
from ficshelf.works.reading import Instead, Way

from .. import threads
from ..forms import CommentForm, EditCommentForm
from ..models import Comment, CommentStatus
from ..services import comments as service
from ..services.blocking import blocks_feedback
from .csrf import require_csrf_for_accounts

SECTION_TEMPLATE = "feedback/_comments.html"
AWAITING_MESSAGE = "Your comment was sent: it shows once a creator of the work approves it."
POSTED_MESSAGE = "Your comment was posted."
_LOG_IN_REASONS = {service.LOG_IN_TO_COMMENT, service.REGISTERED_ONLY}


# --- Which work and chapter ------------------------------------------------------------------


class Notice(Exception):
    """The viewer must see a notice (log in, adult content) instead of the page."""

    def __init__(self, template: str, status: int, work: Work):
        self.template, self.status, self.work = template, status, work


def with_notices(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Notice as notice:
            return render(request, notice.template, {"work": notice.work}, status=notice.status)

    return wrapper


def readable_work(request, work_id: int, chapter_id: int | None = None, *, consent=None):
    """The work (with its creators) and chapter, if the reading policy lets the viewer open
    them; a 404 or a notice otherwise. `consent` overrides the adult-content consent (a form
    sent from a page means the notice was passed)."""
    work = Work.objects.prefetch_related("creatorships__pseud__user").filter(pk=work_id).first()
    if work is None:
        raise Http404("No such work.")
    chapter = None
    if chapter_id is not None:
        chapter = work.chapters.defer("text", "text_source").filter(pk=chapter_id).first()
        if chapter is None:
            raise Http404("No such chapter.")
    adult = reading.adult_consent(request) if consent is None else consent
    verdict = reading.decide(request.user, work, Way.OPEN, chapter=chapter, adult_consent=adult)
    if verdict.instead == Instead.NOT_FOUND:
        raise Http404("No such work.")
    if verdict.instead == Instead.LOG_IN:
        raise Notice("works/restricted_notice.html", 403, work)
    if verdict.instead == Instead.ADULT_NOTICE:
        raise Notice("works/adult_notice.html", 200, work)
    return work, chapter


def _comment_or_404(comment_id: int) -> Comment:
    comment = Comment.objects.select_related("pseud__user").filter(pk=comment_id).first()
    if comment is None:
        raise Http404("No such comment.")
    return comment


def _viewer(request, work, chapter=None) -> tuple[threads.Viewer, str]:
    why = service.why_not_comment(request.user, work, chapter)
    return threads.Viewer.of(request.user, work, may_comment=not why), why


def _pseuds(user) -> list:
    return list(user.pseuds.all()) if reading.is_reader(user) else []


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 1_000_000))
    except ValueError:
        return 1


# --- URLs --------------------------------------------------------------------------------------


def post_url(work, chapter=None) -> str:
    if chapter is None:
        return reverse("feedback:work_comments", kwargs={"work_id": work.pk})
    return reverse(
        "feedback:chapter_comments", kwargs={"work_id": work.pk, "chapter_id": chapter.pk}
    )


def target_key(work, chapter) -> str:
    """Names a chapter's (or the whole work's) comment list and form in the page's ids."""
    return f"c{chapter.pk}" if chapter is not None else f"w{work.pk}"


def landing_url(comment: Comment) -> str:
    """Where a comment is seen with its context: its parent's page (its own for a thread's
    first comment), at the comment."""
    shown = comment.parent_id or comment.pk
    return reverse("feedback:comment", kwargs={"comment_id": shown}) + f"#comment_{comment.pk}"


def _place_url(work, chapter) -> str:
    return chapter.get_absolute_url() if chapter is not None else work.get_absolute_url()


# --- The reading page's sections ---------------------------------------------------------------


def comment_additions(request, work, chapters, *, full: bool) -> ReadingAdditions:
    """Comments under each chapter shown (and, on the entire work, under the whole work), with
    the form or the reason there is none. A constant number of queries for any number of
    chapters and comments."""
    user = request.user
    reader = reading.is_reader(user)
    blocked = reader and blocks_feedback(work, user)
    why = service.why_not_comment(user, work, None, blocked=blocked)
    viewer = threads.Viewer.of(user, work, may_comment=not why)
    posted_ids = [chapter.pk for chapter in chapters if chapter.posted]
    listed = threads.reading_threads(viewer, work, posted_ids, whole_work=full)
    pseuds = _pseuds(user) if reader and not why else []
    awaiting = 0
    if viewer.creator:
        awaiting = Comment.objects.filter(work=work, status=CommentStatus.AWAITING).count()
    single = len(chapters) == 1 and not full

    def section(chapter, *, first: bool) -> ReadingSection:
        reason = why or ("" if chapter is None or chapter.posted else service.NOT_POSTED)
        shown, more = listed.get(chapter.pk if chapter else None, ([], False))
        key = target_key(work, chapter)
        if chapter is None:
            heading = "Comments on the whole work"
        elif single:
            heading = "Comments"
        else:
            heading = f"Comments on chapter {chapter.position}"
        return ReadingSection(
            SECTION_TEMPLATE,
            {
                "key": key,
                # AO3's id for the comments of a page that shows one chapter.
                "dom_id": "comments_placeholder" if single else f"comments_{key}",
                "heading": heading,
                "count": chapter.comments_count if chapter is not None else None,
                "threads": shown,
                "more_url": f"{post_url(work, chapter)}?page=2" if more else "",
                "all_url": post_url(work),
                "why_not": reason,
                "log_in": not reader and reason in _LOG_IN_REASONS,
                "form": None if reason else _new_form(user, pseuds, key),
                "action": post_url(work, chapter),
                "first": first,
                "critique_welcome": work.critique_welcome,
                "awaiting": awaiting if first else 0,
            },
        )

    additions = ReadingAdditions()
    for number, chapter in enumerate(chapters):
        additions.after_chapter[chapter.pk] = [section(chapter, first=number == 0)]
    if full:
        additions.after_work.append(section(None, first=False))
    return additions


def _new_form(user, pseuds, key: str, **kwargs) -> CommentForm:
    return CommentForm(
        guest=not reading.is_reader(user), pseuds=pseuds, auto_id=f"comment_{key}_%s", **kwargs
    )


# --- Lists of comments, and posting ------------------------------------------------------------


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@with_notices
def chapter_comments(request, work_id: int, chapter_id: int):
    """A chapter's comments, a page of threads at a time; POST: a comment or reply on it."""
    if request.method == "POST":
        require_csrf_for_accounts(request)
        work, chapter = readable_work(request, work_id, chapter_id, consent=True)
        return _post(request, work, chapter)
    work, chapter = readable_work(request, work_id, chapter_id)
    return _list_page(request, work, chapter)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@with_notices
def work_comments(request, work_id: int):
    """Every comment on the work, or only critique (?critique=1); POST: a comment on the whole
    work."""
    if request.method == "POST":
        require_csrf_for_accounts(request)
        work, _ = readable_work(request, work_id, consent=True)
        return _post(request, work, None)
    work, _ = readable_work(request, work_id)
    return _list_page(request, work, None, every_chapter=True)


def _list_page(request, work, chapter, *, every_chapter: bool = False):
    number = _page_number(request)
    critique = request.GET.get("critique") == "1"

    def render_page():
        viewer, why = _viewer(request, work, chapter)
        page, shown = threads.page_of_threads(
            viewer,
            work,
            chapter=chapter,
            every_chapter=every_chapter,
            critique=critique,
            page_number=number,
        )
        key = target_key(work, chapter)
        context = {
            "work": work,
            "chapter": chapter,
            "every_chapter": every_chapter,
            "critique": critique,
            "page": page,
            "threads": shown,
            "why_not": why,
            "form": None if why else _new_form(request.user, _pseuds(request.user), key),
            "action": post_url(work, chapter),
            "key": key,
            "place_url": _place_url(work, chapter),
        }
        return render(request, "feedback/comments.html", context)

    page = pagecache.work_page(request, work, "comments", number, critique)
    return pagecache.serve(request, page, render_page)


def _post(request, work, chapter):
    user = request.user if reading.is_reader(request.user) else None
    refusal = service.why_not_comment(user, work, chapter)
    if refusal:
        raise PermissionDenied(refusal)
    parent_id = request.POST.get("parent_id", "")
    key = f"r{parent_id}" if parent_id.isdigit() else target_key(work, chapter)
    form = CommentForm(
        request.POST, guest=user is None, pseuds=_pseuds(user), auto_id=f"comment_{key}_%s"
    )
    parent = None
    if form.is_valid() and form.cleaned_data["parent_id"]:
        parent = Comment.objects.filter(pk=form.cleaned_data["parent_id"]).first()
        if parent is None:
            form.add_error(None, "The comment you replied to is not there any more.")
    if form.errors:
        return _form_again(request, work, chapter, form, parent, status=400)
    limit = service.comment_limit(user, work)
    if limit is not None:
        decision = ratelimits.hit("comment", ratelimits.actor_for(request), limit)
        if not decision.allowed:
            form.add_error(None, _too_many(limit, decision.retry_after))
            response = _form_again(request, work, chapter, form, parent, status=429)
            response["Retry-After"] = str(decision.retry_after)
            return response
    data = form.cleaned_data
    try:
        comment = service.post_comment(
            work=work,
            chapter=chapter,
            commenter=user,
            text=data["text"],
            text_format=data["text_format"],
            parent=parent,
            is_critique=data["is_critique"],
            guest_name=data.get("guest_name", ""),
            guest_email=data.get("guest_email", ""),
            pseud=data.get("pseud"),
        )
    except ValidationError as error:
        add_errors(form, error)
        return _form_again(request, work, chapter, form, parent, status=400)
    awaiting = comment.status == CommentStatus.AWAITING
    if request.htmx:
        return _posted(request, work, chapter, comment, parent, key)
    messages.add_message(
        request,
        messages.INFO if awaiting else messages.SUCCESS,
        AWAITING_MESSAGE if awaiting else POSTED_MESSAGE,
    )
    if awaiting and user is None:  # a guest cannot see it anywhere yet
        return redirect(_place_url(work, chapter))
    return redirect(landing_url(comment))


def _too_many(limit, retry_after: int) -> str:
    minutes = max(1, round(retry_after / 60))
    wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
    return (
        f"You have posted {limit.count} comments in the last {limit.seconds // 60} minutes, "
        f"as many as the archive takes at once. Please wait {wait} and send it again: "
        "your comment is still here."
    )


def add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: by field where the form has it."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, errors in error.error_dict.items():
        for message in ValidationError(errors).messages:
            form.add_error(name if name in form.fields else None, message)


def form_context(request, work, chapter, form, parent) -> dict:
    return {
        "work": work,
        "chapter": chapter,
        "form": form,
        "parent": parent,
        "action": post_url(work, chapter),
        "key": f"r{parent.pk}" if parent is not None else target_key(work, chapter),
    }


def _form_again(request, work, chapter, form, parent, *, status: int) -> HttpResponse:
    context = form_context(request, work, chapter, form, parent)
    if request.htmx:
        return render(request, "feedback/_comment_form.html", context, status=status)
    if parent is not None:
        viewer, _ = _viewer(request, work, chapter)
        threads.mark(parent, viewer, frozen=False)
    context["place_url"] = _place_url(work, chapter)
    return render(request, "feedback/comment_form.html", context, status=status)


def _posted(request, work, chapter, comment, parent, key: str) -> HttpResponse:
    """htmx's answer: the new comment, swapped into its thread, and the form again (none
    after a reply: its form closes)."""
    viewer = threads.Viewer.of(request.user, work, may_comment=True)
    threads.mark(comment, viewer, frozen=False)
    comment.children, comment.continues = [], False
    awaiting = comment.status == CommentStatus.AWAITING
    context = {
        "comment": comment,
        "work": work,
        "into": f"replies_{parent.pk}" if parent is not None else f"threads_{key}",
        "message": AWAITING_MESSAGE if awaiting else POSTED_MESSAGE,
        "form": None,
    }
    if parent is None:
        context.update(
            form_context(
                request, work, chapter, _new_form(request.user, _pseuds(request.user), key), None
            )
        )
    return HttpResponse(render_to_string("feedback/_comment_posted.html", context, request))


# --- One comment ----------------------------------------------------------------------------


@with_notices
def comment(request, comment_id: int):
    """A comment's permanent link: the comment with its replies (its thread from there)."""
    shown = _comment_or_404(comment_id)
    work, chapter = readable_work(request, shown.work_id, shown.chapter_id)

    def render_thread():
        viewer, _ = _viewer(request, work, chapter)
        visible = Comment.objects.filter(pk=shown.pk).filter(threads.shown_filter(viewer))
        if not visible.exists():
            raise Http404("No such comment.")
        context = {
            "work": work,
            "chapter": chapter,
            "threads": threads.comment_thread(viewer, shown),
            "root": shown,
            "parent_url": landing_url(shown) if shown.parent_id else "",
            "place_url": _place_url(work, chapter),
        }
        return render(request, "feedback/thread.html", context)

    return pagecache.serve(request, pagecache.work_page(request, work, "comment"), render_thread)


@with_notices
def reply(request, comment_id: int):
    """The form to reply to a comment: a page of its own, or (htmx) the form in place."""
    parent = _comment_or_404(comment_id)
    work, chapter = readable_work(request, parent.work_id, parent.chapter_id)
    viewer, why = _viewer(request, work, chapter)
    if not threads.may_see(request.user, parent, work=work):
        raise Http404("No such comment.")
    if why:
        raise PermissionDenied(why)
    frozen = threads.thread_frozen(parent)
    if parent.status != CommentStatus.PUBLISHED or frozen:
        raise PermissionDenied("This comment takes no replies.")
    threads.mark(parent, viewer, frozen=frozen)
    form = _new_form(
        request.user, _pseuds(request.user), f"r{parent.pk}", initial={"parent_id": parent.pk}
    )
    context = form_context(request, work, chapter, form, parent)
    if request.htmx:
        return render(request, "feedback/_comment_form.html", context)
    context["place_url"] = _place_url(work, chapter)
    return render(request, "feedback/comment_form.html", context)


def _editable_text(comment: Comment) -> tuple[str, str]:
    """The comment's text as its commenter edits it, and its format."""
    if comment.text_format == TextFormat.HTML:
        return comment.text, TextFormat.HTML
    text = re.sub(r"</p>\s*", "\n\n", comment.text)
    text = re.sub(r"<br\s*/?>\s*", "\n", text)
    return html_to_text(text).strip(), TextFormat.PLAIN


@login_required
@with_notices
def edit(request, comment_id: int):
    comment = _comment_or_404(comment_id)
    work, chapter = readable_work(request, comment.work_id, comment.chapter_id, consent=True)
    if comment.user_id != request.user.pk:
        raise PermissionDenied("Only the person who wrote a comment can edit it.")
    if request.method == "POST":
        form = EditCommentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                service.edit_comment(
                    comment=comment,
                    editor=request.user,
                    text=data["text"],
                    text_format=data["text_format"],
                    is_critique=data["is_critique"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "Your comment was updated.")
                return redirect(landing_url(comment))
        status = 400
    else:
        text, text_format = _editable_text(comment)
        form = EditCommentForm(
            initial={"text": text, "text_format": text_format, "is_critique": comment.is_critique}
        )
        status = 200
    context = {"work": work, "chapter": chapter, "comment": comment, "form": form}
    return render(request, "feedback/edit_comment.html", context, status=status)


@login_required
@with_notices
def delete(request, comment_id: int):
    comment = _comment_or_404(comment_id)
    work, chapter = readable_work(request, comment.work_id, comment.chapter_id, consent=True)
    if comment.user_id != request.user.pk and not reading.is_creator(request.user, work):
        raise PermissionDenied(
            "Only the person who wrote a comment, or the work's creators, can delete it."
        )
    if request.method == "POST":
        try:
            service.delete_comment(comment=comment, deleter=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The comment was deleted.")
        parent = Comment.objects.filter(pk=comment.parent_id).first() if comment.parent_id else None
        return redirect(landing_url(parent) if parent else _place_url(work, chapter))
    context = {"work": work, "chapter": chapter, "comment": comment}
    return render(request, "feedback/confirm_delete_comment.html", context)
