"""Which comments a viewer sees, and in what shape: threads to THREAD_DEPTH_SHOWN levels (the
deepest shown comment links on to its own page when it has replies), a page of threads at a
time, in a constant number of queries however many comments there are.

Everyone sees published comments. A comment awaiting approval is seen by the work's creators
(with approve and reject buttons) and by its commenter, marked; one a moderator hid, by the
creators and the commenter, marked. To anyone else a hidden or deleted comment, or one by an
account the viewer muted, is a placeholder, kept only when it has replies to hold together.
Callers have asked the reading policy first: these functions assume the viewer may open the
work.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from ficshelf.works import reading
from ficshelf.works.reading import Way

from .models import THREAD_DEPTH_SHOWN, Comment, CommentStatus
from .services.blocking import muted_user_ids

THREADS_PER_PAGE = 20

# What a comment is shown as (`comment.shown_as`).
SHOWN = "comment"
DELETED = "deleted"
HIDDEN = "hidden"
MUTED = "muted"


@dataclass(frozen=True)
class Viewer:
    """Who is looking at a work's comments, read once per page."""

    user: Any  # an account, or None for a guest
    creator: bool = False
    muted: frozenset = frozenset()
    # Whether they may comment here at all (replies too).
    may_comment: bool = False

    @classmethod
    def of(cls, user, work, *, may_comment: bool = False) -> "Viewer":
        if not reading.is_reader(user):
            return cls(None, may_comment=may_comment)
        return cls(
            user,
            creator=reading.is_creator(user, work),
            muted=frozenset(muted_user_ids(user)),
            may_comment=may_comment,
        )


def shown_filter(viewer: Viewer) -> Q:
    """The comments' statuses this viewer may see in any form."""
    shown = Q(status__in=[CommentStatus.PUBLISHED, CommentStatus.DELETED, CommentStatus.HIDDEN])
    if viewer.creator:
        return shown | Q(status=CommentStatus.AWAITING)
    if viewer.user is not None:
        return shown | Q(status=CommentStatus.AWAITING, user=viewer.user)
    return shown


def visible_comments(viewer: Viewer, work) -> QuerySet:
    """The comments of `work` this viewer sees, in any form, with their commenters' names."""
    return (
        Comment.objects.filter(work=work).filter(shown_filter(viewer)).select_related("pseud__user")
    )


def mark(comment: Comment, viewer: Viewer, *, frozen: bool) -> Comment:
    """Set what the templates read: how the comment shows and what this viewer may do."""
    own = viewer.user is not None and comment.user_id == viewer.user.pk
    if comment.status == CommentStatus.DELETED:
        shown_as = DELETED
    elif comment.user_id is not None and comment.user_id in viewer.muted and not own:
        shown_as = MUTED
    elif comment.status == CommentStatus.HIDDEN and not (own or viewer.creator):
        shown_as = HIDDEN
    else:
        shown_as = SHOWN
    visible = shown_as == SHOWN
    comment.shown_as = shown_as
    comment.is_own = own
    comment.thread_frozen = frozen
    comment.awaiting = comment.status == CommentStatus.AWAITING
    comment.hidden = comment.status == CommentStatus.HIDDEN
    comment.may_edit = visible and own and comment.status != CommentStatus.HIDDEN
    comment.may_delete = visible and (own or viewer.creator)
    comment.may_approve = visible and viewer.creator and comment.awaiting
    comment.may_reply = (
        visible and comment.status == CommentStatus.PUBLISHED and viewer.may_comment and not frozen
    )
    comment.may_freeze = viewer.creator and comment.parent_id is None
    comment.may_report = visible and viewer.user is not None and not own
    return comment


def threads_of(roots: list[Comment], descendants: list[Comment], viewer: Viewer) -> list[Comment]:
    """`roots` with their replies from `descendants` as `children`, to THREAD_DEPTH_SHOWN
    levels; `continues` marks a comment whose deeper replies are on its own page. Placeholders
    with nothing under them are left out."""
    children: dict[int, list[Comment]] = defaultdict(list)
    for comment in descendants:
        children[comment.parent_id].append(comment)
    shown = []
    for root in roots:
        frozen = getattr(root, "thread_frozen", None)
        frozen = root.frozen if frozen is None else frozen
        if _attach(root, children, viewer, 0, frozen):
            shown.append(root)
    return shown


def _attach(node: Comment, children, viewer: Viewer, level: int, frozen: bool) -> bool:
    mark(node, viewer, frozen=frozen)
    replies = children.get(node.pk, [])
    if level + 1 >= THREAD_DEPTH_SHOWN:
        node.children, node.continues = [], bool(replies)
    else:
        node.children = [r for r in replies if _attach(r, children, viewer, level + 1, frozen)]
        node.continues = False
    return node.shown_as == SHOWN or bool(node.children) or node.continues


def _descendants(viewer: Viewer, work, thread_ids: list[int]) -> list[Comment]:
    if not thread_ids:
        return []
    return list(
        visible_comments(viewer, work).filter(
            thread_id__in=thread_ids, depth__gte=1, depth__lte=THREAD_DEPTH_SHOWN
        )
    )


def _roots(viewer: Viewer, work) -> QuerySet:
    return visible_comments(viewer, work).filter(parent__isnull=True)


def reading_threads(
    viewer: Viewer, work, chapter_ids: list[int], *, whole_work: bool
) -> dict[int | None, tuple[list[Comment], bool]]:
    """The first page of threads under each of these chapters (and under the whole work, key
    None), and whether more follow, in two queries. Inline comments are shown beside their
    paragraphs instead."""
    if len(chapter_ids) == 1 and not whole_work:
        # One chapter's page (the common case): the same rows by a plain slice in the roots'
        # own order (created_at, pk), whose query costs a third of the ranked one to build.
        ranked = _roots(viewer, work).filter(chapter_id=chapter_ids[0], paragraph_id__isnull=True)[
            : THREADS_PER_PAGE + 1
        ]
    else:
        target = Q(chapter_id__in=chapter_ids)
        if whole_work:
            target |= Q(chapter__isnull=True)
        ranked = (
            _roots(viewer, work)
            .filter(target, paragraph_id__isnull=True)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("chapter_id")],
                    order_by=[F("created_at").asc(), F("pk").asc()],
                )
            )
            .filter(rank__lte=THREADS_PER_PAGE + 1)
        )
    by_target: dict[int | None, list[Comment]] = defaultdict(list)
    for root in ranked:
        by_target[root.chapter_id].append(root)
    first_pages = {key: roots[:THREADS_PER_PAGE] for key, roots in by_target.items()}
    shown_ids = [root.pk for roots in first_pages.values() for root in roots]
    descendants = _descendants(viewer, work, shown_ids)
    keys = [*chapter_ids, *([None] if whole_work else [])]
    return {
        key: (
            threads_of(first_pages.get(key, []), descendants, viewer),
            len(by_target.get(key, [])) > THREADS_PER_PAGE,
        )
        for key in keys
    }


def page_of_threads(
    viewer: Viewer,
    work,
    *,
    chapter=None,
    every_chapter: bool = False,
    critique: bool = False,
    page_number=1,
) -> tuple[Page, list[Comment]]:
    """A page of threads: on `chapter` (None: on the whole work), or on every chapter and the
    whole work, inline ones included; `critique` keeps those marked as critique."""
    roots = _roots(viewer, work)
    if every_chapter:
        roots = roots.select_related("chapter").defer("chapter__text", "chapter__text_source")
    else:
        roots = roots.filter(chapter=chapter, paragraph_id__isnull=True)
    if critique:
        roots = roots.filter(is_critique=True)
    page = Paginator(roots, THREADS_PER_PAGE).get_page(page_number)
    shown = list(page.object_list)
    descendants = _descendants(viewer, work, [root.pk for root in shown])
    return page, threads_of(shown, descendants, viewer)


def thread_frozen(comment: Comment) -> bool:
    """Whether the thread `comment` is in takes no new replies."""
    if comment.thread_id in (None, comment.pk):
        return comment.frozen
    thread = Comment.objects.filter(pk=comment.thread_id).values_list("frozen", flat=True)
    return bool(thread.first())


def comment_thread(viewer: Viewer, comment: Comment) -> list[Comment]:
    """`comment` with its replies, as its own page shows it (a list of one, or empty)."""
    descendants = list(
        visible_comments(viewer, comment.work_id).filter(
            thread_id=comment.thread_id,
            depth__gt=comment.depth,
            depth__lte=comment.depth + THREAD_DEPTH_SHOWN,
        )
    )
    comment.thread_frozen = thread_frozen(comment)
    threads = threads_of([comment], descendants, viewer)
    if not threads:  # a placeholder with nothing under it: still its own page
        mark(comment, viewer, frozen=comment.thread_frozen)
        comment.children, comment.continues = [], False
        threads = [comment]
    return threads


def may_see(user, comment: Comment, *, work, placeholders: bool = False) -> bool:
    """Whether `user` may see `comment` (its text; with `placeholders`, also as a placeholder):
    the reading policy lets them open its work and chapter, and its status shows to them."""
    if not reading.may(user, work, Way.OPEN, chapter=comment.chapter):
        return False
    viewer = Viewer.of(user, work)
    if not Comment.objects.filter(pk=comment.pk).filter(shown_filter(viewer)).exists():
        return False
    mark(comment, viewer, frozen=False)
    return placeholders or comment.shown_as == SHOWN
