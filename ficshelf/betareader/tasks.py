"""The beta reader's background work: checking draft chapters for the list of drafts.

Tasks take ids and read the chapter afresh (a task never works on a stale row). They are
enqueued with `transaction.on_commit`, by receivers.py and services.schedule_summaries.
"""

import logging

from django_tasks import task

from . import services

logger = logging.getLogger(__name__)


@task()
def summarize_chapter(chapter_id: int) -> dict | None:
    """Check one chapter and store its counts (ChapterCheckSummary)."""
    summary = services.save_chapter_summary(chapter_id=chapter_id)
    if summary is None:
        return None
    return {"errors": summary.errors, "suggestions": summary.suggestions}


@task()
def summarize_chapters(chapter_ids: list[int]) -> int:
    """Check several chapters (after a dictionary, an ignore or a work's tags changed);
    returns how many were summarized. One chapter failing leaves the others checked."""
    summarized = 0
    for chapter_id in chapter_ids:
        try:
            summarized += services.save_chapter_summary(chapter_id=chapter_id) is not None
        except Exception:
            logger.exception("The beta reader could not summarize chapter %s", chapter_id)
    return summarized


@task()
def check_long_chapter(check_id: int) -> int | None:
    """Check a long chapter for its report page (ChapterCheck); returns how many findings."""
    check = services.run_background_check(check_id=check_id)
    if check is None:
        return None
    return len(check.result["findings"])
