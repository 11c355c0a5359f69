"""AZW3 and MOBI (Kindle) downloads, converted from the EPUB by Calibre's `ebook-convert`.

Only where Calibre is installed: without it the formats are not offered (no link, and their
URLs are not found). A conversion takes seconds to minutes, so it only ever runs in the
background task (`tasks.build_download`), in a temporary folder, with a time limit; what it
writes is kept on disk like the EPUB (`files`).
"""

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

EBOOK_CONVERT = "ebook-convert"
# Calibre made an AZW3 of a 500,000-word EPUB in 42 s on a 2-core machine at a load of 11
# (benchmarks/README.md, "EPUB build"): a conversion still running after this is stuck.
TIMEOUT = 300  # seconds


class ConversionFailed(Exception):
    """Calibre could not make the file (it failed, or took too long)."""


def ebook_convert() -> str | None:
    """The path of Calibre's `ebook-convert`, or None where it is not installed."""
    return shutil.which(EBOOK_CONVERT)


def available() -> bool:
    return ebook_convert() is not None


def convert(epub: bytes, extension: str, *, timeout: float | None = None) -> bytes:
    """The EPUB book `epub` converted to `extension` ("azw3" or "mobi"), within `timeout`
    seconds (TIMEOUT by default)."""
    timeout = timeout or TIMEOUT
    program = ebook_convert()
    if program is None:
        raise ConversionFailed("Calibre's ebook-convert is not installed.")
    with tempfile.TemporaryDirectory(prefix="ficshelf-convert-") as folder:
        source, target = Path(folder) / "book.epub", Path(folder) / f"book.{extension}"
        source.write_bytes(epub)
        # Calibre keeps its settings and caches in the home folder: give it its own, thrown
        # away afterwards, so a conversion never depends on (or writes to) the server's.
        env = {
            **os.environ,
            "HOME": folder,
            "CALIBRE_CONFIG_DIRECTORY": str(Path(folder) / "config"),
            "CALIBRE_TEMP_DIR": folder,
            "XDG_RUNTIME_DIR": folder,
        }
        process = subprocess.Popen(  # noqa: S603  (a fixed program on our own files)
            [program, str(source), str(target)],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a time-out stops its workers too
        )
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ConversionFailed(f"ebook-convert took longer than {timeout:g} s.") from None
        if process.returncode != 0 or not target.is_file():
            tail = output.decode(errors="replace").strip().splitlines()[-3:]
            raise ConversionFailed(
                f"ebook-convert failed ({process.returncode}): {' / '.join(tail)}"
            )
        return target.read_bytes()
