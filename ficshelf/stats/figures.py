"""The author's figures: per chapter hits, readers, kudos and comments, the retention funnel,
and the response since the last chapter ("Should I continue?").

A reader is an account (for all time) or a guest on one day (their daily hash): a guest who
comes back tomorrow is a new reader, so for guests "reached chapter 3" means on the same day,
and "came back after an update" is known for accounts only. Only counts leave this module.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count

from ficshelf.feedback.models import Comment, CommentStatus, Kudos
from ficshelf.inbox.models import Subscription, SubscriptionKind
from ficshelf.userstuff.paragraphs import paragraphs_of
from ficshelf.works import reading
from ficshelf.works.models import Chapter, Work

from .models import ChapterRead, Hit
from .positions import last_positions

# "Came back": opened the new chapter within this long after it was posted.
RETURN_WINDOW = timedelta(days=7)
TOP_PARAGRAPHS = 5
RECENT_COMMENTS = 3
# Other works whose chapter-to-chapter retention makes the author's average.
AVERAGE_OVER_WORKS = 10


def may_see(viewer, work: Work) -> bool:
    """Only the work's creators and staff see its figures (anyone else gets a 404)."""
    return reading.is_reader(viewer) and (viewer.is_staff or reading.is_creator(viewer, work))


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class ChapterFigures:
    chapter: Chapter
    hits: int = 0
    readers: int = 0
    kudos: int = 0
    comments: int = 0
    inline_comments: int = 0
    # Of chapter 1's readers, how many opened this chapter.
    reached: int = 0
    reached_share: float | None = None
    # Of the previous chapter's readers, how many opened this one.
    from_previous: int | None = None
    from_previous_share: float | None = None
    # Accounts that had read an earlier chapter and opened this one within a week of its
    # posting (None for the first chapter).
    returned: int | None = None
    # Readers whose furthest chapter is this one.
    stopped: int = 0


@dataclass
class Paragraph:
    chapter: Chapter
    number: int | None  # 1-based place in the chapter; None when the paragraph is gone
    opening: str
    comments: int


@dataclass
class Response:
    """What readers did since `chapter`, the latest posted chapter, was posted."""

    chapter: Chapter
    since: datetime
    readers: int
    previous: Chapter | None
    retention: float | None  # of the previous chapter's readers, the share who opened this
    average: float | None  # the author's average chapter-to-chapter retention before it
    kudos: int
    comments: int
    critique: int
    recent: list = field(default_factory=list)


@dataclass
class WorkFigures:
    work: Work
    chapters: list[ChapterFigures]
    hits: int
    readers: int
    account_readers: int
    work_kudos: int
    chapter_kudos: int
    comments: int
    inline_comments: int
    paragraphs: list[Paragraph]
    response: Response | None
    subscribers: int  # accounts subscribed to the work (new chapters)
    # Where logged-in readers' last reading positions fall (stats.positions).
    positions: list = field(default_factory=list)


def _posted_chapters(work: Work) -> list[Chapter]:
    if not work.posted:
        return []
    return list(
        work.chapters.filter(posted=True)
        .order_by("position")
        .only("id", "work_id", "position", "title", "posted", "published_at")
    )


def _readers(work: Work) -> tuple[dict, dict]:
    """Each reader's chapters: {("u", id) or ("g", day, hash): {chapter ids}}; and accounts'
    first opening of each chapter: {(user id, chapter id): first_at}."""
    readers: dict[tuple, set[int]] = defaultdict(set)
    first_at = {}
    for user_id, chapter_id, first in ChapterRead.objects.filter(work=work).values_list(
        "user_id", "chapter_id", "first_at"
    ):
        readers["u", user_id].add(chapter_id)
        first_at[user_id, chapter_id] = first
    for chapter_id, day, reader in Hit.objects.filter(work=work, is_guest=True).values_list(
        "chapter_id", "day", "reader"
    ):
        readers["g", day, reader].add(chapter_id)
    return readers, first_at


def _steps(chapters: list[Chapter], readers: dict) -> list[float | None]:
    """For each chapter after the first, the share of the previous chapter's readers who
    opened it."""
    steps = []
    for previous, chapter in zip(chapters, chapters[1:], strict=False):
        had = [chapters for chapters in readers.values() if previous.pk in chapters]
        steps.append(share(sum(chapter.pk in read for read in had), len(had)))
    return steps


def _funnel(chapters: list[Chapter], readers: dict, first_at: dict) -> list[ChapterFigures]:
    rows = [ChapterFigures(chapter) for chapter in chapters]
    if not chapters:
        return rows
    place = {chapter.pk: index for index, chapter in enumerate(chapters)}
    first = chapters[0].pk
    opened = Counter(chapter_id for read in readers.values() for chapter_id in read)
    furthest = Counter(
        max(place[chapter_id] for chapter_id in read if chapter_id in place)
        for read in readers.values()
        if any(chapter_id in place for chapter_id in read)
    )
    starters = [read for read in readers.values() if first in read]
    steps = _steps(chapters, readers)
    for index, row in enumerate(rows):
        chapter_id = row.chapter.pk
        row.readers = opened[chapter_id]
        row.reached = sum(chapter_id in read for read in starters)
        row.reached_share = share(row.reached, len(starters))
        row.stopped = furthest[index]
        if index == 0:
            continue
        previous = chapters[index - 1].pk
        row.from_previous = sum(
            previous in read and chapter_id in read for read in readers.values()
        )
        row.from_previous_share = steps[index - 1]
        row.returned = _returned(row.chapter, chapters[:index], first_at)
    return rows


def _returned(chapter: Chapter, earlier: list[Chapter], first_at: dict) -> int:
    posted = chapter.published_at
    earlier_ids = {c.pk for c in earlier}
    read_before = {
        user
        for (user, chapter_id), at in first_at.items()
        if chapter_id in earlier_ids and at < posted
    }
    return sum(
        1
        for (user, chapter_id), at in first_at.items()
        if chapter_id == chapter.pk
        and user in read_before
        and posted <= at <= posted + RETURN_WINDOW
    )


def work_figures(work: Work) -> WorkFigures:
    """Everything the work's dashboard shows."""
    chapters = _posted_chapters(work)
    readers, first_at = _readers(work)
    rows = _funnel(chapters, readers, first_at)
    by_chapter = {row.chapter.pk: row for row in rows}
    for chapter_id, hits in (
        Hit.objects.filter(work=work).values_list("chapter_id").annotate(n=Count("pk"))
    ):
        if chapter_id in by_chapter:
            by_chapter[chapter_id].hits = hits
    kudos = dict(Kudos.objects.filter(work=work).values_list("chapter_id").annotate(n=Count("pk")))
    for chapter_id, row in by_chapter.items():
        row.kudos = kudos.get(chapter_id, 0)
    published = Comment.objects.filter(work=work, status=CommentStatus.PUBLISHED)
    for inline in (False, True):
        counts = published.filter(paragraph_id__isnull=not inline)
        for chapter_id, count in counts.values_list("chapter_id").annotate(n=Count("pk")):
            if (row := by_chapter.get(chapter_id)) is not None:
                setattr(row, "inline_comments" if inline else "comments", count)
    return WorkFigures(
        work=work,
        chapters=rows,
        hits=sum(row.hits for row in rows),
        readers=len(readers),
        account_readers=sum(1 for key in readers if key[0] == "u"),
        work_kudos=kudos.get(None, 0),
        chapter_kudos=sum(row.kudos for row in rows),
        comments=published.filter(paragraph_id__isnull=True).count(),
        inline_comments=published.filter(paragraph_id__isnull=False).count(),
        paragraphs=_top_paragraphs(work, published),
        response=_response(work, chapters, readers),
        subscribers=Subscription.objects.filter(kind=SubscriptionKind.WORK, work=work).count(),
        positions=last_positions(work, chapters),
    )


def _top_paragraphs(work: Work, published) -> list[Paragraph]:
    """The paragraphs that drew the most inline comments, where they are now."""
    top = list(
        published.filter(current_paragraph_id__isnull=False)
        .values_list("chapter_id", "current_paragraph_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "chapter_id", "current_paragraph_id")[:TOP_PARAGRAPHS]
    )
    chapters = Chapter.objects.in_bulk({chapter_id for chapter_id, _, _ in top})
    shown = []
    for chapter_id, paragraph_id, count in top:
        chapter = chapters.get(chapter_id)
        if chapter is None:
            continue
        found = next((p for p in paragraphs_of(chapter.text) if p.id == str(paragraph_id)), None)
        opening = " ".join(found.text.split()[:12]) if found else ""
        number = found.position + 1 if found else None
        shown.append(Paragraph(chapter, number, opening, count))
    return shown


def _response(work: Work, chapters: list[Chapter], readers: dict) -> Response | None:
    if not chapters:
        return None
    latest = chapters[-1]
    since = latest.published_at
    steps = _steps(chapters, readers)
    earlier = [step for step in steps[:-1] if step is not None]
    if not earlier:
        earlier = _other_works_steps(work)
    # Readers' comments: the creators' own replies are not a response.
    comments = Comment.objects.filter(work=work, status=CommentStatus.PUBLISHED).exclude(
        user__in=work.creatorships.values("pseud__user")
    )
    feedback = comments.filter(created_at__gte=since)
    return Response(
        chapter=latest,
        since=since,
        readers=sum(latest.pk in read for read in readers.values()),
        previous=chapters[-2] if len(chapters) > 1 else None,
        retention=steps[-1] if steps else None,
        average=sum(earlier) / len(earlier) if earlier else None,
        kudos=Kudos.objects.filter(work=work, created_at__gte=since).count(),
        comments=feedback.count(),
        critique=feedback.filter(is_critique=True).count(),
        recent=list(
            comments.select_related("pseud", "chapter").order_by("-created_at", "-pk")[
                :RECENT_COMMENTS
            ]
        ),
    )


def _other_works_steps(work: Work) -> list[float]:
    """Chapter-to-chapter retention on the creators' other posted works."""
    creators = work.creatorships.values("pseud__user")
    others = (
        Work.objects.posted()
        .filter(creatorships__pseud__user__in=creators)
        .exclude(pk=work.pk)
        .distinct()
        .order_by("-published_at")[:AVERAGE_OVER_WORKS]
    )
    steps = []
    for other in others:
        chapters = _posted_chapters(other)
        if len(chapters) > 1:
            readers, _ = _readers(other)
            steps.extend(step for step in _steps(chapters, readers) if step is not None)
    return steps


def response_since_last(work: Work) -> Response | None:
    """The "Should I continue?" summary alone (the draft chapter's page)."""
    chapters = _posted_chapters(work)
    readers, _ = _readers(work) if chapters else ({}, {})
    return _response(work, chapters, readers)


@dataclass
class WorkTotals:
    work: Work
    chapters: int
    hits: int
    readers: int
    kudos: int
    comments: int


def user_totals(owner) -> list[WorkTotals]:
    """Each of `owner`'s works (drafts too) with its totals, newest first."""
    works = list(Work.objects.by_user(owner).newest_updated_first())
    ids = [work.pk for work in works]
    hits = dict(Hit.objects.filter(work_id__in=ids).values_list("work_id").annotate(n=Count("pk")))
    accounts = dict(
        ChapterRead.objects.filter(work_id__in=ids)
        .values_list("work_id")
        .annotate(n=Count("user_id", distinct=True))
    )
    guests = defaultdict(set)
    for work_id, day, reader in Hit.objects.filter(work_id__in=ids, is_guest=True).values_list(
        "work_id", "day", "reader"
    ):
        guests[work_id].add((day, reader))
    kudos = dict(
        Kudos.objects.filter(work_id__in=ids, chapter__isnull=True)
        .values_list("work_id")
        .annotate(n=Count("pk"))
    )
    comments = dict(
        Comment.objects.filter(work_id__in=ids, status=CommentStatus.PUBLISHED)
        .values_list("work_id")
        .annotate(n=Count("pk"))
    )
    chapters = dict(
        Chapter.objects.filter(work_id__in=ids, posted=True)
        .values_list("work_id")
        .annotate(n=Count("pk"))
    )
    return [
        WorkTotals(
            work=work,
            chapters=chapters.get(work.pk, 0) if work.posted else 0,
            hits=hits.get(work.pk, 0),
            readers=accounts.get(work.pk, 0) + len(guests[work.pk]),
            kudos=kudos.get(work.pk, 0),
            comments=comments.get(work.pk, 0),
        )
        for work in works
    ]
