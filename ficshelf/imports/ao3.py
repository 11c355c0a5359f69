"""Reading an AO3 download (otwarchive's HTML download, or the EPUB Calibre builds from it) into
a work's parts, without the database.

otwarchive renders every download from one template (app/views/downloads/): a preface
(`div#preface`: a message with the work's address, a `dl.tags` of "Rating:", "Fandoms:"… with
their values, "Language:", "Series:", "Stats:", then the title, the byline and the labelled
summary and notes), the chapters (each a `div.meta.group` with an `h2.heading` "Chapter 2:
Title", labelled chapter summary and notes, then the text after a `<!--chapter content-->`
comment, then the chapter's end notes), and an afterword with the work's end notes. A one-shot
has no chapter headings: its text follows an `h2.toc-heading`.

Calibre, which makes AO3's EPUBs from that HTML, splits it into several files, copies the
enclosing elements into each and renames most classes ("meta group" becomes "calibre1"), so the
reader here goes by what survives both: element names, ids, the labels' words, the `heading`
and `toc-heading` classes, the chapter-content comment and the order of things.
"""

import html
import re
from dataclasses import dataclass, field

from django.conf.global_settings import LANGUAGES
from django.conf.locale import LANG_INFO
from lxml import etree
from lxml import html as lxml_html

from .parsing import ImportRefused, find_archive_warning, find_category, find_rating

# AO3 has limits of its own; a file past these is not one AO3 made.
CHAPTERS_MAX = 1_000


@dataclass
class ImportedChapter:
    """One chapter as the download shows it; the HTML fields are still uncleaned."""

    position: int
    heading: str = ""
    title: str = ""
    text: str | None = None
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    byline: str = ""


@dataclass
class ImportedWork:
    """A work read from an AO3 download. Tag lists hold the names as the file spells them."""

    title: str = ""
    creators: list[str] = field(default_factory=list)
    archive_name: str = ""
    url: str = ""
    rating: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    language: str = ""
    series: list[tuple[str, str, str]] = field(default_factory=list)  # (position, title, url)
    published: str = ""
    updated: str = ""
    completed: str = ""
    words: int | None = None
    chapter_count: tuple[int, int | None] | None = None  # posted/expected (None: "?")
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    # What the preface says that has no field of its own ("Collections: …", "Inspired by …").
    other: list[str] = field(default_factory=list)
    chapters: list[ImportedChapter] = field(default_factory=list)
    had_scripts: bool = False


# --- Reading the document ---------------------------------------------------------------------

_DT_FIELDS = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tags": "freeforms",
    "additional tag": "freeforms",
    "freeform": "freeforms",
    "freeforms": "freeforms",
    "language": "language",
    "series": "series",
    "stats": "stats",
}
# A label paragraph ("Summary") and the field the element after it holds.
_LABELS = {
    "summary": "summary",
    "notes": "notes",
    "end notes": "end_notes",
    "chapter summary": "chapter summary",
    "chapter notes": "chapter notes",
    "chapter end notes": "chapter end_notes",
}
_CHAPTER_HEADING = re.compile(r"^chapter\s+(\d[\d,]*)\s*(?::\s*(.*))?$", re.I | re.S)
_STAT = re.compile(r"(Published|Updated|Completed|Words|Chapters):\s*([^\s]+)")
_SERIES_PART = re.compile(r"Part\s+([\d,]+)\s+of\s*$", re.I)
_RELATED = ("inspired by", "a translation of", "translation into", "works inspired by")
_CHAPTERS_ID = "chapters"
# "Posted originally on the Archive of Our Own at …" (AO3), "… on Ficshelf at …" (ours).
_ARCHIVE_NAME = re.compile(r"posted originally on (?:the )?(.{1,100}?) at ", re.I)


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


def _text(element) -> str:
    return _words(element.text_content())


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _is_element(node) -> bool:
    return isinstance(node.tag, str)


def _next_element(node):
    following = node.getnext()
    while following is not None and not _is_element(following):
        following = following.getnext()
    return following


def inner_html(element) -> str:
    """The element's content as HTML: its text and children, without the element itself."""
    parts = [html.escape(element.text or "", quote=False)]
    parts.extend(lxml_html.tostring(child, encoding="unicode", method="html") for child in element)
    return "".join(parts).strip()


def _html_after(label) -> str:
    """What follows a label inside its parent (our own downloads: <div><h3>Label</h3>…</div>)."""
    parts = [html.escape(label.tail or "", quote=False)]
    following = label.getnext()
    while following is not None:
        parts.append(lxml_html.tostring(following, encoding="unicode", method="html"))
        following = following.getnext()
    return "".join(parts).strip()


def _is_chapter_text(element) -> bool:
    """A chapter's text: `div.userstuff` (Calibre renames it "userstuff1"), not the wrapper."""
    return (
        element.tag == "div"
        and element.get("id") != _CHAPTERS_ID
        and any(name.startswith("userstuff") for name in _classes(element))
    )


class _Reader:
    """One walk over the document in order, skipping what it has taken as content, so that a
    heading or label inside a creator's text is never read as the download's own."""

    def __init__(self, work: ImportedWork, *, keep_classes: bool):
        self.work = work
        self.keep_classes = keep_classes
        self.chapter: ImportedChapter | None = None
        self.in_afterword = False
        self.saw_preface = False
        self.saw_message = False
        self.saw_tags = False
        # The elements themselves, not their id(): lxml makes a new Python object for a node
        # whose last one was freed, and a freed object's id is reused.
        self.taken: set = set()

    def take(self, element) -> str:
        self.taken.add(element)
        if element.xpath("boolean(.//script)"):
            self.work.had_scripts = True
        if not self.keep_classes:
            for inside in element.iterdescendants(etree.Element):
                inside.attrib.pop("class", None)
        return inner_html(element)

    def walk(self, root) -> None:
        stack = [root]
        while stack:
            node = stack.pop()
            if node.tag is etree.Comment:
                self.comment(node)
                continue
            if not _is_element(node) or node in self.taken:
                continue
            if not self.visit(node):
                stack.extend(reversed(node))

    def comment(self, node) -> None:
        if _words(node.text) != "chapter content" or self.chapter is None:
            return
        following = _next_element(node)
        if following is not None and self.chapter.text is None:
            self.chapter.text = self.take(following)

    def start_chapter(self, heading: str) -> None:
        work = self.work
        if len(work.chapters) >= CHAPTERS_MAX:
            raise ImportRefused(
                f"The file has more than {CHAPTERS_MAX:,} chapters; Ficshelf imports at most "
                f"{CHAPTERS_MAX:,} from one file.",
                field="file",
            )
        self.chapter = ImportedChapter(position=len(work.chapters) + 1, heading=heading)
        match = _CHAPTER_HEADING.match(heading)
        self.chapter.title = (match.group(2) or "").strip() if match else heading
        work.chapters.append(self.chapter)

    def visit(self, node) -> bool:
        """Read one element; True when its content was read (the walk then skips it)."""
        tag, work = node.tag, self.work
        node_id = node.get("id")
        if node_id == "preface" or "preface" in _classes(node):
            self.saw_preface = True
        elif node_id == "afterword" or "afterword" in _classes(node):
            self.in_afterword = True
        if tag == "h2":
            classes, text = _classes(node), _text(node)
            if "heading" in classes and not self.in_afterword:
                self.start_chapter(text)
                return True
            if "toc-heading" in classes:
                if text.lower() == "afterword":
                    self.in_afterword = True
                elif text.lower() != "preface" and not work.chapters:
                    # A one-shot: its text is the element after this heading (whose class
                    # Calibre may have renamed to anything).
                    self.start_chapter("")
                    following = _next_element(node)
                    if following is not None and following.tag == "div":
                        self.chapter.text = self.take(following)
                return True
        if tag == "dl" and not self.saw_tags and not work.chapters:
            if self.read_tags(node):
                return True
        if tag == "h1" and not work.title and not work.chapters:
            work.title = _text(node)
            return True
        if self.chapter is not None and self.chapter.text is None and _is_chapter_text(node):
            self.chapter.text = self.take(node)
            return True
        if tag in ("p", "h2", "h3") and self.read_label(node):
            return True
        if tag in ("p", "div") and self.read_line(node):
            return True
        if tag == "li" and not work.chapters and _text(node).lower().startswith(_RELATED):
            work.other.append(_text(node))
            return True
        return False

    def read_label(self, node) -> bool:
        name = _LABELS.get(_text(node).lower())
        if name is None:
            return False
        content = _next_element(node)
        parent = node.getparent()
        if content is not None and _text(content).startswith("See the end of"):
            # "Notes" with only a link to the end notes: nothing here to read.
            self.taken.add(content)
            return True
        if content is not None and content.tag in ("blockquote", "div"):
            value = self.take(content)
        elif parent is not None and parent[0] is node and parent.tag == "div":
            self.taken.add(parent)
            value = _html_after(node)
        else:
            return False
        if name.startswith("chapter "):
            if self.chapter is not None:
                setattr(self.chapter, name.removeprefix("chapter "), value)
        elif name == "end_notes" or not self.work.chapters:
            setattr(self.work, name, value)
        return True

    def read_line(self, node) -> bool:
        """The message, the byline, or a chapter's own byline."""
        work, text = self.work, _text(node)
        links = node.findall(".//a") if node.tag == "p" else []
        if links and not work.chapters and "posted originally on" in text.lower():
            # "Posted originally on the <a>Archive of Our Own</a> at <a>its address</a>."
            self.saw_message = True
            named = _ARCHIVE_NAME.search(text)
            work.archive_name = named.group(1).strip() if named else ""
            work.url = (links[-1].get("href") or "").strip()
            if not work.title and (bold := node.find(".//b")) is not None:
                work.title = _text(bold)
            return True
        after_title = (previous := node.getprevious()) is not None and previous.tag == "h1"
        is_byline = "byline" in _classes(node) or (
            text.startswith("by ") and (after_title or node.find(".//a[@rel='author']") is not None)
        )
        if is_byline and not work.chapters and not work.creators:
            authors = node.findall(".//a[@rel='author']")
            if authors:
                work.creators = [_text(a) for a in authors]
            else:
                work.creators = [text.removeprefix("by ").strip()] if text else []
            return True
        if self.chapter is not None and node.tag == "p" and text.startswith("Chapter by "):
            self.chapter.byline = text.removeprefix("Chapter by ").strip()
            return True
        return False

    def read_tags(self, node) -> bool:
        """The `dl.tags` of the preface; False if this list is something else."""
        pairs, term = [], None
        for child in node:
            if not _is_element(child):
                continue
            if child.tag == "dt":
                term = _text(child).rstrip(":").strip().lower()
            elif child.tag == "dd" and term is not None:
                pairs.append((term, child))
                term = None
        if not any(term in _DT_FIELDS for term, _ in pairs):
            return False
        self.saw_tags = True
        work = self.work
        for term, value in pairs:
            name = _DT_FIELDS.get(term)
            if name in ("rating", "warnings", "categories", "fandoms", "relationships",
                        "characters", "freeforms"):  # fmt: skip
                getattr(work, name).extend(_tag_names(value))
            elif name == "language":
                work.language = _text(value)
            elif name == "series":
                work.series.extend(_series(value))
            elif name == "stats":
                _read_stats(_text(value), work)
            else:
                work.other.append(f"{term.capitalize()}: {_text(value)}")
        return True


def _tag_names(value) -> list[str]:
    links = value.findall(".//a")
    if links:
        return [name for a in links if (name := _text(a))]
    return [name for part in _text(value).split(",") if (name := part.strip())]


def _series(value) -> list[tuple[str, str, str]]:
    found = []
    before = value.text or ""
    for link in value.findall(".//a"):
        match = _SERIES_PART.search(_words(before))
        position = match.group(1).replace(",", "") if match else ""
        found.append((position, _text(link), (link.get("href") or "").strip()))
        before = link.tail or ""
    return found


def _read_stats(text: str, work: ImportedWork) -> None:
    for key, value in _STAT.findall(text):
        if key in ("Published", "Updated", "Completed"):
            setattr(work, key.lower(), value)
        elif key == "Words":
            digits = value.replace(",", "").replace(".", "")
            work.words = int(digits) if digits.isdigit() else None
        elif key == "Chapters":
            posted, _, expected = value.replace(",", "").partition("/")
            if posted.isdigit():
                total = int(expected) if expected.isdigit() else None
                work.chapter_count = (int(posted), total)


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def parse_document(text: str):
    """The HTML document's tree (lxml's HTML parser, which mends broken markup as browsers do),
    or ImportRefused."""
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        return lxml_html.document_fromstring(text)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        raise ImportRefused(
            "The file could not be read as HTML. Please download it from AO3 again.",
            field="file",
        ) from None


def looks_like_download(text: str) -> bool:
    """A cheap first look: only a file saying this is read as an AO3 download."""
    return "posted originally on" in text[:20_000].lower() or 'id="preface"' in text[:20_000]


def read_download(root, *, keep_classes: bool = True) -> ImportedWork | None:
    """The work in an AO3 download's tree; None when the document is not one at all, and
    ImportRefused when it is one that is broken (its tags or its chapters missing).

    `keep_classes=False` drops the class attributes of the creators' text: in an EPUB they are
    Calibre's own ("calibre5", or any name it reused), not the creator's."""
    work = ImportedWork()
    reader = _Reader(work, keep_classes=keep_classes)
    body = root.find("body")
    reader.walk(body if body is not None else root)
    if not (reader.saw_preface or reader.saw_message):
        return None
    if not reader.saw_tags:
        if not reader.saw_message:
            return None
        raise ImportRefused(
            "The file looks like an AO3 download, but its list of tags (rating, fandoms, …) "
            "is missing, so it cannot be imported. Please download the work from AO3 again.",
            field="file",
        )
    if not work.chapters or all(chapter.text is None for chapter in work.chapters):
        raise ImportRefused(
            "The file looks like an AO3 download, but no chapter text was found in it (the "
            "file may have been cut short). Please download the work from AO3 again.",
            field="file",
        )
    for chapter in work.chapters:
        if not (chapter.text or "").strip():
            raise ImportRefused(
                f"{_chapter_name(chapter)} has no text, so the work cannot be imported. "
                "Please check the file, or download the work from AO3 again.",
                field="file",
            )
    return work


def _chapter_name(chapter: ImportedChapter) -> str:
    name = f"Chapter {chapter.position}"
    return f"{name} (“{chapter.title}”)" if chapter.title else name


# --- What the work's fields become -----------------------------------------------------------


def find_ao3_language(name: str) -> str | None:
    """The language code for AO3's language name, which is the language's own ("Español",
    "日本語") or English; None when Ficshelf has no such language."""
    wanted = " ".join(name.casefold().split())
    known = {code for code, _ in LANGUAGES}
    for code, english in LANGUAGES:
        if wanted in (code.lower(), english.casefold()):
            return code
    for code, info in LANG_INFO.items():
        if code in known and wanted in (
            info.get("name_local", "").casefold(),
            info.get("name", "").casefold(),
        ):
            return code
    return None


def pick_rating(work: ImportedWork) -> tuple[str | None, list[str]]:
    """(rating value or None for Not Rated, warnings for the importer)."""
    told = []
    found = [(name, find_rating(name)) for name in work.rating]
    known = [value for _, value in found if value]
    for name, value in found:
        if value is None:
            told.append(f"“{name}” is not a rating Ficshelf knows, so the work is Not Rated.")
    if len(known) > 1:
        told.append(f"The file gives {len(known)} ratings; the first, “{work.rating[0]}”, is used.")
    return (known[0] if known else None), told


# Names older downloads show (AO3 renamed these warnings).
_OLD_WARNINGS = {
    "choose not to use archive warnings": "Creator Chose Not To Use Archive Warnings",
    "underage": "Underage Sex",
}


def sort_tags(work: ImportedWork) -> tuple[list[str], list[str], list[str], list[str]]:
    """(archive warnings, categories, additional tags, warnings for the importer): a warning or
    category Ficshelf does not know becomes an additional tag, as the text importer does."""
    warnings, categories, freeforms, told = [], [], list(work.freeforms), []
    for name in work.warnings:
        if found := find_archive_warning(_OLD_WARNINGS.get(name.casefold(), name)):
            warnings.append(found)
        else:
            freeforms.append(name)
            told.append(
                f"“{name}” is not an archive warning, so it was added as an additional tag."
            )
    for name in work.categories:
        if found := find_category(name):
            categories.append(found)
        else:
            freeforms.append(name)
            told.append(f"“{name}” is not a category, so it was added as an additional tag.")
    return (
        list(dict.fromkeys(warnings)),
        list(dict.fromkeys(categories)),
        list(dict.fromkeys(freeforms)),
        told,
    )


def credit_html(work: ImportedWork) -> str:
    """The notes' first paragraphs: who wrote the work, where and when it was first posted, and
    its series there. The importer is the work's creator here; these say whose it was."""
    archive = work.archive_name or "AO3"
    if archive.casefold() == "archive of our own":
        archive = "AO3"
    names = ", ".join(html.escape(name) for name in work.creators) or "an unnamed creator"
    line = f"Originally posted on {html.escape(archive)} by {names}"
    if work.published:
        line += f" on {html.escape(work.published)}"
    if work.url.startswith(("https://", "http://")):
        address = html.escape(work.url)
        line += f' at <a href="{address}">{address}</a>'
    parts = [f"<p>{line}.</p>"]
    for position, title, url in work.series:
        part = f"Part {html.escape(position)} of " if position else ""
        named = f"“{html.escape(title)}”"
        if url.startswith(("https://", "http://")):
            named = f'<a href="{html.escape(url)}">{named}</a>'
        parts.append(f"<p>{part}the series {named} on {html.escape(archive)}.</p>")
    parts.extend(f"<p>{html.escape(line)}</p>" for line in work.other)
    return "".join(parts)
