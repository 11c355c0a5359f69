"""Reading an AO3 EPUB: the pages Calibre made from AO3's HTML download, put back together in
reading order and read as that download is (`imports.ao3`).

An EPUB is a zip archive, so it is read with limits on what it may hold before anything is
unpacked: how many entries, how large each unpacks and how large all of them unpack (a "zip
bomb" is refused at the limit, however small it is packed), and only the entries the book's
own index names are read at all. Nothing is ever written to disk. XML is parsed without
entities, DTDs or network access.
"""

import io
import posixpath
import zipfile
import zlib
from urllib.parse import unquote, urldefrag

from lxml import etree
from lxml import html as lxml_html

from .ao3 import ImportedWork, parse_document, read_download
from .parsing import ImportRefused, decode

ENTRIES_MAX = 2_000
ENTRY_BYTES_MAX = 16 * 1024 * 1024
UNPACKED_BYTES_MAX = 48 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
EPUB_MIMETYPE = b"application/epub+zip"

_CONTAINER = "META-INF/container.xml"
_XHTML_TYPES = {"application/xhtml+xml", "text/html"}
_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_XML = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)


def is_epub(data: bytes) -> bool:
    """A zip archive whose first entry says it is an EPUB, as the format requires."""
    return data.startswith(ZIP_MAGIC) and EPUB_MIMETYPE in data[:200]


def _refusal(message: str) -> ImportRefused:
    return ImportRefused(message, field="file")


_DAMAGED = (
    "The EPUB file is damaged ({why}), so it cannot be read. Please download the work from AO3 "
    "again."
)
_NOT_AO3 = (
    "This EPUB was not made by AO3 (or another archive running AO3's software): Ficshelf "
    "imports an EPUB only when it is an AO3 download. For another book, import its text as a "
    "plain-text, HTML or Markdown file."
)


def _safe_name(name: str) -> bool:
    parts = name.split("/")
    return not (
        name.startswith("/") or "\\" in name or ":" in parts[0] or ".." in parts or "\x00" in name
    )


class _Book:
    """The archive's entries, read once each within the limits."""

    def __init__(self, data: bytes):
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            infos = self.archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
            raise _refusal(_DAMAGED.format(why=_why(error))) from None
        if len(infos) > ENTRIES_MAX:
            raise _refusal(
                f"The EPUB holds {len(infos):,} files; an AO3 download holds a few dozen. "
                "It cannot be imported."
            )
        for info in infos:
            if not _safe_name(info.filename):
                raise _refusal(
                    f"The EPUB holds a file named “{info.filename[:80]}”, which points outside "
                    "the book. AO3 never makes such files, so it cannot be imported."
                )
        self.names = {info.filename: info for info in infos}
        self.unpacked = 0

    def read(self, name: str) -> bytes:
        info = self.names.get(name)
        if info is None:
            raise _refusal(_DAMAGED.format(why=f"“{name[:80]}” is missing from it"))
        if info.flag_bits & 0x1:
            raise _refusal("The EPUB is encrypted, so it cannot be read.")
        # Read at most one byte past what is allowed: the sizes an entry declares can lie.
        allowed = min(ENTRY_BYTES_MAX, UNPACKED_BYTES_MAX - self.unpacked)
        try:
            with self.archive.open(info) as entry:
                content = entry.read(allowed + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
                ValueError, OSError) as error:  # fmt: skip
            raise _refusal(_DAMAGED.format(why=_why(error))) from None
        if len(content) > allowed:
            raise _refusal(
                "The EPUB unpacks to more than "
                f"{UNPACKED_BYTES_MAX // 1024 // 1024} MiB (or one of its files to more than "
                f"{ENTRY_BYTES_MAX // 1024 // 1024} MiB), far more than any AO3 download. "
                "It cannot be imported."
            )
        self.unpacked += len(content)
        return content

    def xml(self, name: str):
        try:
            return etree.fromstring(self.read(name), _XML)
        except etree.XMLSyntaxError:
            raise _refusal(_DAMAGED.format(why=f"“{name[:80]}” is not well-formed XML")) from None


def _why(error: Exception) -> str:
    text = str(error).strip().rstrip(".")
    return text[:120] if text else type(error).__name__


def _spine(book: _Book) -> tuple[list[str], str]:
    """The pages in reading order (entry names), and the book's publisher."""
    container = book.xml(_CONTAINER)
    rootfile = container.find(".//c:rootfile", _NS)
    path = (rootfile.get("full-path") or "") if rootfile is not None else ""
    if not path or not _safe_name(path):
        raise _refusal(_DAMAGED.format(why="its container names no package file"))
    package = book.xml(path)
    base = posixpath.dirname(path)
    manifest = {item.get("id"): item for item in package.iterfind(".//opf:manifest/opf:item", _NS)}
    pages = []
    for itemref in package.iterfind(".//opf:spine/opf:itemref", _NS):
        item = manifest.get(itemref.get("idref"))
        if item is None or item.get("media-type") not in _XHTML_TYPES:
            continue
        href = unquote(urldefrag(item.get("href") or "").url)
        name = posixpath.normpath(posixpath.join(base, href)) if href else ""
        if not name or not _safe_name(name) or name.startswith("../"):
            raise _refusal(_DAMAGED.format(why="its index names a page outside the book"))
        pages.append(name)
    publisher = package.findtext(".//dc:publisher", default="", namespaces=_NS)
    return pages, " ".join(publisher.split())


def _reading_order(book: _Book, pages: list[str], warnings: list[str]):
    """One HTML document holding every page's body in reading order."""
    combined = lxml_html.document_fromstring("<html><body></body></html>")
    body = combined.find("body")
    told = set()
    for name in dict.fromkeys(pages):
        try:
            text, page_warnings = decode(book.read(name))
        except ImportRefused as refusal:
            if "EPUB" in refusal.message:
                raise
            raise _refusal(_DAMAGED.format(why=f"its page “{name[:80]}” is not text")) from None
        for warning in page_warnings:
            if warning not in told:
                told.add(warning)
                warnings.append(warning)
        page = parse_document(text).find("body")
        if page is None:
            continue
        for child in list(page):
            body.append(child)
    return combined


def read_ao3_epub(data: bytes) -> tuple[ImportedWork, list[str]]:
    """The work in an AO3 EPUB download, and warnings for the importer; ImportRefused for a
    damaged or hostile archive, or an EPUB AO3 did not make."""
    if not data.startswith(ZIP_MAGIC):
        raise _refusal(
            "The file is named as an EPUB but is not one (an EPUB is a zip archive). "
            "Please download the work from AO3 again."
        )
    book = _Book(data)
    if _CONTAINER not in book.names:
        raise _refusal(
            "The file is a zip archive but not an EPUB (it has no META-INF/container.xml)."
        )
    pages, publisher = _spine(book)
    if not pages:
        raise _refusal(_DAMAGED.format(why="its index lists no pages"))
    warnings: list[str] = []
    root = _reading_order(book, pages, warnings)
    work = read_download(root, keep_classes=False)
    if work is None:
        raise _refusal(_NOT_AO3)
    if not work.archive_name and publisher:
        work.archive_name = publisher
    return work, warnings
