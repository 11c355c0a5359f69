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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import transaction

from . import books, calibre

# Works this long are built by a task while the reader waits on a "being prepared" page.
LONG_WORK_WORDS = 150_000
# Printing is slower: WeasyPrint took 19 s for 50,000 words on a busy 2-core machine.
LONG_PDF_WORDS = 20_000


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    build: Callable  # (work) -> bytes
    label: str
    # The task builds it for works of at least this many words (read when asked, so that the
    # limits above can change); 0 for conversions, always too slow for a request.
    long_from: Callable[[], int] = lambda: LONG_WORK_WORDS
    offered: Callable[[], bool] = lambda: True  # is it available on this server?

    def built_in_background(self, work) -> bool:
        return work.word_count >= self.long_from()


def _converted(extension: str) -> Callable:
    def build(work) -> bytes:
        with download_file(work, "epub") as epub:
            return calibre.convert(epub.read(), extension)

    return build


def _printed(work) -> bytes:
    # WeasyPrint takes a second or two to import: only the processes that print load it.
    from . import pdf

    return pdf.build_pdf(work)


def _kindle(extension: str, content_type: str) -> Format:
    return Format(
        extension,
        content_type,
        _converted(extension),
        extension.upper(),
        long_from=lambda: 0,
        offered=calibre.available,
    )


FORMATS = {
    "epub": Format("epub", "application/epub+zip", books.build_epub, "EPUB"),
    "azw3": _kindle("azw3", "application/vnd.amazon.ebook"),
    "mobi": _kindle("mobi", "application/x-mobipocket-ebook"),
    "pdf": Format("pdf", "application/pdf", _printed, "PDF", lambda: LONG_PDF_WORDS),
    "html": Format("html", "text/html; charset=utf-8", books.build_html, "HTML"),
}


def offered_formats() -> list[Format]:
    """The formats this server can make, in the order the links show them."""
    return [format for format in FORMATS.values() if format.offered()]


def directory() -> Path:
    return Path(settings.MEDIA_ROOT) / "downloads"


def _prefix(work_id: int) -> str:
    return f"work-{work_id}-"


def path_for(work, extension: str) -> Path:
    name = f"{_prefix(work.pk)}r{work.content_version}-b{books.BUILDER_VERSION}.{extension}"
    return directory() / name


def open_built(work, extension: str) -> BinaryIO | None:
    """The file of `work` at its current revision in this format, opened, if it is built."""
    try:
        return path_for(work, extension).open("rb")
    except FileNotFoundError:
        return None


def download_file(work, extension: str) -> BinaryIO:
    """The file of `work` (at its current revision) in this format, built if missing, opened
    for reading (so that a newer revision's build deleting it cannot pull it away)."""
    path = path_for(work, extension)
    opened = open_built(work, extension)
    if opened is not None:
        return opened
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


# A build asked for longer ago than this is asked for again (its task may have been lost).
PENDING_FOR = 600  # seconds


def pending_marker(work, extension: str) -> Path:
    return directory() / f".pending-{path_for(work, extension).name}"


# A conversion that failed is not tried again for this long (a reader reloading the page would
# otherwise start it over and over); a new revision of the work is tried at once.
FAILED_FOR = 3600  # seconds


def failed_marker(work, extension: str) -> Path:
    return directory() / f".failed-{path_for(work, extension).name}"


def has_failed(work, extension: str) -> bool:
    """Whether this revision's file could not be made a moment ago."""
    try:
        return time.time() - failed_marker(work, extension).stat().st_mtime < FAILED_FOR
    except FileNotFoundError:
        return False


def mark_failed(work, extension: str, reason: str) -> None:
    marker = failed_marker(work, extension)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(reason)


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


_NAME = re.compile(r"^(?:\.pending-|\.failed-)?work-[0-9]+-r([0-9]+)-b([0-9]+)\.")


def _delete_older(work) -> None:
    """Remove this work's files (and markers) of older revisions or builders, in every format
    (a request still holding an older revision must not delete a newer one)."""
    for marker in ("", ".pending-", ".failed-"):
        for old in directory().glob(f"{marker}{_prefix(work.pk)}r*"):
            found = _NAME.match(old.name)
            if found is None:
                continue
            revision, builder = int(found.group(1)), int(found.group(2))
            if revision < work.content_version or builder < books.BUILDER_VERSION:
                old.unlink(missing_ok=True)
