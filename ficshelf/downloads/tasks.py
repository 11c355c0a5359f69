"""Building a download in the background, while its reader sees that it is being prepared: a
long work's, and every Kindle conversion (Calibre is too slow for a request). The task takes ids
and reads the work afresh; it may run twice (a built file is just read) and does nothing for a
work deleted, or no longer downloadable by anyone, meanwhile."""

import logging

from django_tasks import task

from ficshelf.works.models import Work

from . import files

logger = logging.getLogger(__name__)


@task()
def build_download(work_id: int, extension: str) -> bool:
    """Build the work's file at its current revision; returns whether there is one now. A build
    that fails is marked so (the reader is told, and it is not retried at once)."""
    work = Work.objects.filter(pk=work_id).first()
    try:
        # The view asked the reading policy; a work made a draft since is not built.
        if work is None or not work.posted or extension not in files.FORMATS:
            return False
        try:
            files.download_file(work, extension).close()
        except Work.DoesNotExist:  # deleted while it was being built
            return False
        except Exception as error:
            logger.exception("The %s of work %s could not be made.", extension, work_id)
            files.mark_failed(work, extension, f"{type(error).__name__}: {error}")
            return False
        return True
    finally:
        if work is not None:
            files.pending_marker(work, extension).unlink(missing_ok=True)
