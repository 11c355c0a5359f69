"""Building a long work's download in the background, while its reader sees that it is being
prepared. The task takes ids and reads the work afresh; it may run twice (a built file is just
read) and does nothing for a work deleted, or no longer downloadable by anyone, meanwhile."""

from django_tasks import task

from ficshelf.works.models import Work

from . import files


@task()
def build_download(work_id: int, extension: str) -> bool:
    """Build the work's file at its current revision; returns whether there is one now."""
    work = Work.objects.filter(pk=work_id).first()
    try:
        # The view asked the reading policy; a work made a draft since is not built.
        if work is None or not work.posted or extension not in files.FORMATS:
            return False
        files.download_file(work, extension).close()
        return True
    finally:
        if work is not None:
            files.pending_marker(work, extension).unlink(missing_ok=True)
