"""The stats' background work: writing the hits buffered in the cache (stats.counting)."""

from django_tasks import task

from . import services


@task()
def flush_hits() -> int:
    """Write the buffered hits; safe to run twice or on two workers at once."""
    return services.flush_hits()
