"""Building a work's downloads: an EPUB 3 book and one self-contained HTML file.

Both carry the same title page (title, creators, tags, summary, dates, words, a link back) and
every posted chapter with its title and notes, the text converted by `downloads.xhtml`. The
builders read the work afresh by its id: a download shows what any reader allowed to download
it sees, never a creator's drafts.
"""

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from ebooklib import epub

from ficshelf.works.models import Creatorship, Tagging, Work

from .xhtml import to_xhtml, xml_text

# Bump when what the builders write changes: files built by older builders are then rebuilt.
BUILDER_VERSION = 1

STYLESHEET = """body { font-family: serif; line-height: 1.5; margin: 0 auto; max-width: 40em;
  padding: 0 1em; }
h1.title, p.byline { text-align: center; }
dl.tags dt { font-weight: bold; }
.chapter { margin-top: 3em; }
.notes, .summary { margin: 1em 0; padding-left: 1em; border-left: 2px solid #999; }
.center, .align-center { text-align: center; }
.align-right { text-align: right; }
.align-justify { text-align: justify; }
.big { font-size: larger; }
img { max-width: 100%; height: auto; }
table { border-collapse: collapse; }
td, th { border: 1px solid #999; padding: 0.2em 0.4em; }
"""


@dataclass
class Book:
    """What both formats show, read once."""

    work: Work
    chapters: list
    context: dict


def work_url(work: Work) -> str:
    return settings.SITE_URL.rstrip("/") + work.get_absolute_url()


def identifier(work: Work) -> str:
    """A stable `urn:uuid:` for the work on this archive (the same in every revision)."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, work_url(work)))


def _read(work_id: int) -> Work:
    return Work.objects.prefetch_related(
        Prefetch("creatorships", queryset=Creatorship.objects.select_related("pseud__user")),
        Prefetch("taggings", queryset=Tagging.objects.select_related("tag")),
    ).get(pk=work_id)


def read_book(work: Work, *, epub_format: bool) -> Book:
    """The work with its posted chapters, their HTML converted for the format."""
    work = _read(work.pk)
    chapters = list(work.posted_chapters())
    for chapter in chapters:
        chapter.heading = xml_text(chapter.full_title)
        for field in ("summary", "notes", "end_notes", "text"):
            setattr(chapter, f"{field}_xhtml", to_xhtml(getattr(chapter, field), epub=epub_format))
    convert = lambda html: to_xhtml(html, epub=epub_format)  # noqa: E731
    work.title = xml_text(work.title)
    context = {
        "work": work,
        "creators": [xml_text(str(pseud)) for pseud in work.creator_pseuds()],
        "tag_groups": [
            ("Archive Warnings", work.warnings),
            ("Categories", work.categories),
            ("Fandoms", work.fandoms),
            ("Relationships", work.relationships),
            ("Characters", work.characters),
            ("Additional Tags", work.freeforms),
        ],
        "summary": convert(work.summary),
        "notes": convert(work.notes),
        "end_notes": convert(work.end_notes),
        "chapter_count": f"{len(chapters)}/{work.expected_chapters or '?'}"
        if not work.is_complete
        else f"{len(chapters)}/{work.expected_chapters or len(chapters)}",
        "work_url": work_url(work),
        "site_name": settings.SITE_NAME,
        "stylesheet": STYLESHEET,
    }
    return Book(work=work, chapters=chapters, context=context)


def build_html(work: Work) -> bytes:
    """The whole work as one HTML file, needing nothing else (its style is inside)."""
    book = read_book(work, epub_format=False)
    return render_to_string(
        "downloads/work.html", {**book.context, "chapters": book.chapters}
    ).encode()


def _page(book: Book, name: str, title: str, **parts) -> epub.EpubItem:
    content = render_to_string(
        "downloads/epub_page.xhtml", {**book.context, "page_title": title, **parts}
    )
    # A plain item, not ebooklib's EpubHtml: that one re-parses the page with an HTML parser.
    return epub.EpubItem(
        uid=name.removesuffix(".xhtml"),
        file_name=name,
        media_type="application/xhtml+xml",
        content=content.encode(),
    )


def build_epub(work: Work) -> bytes:
    """The work as an EPUB 3 book (with an EPUB 2 NCX for older readers)."""
    book = read_book(work, epub_format=True)
    work = book.work
    output = epub.EpubBook()
    output.set_identifier(identifier(work))
    output.set_title(work.title)
    output.set_language(work.language or "en")
    for name in book.context["creators"]:
        output.add_author(name)
    output.add_metadata("DC", "publisher", book.context["site_name"])
    output.add_metadata("DC", "source", book.context["work_url"])
    if work.published_at:
        output.add_metadata("DC", "date", work.published_at.strftime("%Y-%m-%d"))
    for tag in work.fandoms + work.relationships + work.characters + work.freeforms:
        output.add_metadata("DC", "subject", xml_text(tag.name))
    style = epub.EpubItem(
        uid="style", file_name="style.css", media_type="text/css", content=STYLESHEET.encode()
    )
    output.add_item(style)
    title_page = _page(book, "preface.xhtml", work.title, preface=True)
    pages = [title_page]
    toc = [epub.Link("preface.xhtml", "Preface", "preface")]
    for chapter in book.chapters:
        name = f"chapter-{chapter.position}.xhtml"
        pages.append(_page(book, name, chapter.heading, chapter=chapter))
        toc.append(epub.Link(name, chapter.heading, f"chapter-{chapter.position}"))
    pages.append(_page(book, "afterword.xhtml", "Afterword", afterword=True))
    toc.append(epub.Link("afterword.xhtml", "Afterword", "afterword"))
    for page in pages:
        output.add_item(page)
    output.toc = toc
    output.add_item(epub.EpubNcx())
    nav = epub.EpubNav()
    output.add_item(nav)
    output.spine = [pages[0], nav, *pages[1:]]
    return _written(output)


def _written(output: epub.EpubBook) -> bytes:
    buffer = io.BytesIO()
    epub.write_epub(buffer, output, {"epub3_pages": False})
    return buffer.getvalue()
