"""benchmarks/epub_build.py still runs: its work generator and one round of its builds, on a
small work (not timed)."""

import shutil
import zipfile

import pytest

from benchmarks.epub_build import run_once, synthetic_work

pytestmark = pytest.mark.django_db


def test_the_benchmark_builds_a_small_synthetic_work_every_way(author, tmp_path):
    work = synthetic_work(author, words=3_000, chapters=3, seed=7)
    assert work.word_count == 3_000
    assert work.posted_chapters().count() == 3
    calibre = shutil.which("ebook-convert") is not None
    seconds = run_once(work, tmp_path, calibre=calibre)
    assert set(seconds) == {"ours", "bare zip"} | ({"Calibre"} if calibre else set())
    ours = zipfile.ZipFile(tmp_path / "ours.epub")
    bare = zipfile.ZipFile(tmp_path / "bare.zip")
    pages = sorted(name for name in ours.namelist() if name.endswith(".xhtml"))
    assert "EPUB/chapter-3.xhtml" in pages
    assert sorted(set(bare.namelist()) - {"mimetype"}) == pages
    assert all(bare.read(name) == ours.read(name) for name in pages)
    if calibre:
        assert zipfile.ZipFile(tmp_path / "calibre.epub").testzip() is None


def test_the_synthetic_text_is_the_same_for_the_same_seed(author):
    first = synthetic_work(author, words=500, chapters=2, seed=3)
    second = synthetic_work(author, words=500, chapters=2, seed=3)
    texts = [[c.text for c in work.posted_chapters()] for work in (first, second)]
    assert texts[0] == texts[1]
