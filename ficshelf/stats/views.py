"""The author's dashboard: a work's figures (page and CSV) and one's own works' totals.

Only the work's creators and staff see a work's figures, only the owner (and staff) their
list: anyone else gets a 404, as for a page that does not exist. The pages show counts only.
"""

import csv
import logging

from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ficshelf.works.models import Work

from . import charts, figures, services
from .templatetags.stats import percent

logger = logging.getLogger(__name__)

CSV_COLUMNS = [
    "Chapter",
    "Title",
    "Posted",
    "Hits",
    "Readers",
    "Reached from chapter 1",
    "Reached from chapter 1 (%)",
    "From the previous chapter (%)",
    "Came back within a week",
    "Stopped here",
    "Kudos",
    "Comments",
    "Inline comments",
]


def _work(request, work_id: int) -> Work:
    work = Work.objects.filter(pk=work_id).prefetch_related("creatorships__pseud").first()
    if work is None or not figures.may_see(request.user, work):
        raise Http404("No such work.")
    return work


def _flushed() -> None:
    """The figures include the hits still waiting in the cache; a cache that is down leaves
    them for later, never the page."""
    try:
        services.flush_hits()
    except Exception:
        logger.warning("The buffered hits could not be flushed", exc_info=True)


def _charts(data: figures.WorkFigures) -> list[charts.Chart]:
    rows = data.chapters
    hits = [(f"Chapter {r.chapter.position}", r.hits, f"{r.hits} hits") for r in rows]
    reached = [
        (
            f"Chapter {r.chapter.position}",
            (r.reached_share or 0) * 100,
            f"{percent(r.reached_share)} ({r.reached} readers)",
        )
        for r in rows
    ]
    return [
        charts.bar_chart("hits-chart", "Hits per chapter", hits),
        charts.bar_chart(
            "retention-chart", "Chapter 1's readers who reached each chapter", reached, maximum=100
        ),
    ]


def work_stats(request, work_id: int):
    work = _work(request, work_id)
    _flushed()
    data = figures.work_figures(work)
    context = {"work": work, "figures": data, "charts": _charts(data)}
    return render(request, "stats/work.html", context)


def _cell(value) -> str:
    # A title a spreadsheet would read as a formula stays text.
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def work_stats_csv(request, work_id: int):
    work = _work(request, work_id)
    _flushed()
    data = figures.work_figures(work)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="work-{work.pk}-stats.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in data.chapters:
        chapter = row.chapter
        posted = timezone.localtime(chapter.published_at).date().isoformat()
        writer.writerow(
            _cell(value)
            for value in (
                chapter.position,
                chapter.title,
                posted,
                row.hits,
                row.readers,
                row.reached,
                percent(row.reached_share).rstrip("%"),
                percent(row.from_previous_share).rstrip("%")
                if row.from_previous is not None
                else "",
                row.returned,
                row.stopped,
                row.kudos,
                row.comments,
                row.inline_comments,
            )
        )
    return response


def user_stats(request, username: str):
    owner = get_user_model().objects.filter(username=username).first()
    viewer = request.user
    if (
        owner is None
        or not viewer.is_authenticated
        or (viewer.pk != owner.pk and not viewer.is_staff)
    ):
        raise Http404("No such page.")
    _flushed()
    context = {"owner": owner, "works": figures.user_totals(owner)}
    return render(request, "stats/user.html", context)
