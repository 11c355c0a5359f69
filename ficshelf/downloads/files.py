"""Downloads kept on disk, one file per work revision and format.

A file's name says what it was built from: the work's id, its `content_version` (moved on by
every change a reader could see, works.versions) and the builders' version. So a download is
never stale: an edit makes a new name, and the first request for it builds the file. Files are
written to a temporary name and moved into place (`os.replace` is atomic), so a request never
reads half a file; the older revisions' files of the work are deleted then.
"""

import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import transaction

from . import books


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    build: object  # (work) -> bytes


FORMATS = {
    "epub": Format("epub", "application/epub+zip", books.build_epub),
    "html": Format("html", "text/html; charset=utf-8", books.build_html),
}


def directory() -> Path:
    return Path(settings.MEDIA_ROOT) / "downloads"


def _prefix(work_id: int) -> str:
    return f"work-{work_id}-"


def path_for(work, extension: str) -> Path:
    name = f"{_prefix(work.pk)}r{work.content_version}-b{books.BUILDER_VERSION}.{extension}"
    return directory() / name


def download_file(work, extension: str) -> BinaryIO:
    """The file of `work` (at its current revision) in this format, built if missing, opened
    for reading (so that a newer revision's build deleting it cannot pull it away)."""
    path = path_for(work, extension)
    try:
        return path.open("rb")
    except FileNotFoundError:
        pass
    data = FORMATS[extension].build(work)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".building-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    opened = path.open("rb")
    _delete_older(work)
    return opened


def is_built(work, extension: str) -> bool:
    return path_for(work, extension).exists()


# Works this long are built by a task while the reader waits on a "being prepared" page.
LONG_WORK_WORDS = 150_000
# A build asked for longer ago than this is asked for again (its task may have been lost).
PENDING_FOR = 600  # seconds


def pending_marker(work, extension: str) -> Path:
    return directory() / f".pending-{path_for(work, extension).name}"


def build_later(work, extension: str) -> None:
    """Have a task build the file, unless one was asked for a moment ago."""
    from .tasks import build_download

    marker = pending_marker(work, extension)
    try:
        if time.time() - marker.stat().st_mtime < PENDING_FOR:
            return
    except FileNotFoundError:
        pass
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()
    work_id = work.pk
    transaction.on_commit(lambda: build_download.enqueue(work_id, extension), robust=True)


_NAME = re.compile(r"^work-[0-9]+-r([0-9]+)-b([0-9]+)\.")


def _delete_older(work) -> None:
    """Remove this work's files of older revisions or builders, in every format (a request
    still holding an older revision must not delete a newer one)."""
    for old in directory().glob(f"{_prefix(work.pk)}r*"):
        found = _NAME.match(old.name)
        if found is None:
            continue
        revision, builder = int(found.group(1)), int(found.group(2))
        if revision < work.content_version or builder < books.BUILDER_VERSION:
            old.unlink(missing_ok=True)
