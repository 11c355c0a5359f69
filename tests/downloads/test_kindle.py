"""AZW3 and MOBI downloads, converted by Calibre in the background: offered only where Calibre's
`ebook-convert` is installed, never converted during a request."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from ficshelf.downloads import calibre, files
from ficshelf.works.services import ChapterContent, edit_chapter
from tests.factories import make_work

from .test_views import url

pytestmark = pytest.mark.django_db

needs_calibre = pytest.mark.skipif(
    shutil.which("ebook-convert") is None, reason="Calibre is not installed"
)


def fake_ebook_convert(folder: Path, script: str) -> None:
    """An `ebook-convert` on the PATH that runs `script` (a shell script's body)."""
    folder.mkdir(exist_ok=True)
    program = folder / "ebook-convert"
    program.write_text("#!/bin/sh\n" + script)
    program.chmod(0o755)


def test_without_calibre_there_are_no_kindle_links_and_no_kindle_downloads(
    client, monkeypatch, tmp_path
):
    work = make_work(title="Quiet Hours")
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert not calibre.available()
    page = client.get(work.get_absolute_url()).content.decode()
    assert url(work, "epub") in page and url(work, "pdf") in page
    assert "AZW3" not in page and "MOBI" not in page and url(work, "azw3") not in page
    assert client.get(url(work, "azw3")).status_code == 404
    assert client.get(url(work, "mobi")).status_code == 404
    assert client.get(url(work, "epub")).status_code == 200


@needs_calibre
@pytest.mark.parametrize("extension", ["azw3", "mobi"])
def test_a_kindle_file_is_converted_by_the_task_and_then_downloaded(
    client, author, extension, tmp_path, django_capture_on_commit_callbacks
):
    work = make_work(author, title="Quiet Hours", chapters=2)
    page = client.get(work.get_absolute_url()).content.decode()
    assert url(work, extension) in page and f">{extension.upper()}</a>" in page
    with django_capture_on_commit_callbacks(execute=True) as asked:
        response = client.get(url(work, extension))
        # The request only asked: nothing was converted while it ran.
        assert response.status_code == 202
        assert "is being prepared" in response.content.decode()
        assert not files.is_built(work, extension)
    assert len(asked) == 1  # the task ran after the request's commit
    response = client.get(url(work, extension))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="quiet-hours.{extension}"'
    data = b"".join(response.streaming_content)
    assert data[60:68] == b"BOOKMOBI"  # a Mobipocket (Kindle) book
    # Calibre reads it back with the work's text in it.
    book = tmp_path / f"back.{extension}"
    book.write_bytes(data)
    subprocess.run(  # noqa: S603  (Calibre on our own file)
        [shutil.which("ebook-convert"), str(book), str(tmp_path / "back.txt")],
        capture_output=True,
        check=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    text = (tmp_path / "back.txt").read_text()
    assert "Quiet Hours" in text and "Chapter 2 text." in text
    assert files.is_built(work, "epub")  # converted from the EPUB, which is kept too


def test_a_failed_conversion_says_so_and_is_tried_again_after_an_edit(
    client, author, monkeypatch, tmp_path, django_capture_on_commit_callbacks
):
    fake_ebook_convert(tmp_path / "bin", 'echo "Conversion error: broken" >&2\nexit 3\n')
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    work = make_work(author, title="Quiet Hours")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url(work, "azw3")).status_code == 202
    response = client.get(url(work, "azw3"))
    assert response.status_code == 503
    page = response.content.decode()
    assert "could not be made" in page and url(work, "epub") in page
    assert "ebook-convert failed (3)" in files.failed_marker(work, "azw3").read_text()
    assert client.get(url(work, "azw3")).status_code == 503  # not started over and over

    edit_chapter(
        chapter=work.chapters.get(), editor=author, content=ChapterContent(text="<p>New.</p>")
    )
    work.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False) as asked:
        assert client.get(url(work, "azw3")).status_code == 202  # a new revision: tried again
    assert len(asked) == 1


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def test_a_conversion_that_takes_too_long_is_stopped_with_its_workers(monkeypatch, tmp_path):
    pids = tmp_path / "child.pid"
    fake_ebook_convert(tmp_path / "bin", f"sleep 60 &\necho $! > {pids}\nwait\n")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    started = time.monotonic()
    with pytest.raises(calibre.ConversionFailed, match="longer than 1 s"):
        calibre.convert(b"not really a book", "azw3", timeout=1)
    assert time.monotonic() - started < 10
    child = int(pids.read_text())
    for _ in range(50):
        if not _alive(child):
            break
        time.sleep(0.1)
    assert not _alive(child)
