"""Building a work's downloads: an EPUB 3 book and one self-contained HTML file (which is also
what the PDF is printed from, `downloads.pdf`).

Both carry the same title page (title, creators, series, tags, summary, dates, words, a link
back) and every posted chapter with its title and notes, the text converted by
`downloads.xhtml`. The builders read the work afresh by its id: a download shows what any
reader allowed to download it sees, never a creator's drafts.
"""

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from ebooklib import epub

from ficshelf.series.models import SeriesPart
from ficshelf.works.models import Creatorship, Tagging, Work

from .xhtml import to_xhtml, xml_text

# Bump when what the builders write changes: files built by older builders are then rebuilt.
BUILDER_VERSION = 2

STYLESHEET = """body { font-family: serif; line-height: 1.5; margin: 0 auto; max-width: 40em;
  padding: 0 1em; }
h1.title, p.byline, p.series { text-align: center; }
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

# The HTML download printed (by a browser, or by WeasyPrint for the PDF): a title page, each
# chapter on a new page, page numbers, a contents list with page numbers, and fonts that Debian
# installs (fonts-dejavu, fonts-liberation), never a web font: a book fetches nothing. The
# paper size is the printer's (the PDF's is set in downloads.pdf).
PRINT_STYLESHEET = """@media print {
@page { margin: 16mm 14mm 18mm;
  @bottom-center { content: counter(page); font: 8.5pt "DejaVu Serif", serif; color: #555; } }
@page :first { @bottom-center { content: none; } }
html { font-family: "DejaVu Serif", "Liberation Serif", "Noto Serif", serif; font-size: 10pt; }
body { max-width: none; margin: 0; padding: 0; line-height: 1.45; }
a { color: inherit; }
h1, h2, h3 { break-after: avoid; bookmark-level: none; }
h1.title { margin-top: 20mm; font-size: 20pt; bookmark-level: 1; }
.preface, nav.toc { break-after: page; }
nav.toc ol { padding-left: 1.5em; }
nav.toc a { text-decoration: none; }
nav.toc a::after { content: leader(dotted) " " target-counter(attr(href url), page); }
.chapter { break-before: page; margin-top: 0; }
.chapter > h2.heading { bookmark-level: 1; }
.afterword { break-before: page; }
p { orphans: 2; widows: 2; }
pre, code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; }
pre { white-space: pre-wrap; }
img { max-width: 100%; }
}
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
        "series": _series(work),
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


@dataclass(frozen=True)
class SeriesPlace:
    """ "Part 2 of <series>" on the title page."""

    position: int
    title: str
    url: str


def _series(work: Work) -> list[SeriesPlace]:
    """Every series the work is part of, by title, as its page names them (the series services
    move the work's version on when a series is renamed or reordered: the file is rebuilt)."""
    parts = (
        SeriesPart.objects.filter(work_id=work.pk)
        .select_related("series")
        .only("position", "series__id", "series__title")
        .order_by("series__title", "series_id")
    )
    site = settings.SITE_URL.rstrip("/")
    return [
        SeriesPlace(
            part.position, xml_text(part.series.title), site + part.series.get_absolute_url()
        )
        for part in parts
    ]


def build_html(work: Work) -> bytes:
    """The whole work as one HTML file, needing nothing else (its style is inside, with the
    print layout the PDF is made with)."""
    book = read_book(work, epub_format=False)
    context = {
        **book.context,
        "chapters": book.chapters,
        "stylesheet": STYLESHEET + PRINT_STYLESHEET,
    }
    return render_to_string("downloads/work.html", context).encode()


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
    _add_series(output, book.context["series"])
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


def _add_series(output: epub.EpubBook, places: list[SeriesPlace]) -> None:
    """EPUB 3's collections (read by Apple Books, Kobo, Thorium), and Calibre's own series
    fields, which Calibre, KOReader and the Kindle conversion read (the first series only:
    they hold one)."""
    for number, place in enumerate(places, start=1):
        uid = f"series-{number}"
        output.add_metadata(
            None, "meta", place.title, {"property": "belongs-to-collection", "id": uid}
        )
        output.add_metadata(
            None, "meta", "series", {"refines": f"#{uid}", "property": "collection-type"}
        )
        output.add_metadata(
            None, "meta", str(place.position), {"refines": f"#{uid}", "property": "group-position"}
        )
    if places:
        output.add_metadata(
            None, "meta", "", {"name": "calibre:series", "content": places[0].title}
        )
        output.add_metadata(
            None, "meta", "", {"name": "calibre:series_index", "content": str(places[0].position)}
        )


def _written(output: epub.EpubBook) -> bytes:
    buffer = io.BytesIO()
    epub.write_epub(buffer, output, {"epub3_pages": False})
    return buffer.getvalue()
