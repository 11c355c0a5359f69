"""News' background work: enqueued with run_after at a scheduled post's time."""

from django_tasks import task

from . import services


@task()
def announce_news_posts() -> int:
    """Announce every scheduled post whose time has come (not only the one that enqueued
    this), so a late or lost task is made up by the next."""
    return services.announce_due()
