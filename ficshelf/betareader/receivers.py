"""How the beta reader hears of changes in works (connected in BetaReaderConfig.ready)."""

from django.db import transaction

from . import services, tasks


def check_saved_chapter(sender, *, chapter_id: int, **kwargs) -> None:
    """A chapter was created, edited or posted: count its findings again, after the commit."""
    transaction.on_commit(lambda: tasks.summarize_chapter.enqueue(chapter_id), robust=True)


def recheck_changed_work(sender, *, work_id: int, **kwargs) -> None:
    """A work's tags or creators may have changed the names its drafts may use."""
    services.recheck_work(work_id=work_id)
