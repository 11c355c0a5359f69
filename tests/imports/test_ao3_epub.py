"""Importing a work from AO3's EPUB download: Calibre's book made from AO3's HTML download."""

import io
import shutil
import subprocess
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from ebooklib import epub

from ficshelf.imports.models import WorkImport
from ficshelf.userstuff.paragraphs import strip_paragraph_ids
from ficshelf.works.models import Work

from .test_ao3_html import ONE_SHOT, THREE_CHAPTERS, names

pytestmark = pytest.mark.django_db

EBOOK_CONVERT = shutil.which("ebook-convert")


def _page(title: str, body: str) -> str:
    return (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n<head>\n'
        f"<title>{title}</title>\n"
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>\n'
        '<link rel="stylesheet" type="text/css" href="stylesheet.css"/>\n</head>\n'
        f'<body class="calibre">\n{body}\n</body>\n</html>\n'
    )


def _renamed(html: str) -> str:
    # Calibre renames the classes it styles and gives paragraphs classes of its own.
    return (
        html.replace('class="userstuff"', 'class="userstuff1"')
        .replace('class="meta"', 'class="calibre1"')
        .replace("<p>", '<p class="calibre5">')
        .replace("<em>", '<em class="calibre6">')
    )


def calibre_pages(document: str) -> list[str]:
    """The pages Calibre splits AO3's HTML download into: the preface in two, one a chapter
    (each inside a copy of the <div id="chapters"> around it), the afterword."""
    body = document.partition("<body>")[2].rpartition("</body>")[0]
    preface, _, rest = body.partition('<div id="chapters" class="userstuff">')
    chapters, _, afterword = rest.rpartition('<div id="afterword">')
    tags, _, byline = preface.partition("<h1>")
    pages = [
        tags + "</div></div>",
        '<div id="preface" class="calibre1"><div class="calibre1"><h1 class="calibre4">' + byline,
    ]
    wrapper = '<div id="chapters" class="userstuff1">\n'
    parts = chapters.split('<div class="meta group">')
    if len(parts) == 1:
        pages.append(wrapper + chapters)
    for number, part in enumerate(parts[1:], 1):
        closing = "" if number == len(parts) - 1 else "</div>"
        pages.append(wrapper + '<div class="calibre1">' + part + closing)
    pages.append('<div id="afterword" class="calibre1">' + afterword)
    return [_renamed(page) for page in pages]


def calibre_style_epub(
    document: str, *, publisher: str = "Archive of Our Own", extra: dict | None = None
) -> bytes:
    """An EPUB shaped as the ones AO3 serves (Calibre's EPUB 2: OPF and NCX at the root, the
    download split into pages), built here so the tests need no Calibre."""
    pages = calibre_pages(document)
    stem = "The_TideClocks_Ledger"
    files = {f"{stem}_split_{index:03d}.xhtml": _page("Title", page) for index, page in
             enumerate(pages)}  # fmt: skip
    manifest = "".join(
        f'<item id="html{index}" href="{name}" media-type="application/xhtml+xml"/>'
        for index, name in enumerate(files)
    )
    spine = "".join(f'<itemref idref="html{index}"/>' for index in range(len(files)))
    opf = (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uuid_id">'
        '<metadata xmlns:opf="http://www.idpf.org/2007/opf" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>The Tide-Clock's Ledger</dc:title><dc:language>en</dc:language>"
        '<dc:creator opf:role="aut">Quill (inkwell), moth_lamp</dc:creator>'
        '<dc:identifier id="uuid_id" opf:scheme="uuid">1d2c5a1e-0000-4000-8000-000000000001'
        f"</dc:identifier><dc:publisher>{publisher}</dc:publisher>"
        '<meta name="calibre:series" content="Fog Over Baker Street"/>'
        "<dc:subject>Fanworks</dc:subject></metadata>"
        f'<manifest>{manifest}<item id="ncx" href="toc.ncx" '
        'media-type="application/x-dtbncx+xml"/></manifest>'
        f'<spine toc="ncx">{spine}</spine></package>'
    )
    ncx = (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><head/>'
        "<docTitle><text>The Tide-Clock's Ledger</text></docTitle><navMap>"
        + "".join(
            f'<navPoint id="n{index}" playOrder="{index + 1}"><navLabel><text>Page {index}'
            f'</text></navLabel><content src="{name}"/></navPoint>'
            for index, name in enumerate(files)
        )
        + "</navMap></ncx>"
    )
    container = (
        '<?xml version="1.0"?><container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        '<rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        entries = {"META-INF/container.xml": container, "content.opf": opf, "toc.ncx": ncx}
        entries |= files | (extra or {})
        for name, content in entries.items():
            archive.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "The_TideClocks_Ledger.epub", **fields):
    fields.setdefault("posting", "post")
    return client.post("/works/import", {"file": SimpleUploadedFile(name, data), **fields})


def imported(client, data: bytes, name: str) -> Work:
    response = upload(client, data, name)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return Work.objects.get(pk=int(response["Location"].rsplit("/", 1)[1]))


def snapshot(work: Work) -> dict:
    """Everything an import takes from a download, to compare two imports of one work."""
    return {
        "title": work.title,
        "rating": work.rating,
        "language": work.language,
        "tags": [
            names(tags)
            for tags in (
                work.warnings,
                work.categories,
                work.fandoms,
                work.relationships,
                work.characters,
                work.freeforms,
            )
        ],  # fmt: skip
        "summary": strip_paragraph_ids(work.summary),
        "notes": strip_paragraph_ids(work.notes),
        "end_notes": strip_paragraph_ids(work.end_notes),
        "expected": (work.expected_chapters, work.is_complete),
        "chapters": [
            tuple(
                strip_paragraph_ids(getattr(chapter, name))
                for name in ("title", "summary", "notes", "text", "end_notes")
            )
            for chapter in work.chapters.order_by("position")
        ],
    }


def test_an_ao3_epub_imports_exactly_as_the_html_download_it_was_made_from(author_client):
    from_html = snapshot(imported(author_client, THREE_CHAPTERS.encode(), "ledger.html"))
    from_epub = imported(author_client, calibre_style_epub(THREE_CHAPTERS), "ledger.epub")
    assert snapshot(from_epub) == from_html
    assert len(from_html["chapters"]) == 3
    assert names(from_epub.relationships) == [
        "Sherlock Holmes/John Watson",
        "Mrs. Hudson & John Watson",
    ]
    assert WorkImport.objects.get(work=from_epub).file_format == "ao3_epub"


def test_calibres_class_names_do_not_reach_the_stored_text(author_client):
    work = imported(author_client, calibre_style_epub(THREE_CHAPTERS), "ledger.epub")
    for chapter in work.chapters.all():
        assert "calibre" not in chapter.text and "userstuff1" not in chapter.text


def test_a_one_shot_epub_imports_as_one_chapter(author_client):
    work = imported(author_client, calibre_style_epub(ONE_SHOT), "Salt.epub")
    assert work.title == "Salt"
    assert work.chapters.count() == 1
    assert "kissed her instead" in work.chapters.get().text


def test_an_epub_is_found_by_its_content_whatever_its_name(author_client):
    work = imported(author_client, calibre_style_epub(THREE_CHAPTERS), "download.txt")
    assert work.chapters.count() == 3


@pytest.mark.skipif(EBOOK_CONVERT is None, reason="Calibre's ebook-convert is not installed")
@pytest.mark.parametrize("document", [THREE_CHAPTERS, ONE_SHOT], ids=["chapters", "one-shot"])
def test_an_epub_built_by_calibre_as_ao3_builds_it_imports_like_its_html(
    author_client, tmp_path, document
):
    """otwarchive's DownloadWriter: ebook-convert with its chapter XPaths and options."""
    source = tmp_path / "Work.html"
    source.write_text(document)
    output = tmp_path / "Work.epub"
    chapters = (
        "//h:body/h:div[@id='chapters']/h:h2[@class='toc-heading'] | "
        "//h:body/h:div[@id='chapters']/h:div[@class='meta group']/h:h2[@class='heading'] | "
        "//h:body/h:div[@id='preface' or @id='afterword']/h:h2[@class='toc-heading']"
    )
    subprocess.run(  # noqa: S603 (our own arguments, no shell)
        [EBOOK_CONVERT, str(source), str(output), "--input-encoding", "utf-8",
         "--toc-threshold", "0", "--use-auto-toc", "--title", "Work", "--authors", "Someone",
         "--publisher", "Archive of Our Own", "--language", "en", "--chapter", chapters,
         "--no-default-epub-cover"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    from_epub = snapshot(imported(author_client, output.read_bytes(), "Work.epub"))
    from_html = snapshot(imported(author_client, document.encode(), "Work.html"))
    assert from_epub == from_html


def rebuilt(data: bytes, change) -> bytes:
    """The EPUB with each entry's (name, bytes) passed through `change` (None drops it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if (entry := change(info.filename, source.read(info))) is not None:
                archive.writestr(entry[0], entry[1])
    return buffer.getvalue()


def foreign_epub() -> bytes:
    book = epub.EpubBook()
    book.set_identifier("not-ao3")
    book.set_title("A Novel")
    book.set_language("en")
    chapter = epub.EpubHtml(title="One", file_name="one.xhtml", lang="en")
    chapter.content = "<html><body><h1>One</h1><p>It was a dark and stormy night.</p></body></html>"
    book.add_item(chapter)
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = [chapter]
    buffer = io.BytesIO()
    epub.write_epub(buffer, book)
    return buffer.getvalue()


GOOD = calibre_style_epub(THREE_CHAPTERS)
PAGE = "The_TideClocks_Ledger_split_003.xhtml"


def _flipped(data: bytes) -> bytes:
    # Damage the middle of the compressed pages: the checksum or the inflater catches it.
    start = data.index(PAGE.encode()) + 200
    return data[:start] + bytes(b ^ 0xFF for b in data[start : start + 64]) + data[start + 64 :]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (foreign_epub(), "novel.epub", "This EPUB was not made by AO3"),
        (GOOD[: len(GOOD) // 2], "cut.epub", "The EPUB file is damaged"),
        (_flipped(GOOD), "flipped.epub", "The EPUB file is damaged"),
        (
            rebuilt(
                GOOD, lambda n, b: (n, b"<p>" + b" " * (20 * 1024 * 1024)) if n == PAGE else (n, b)
            ),  # fmt: skip
            "bomb.epub",
            "The EPUB unpacks to more than",
        ),
        (
            calibre_style_epub(THREE_CHAPTERS, extra={"../../etc/cron.d/evil": "x"}),
            "traversal.epub",
            "which points outside the book",
        ),
        (
            calibre_style_epub(THREE_CHAPTERS, extra={"/etc/passwd": "x"}),
            "absolute.epub",
            "which points outside the book",
        ),
        (
            rebuilt(GOOD, lambda n, b: None if n == "META-INF/container.xml" else (n, b)),
            "nocontainer.epub",
            "not an EPUB (it has no META-INF/container.xml)",
        ),
        (
            rebuilt(
                GOOD,
                lambda n, b: (
                    (n, b"<?xml version='1.0'?><package") if n == "content.opf" else (n, b)
                ),
            ),  # fmt: skip
            "badopf.epub",
            "is not well-formed XML",
        ),
        (
            rebuilt(GOOD, lambda n, b: (n, b.replace(b"<dl", b"<ol").replace(b"</dl", b"</ol"))),
            "notags.epub",
            "its list of tags (rating, fandoms, …) is missing",
        ),
        (THREE_CHAPTERS.encode(), "renamed.epub", "is named as an EPUB but is not one"),
        (b"PK\x03\x04" + b"\x00" * 100, "junk.epub", "The EPUB file is damaged"),
    ],
    ids=[
        "foreign",
        "cut-short",
        "flipped-bytes",
        "zip-bomb",
        "traversal",
        "absolute-path",
        "no-container",
        "broken-opf",
        "no-tags",
        "not-a-zip",
        "junk-zip",
    ],  # fmt: skip
)
def test_a_bad_epub_is_refused_on_the_form_and_nothing_is_made(author_client, data, name, message):
    response = upload(author_client, data, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Work.objects.exists()
    assert not WorkImport.objects.exists()


def test_entity_expansion_in_the_epubs_xml_is_not_performed(author_client):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        b'<rootfile full-path="&c;"/></rootfiles></container>'
    )
    data = rebuilt(GOOD, lambda n, b: (n, laughs) if n == "META-INF/container.xml" else (n, b))
    response = upload(author_client, data, "laughs.epub")
    assert response.status_code == 400
    assert "The EPUB file is damaged" in response.content.decode()


def test_an_epub_over_the_size_limit_is_refused_before_it_is_read(author_client):
    response = upload(author_client, GOOD + b"\x00" * (10 * 1024 * 1024), "huge.epub")
    assert response.status_code == 400
    assert "Ficshelf imports files of up to 10 MiB" in response.content.decode()


def test_ficshelfs_own_epub_download_imports_back_as_the_same_work(author_client):
    from ficshelf.downloads.books import build_epub

    original = imported(author_client, GOOD, "ledger.epub")
    copy = imported(author_client, build_epub(original), "ours.epub")
    mine, theirs = snapshot(copy), snapshot(original)
    assert mine.pop("notes").startswith("<p>Originally posted on Ficshelf by author on ")
    theirs.pop("notes")
    assert mine == theirs


def test_the_import_command_imports_an_ao3_epub_and_refuses_a_foreign_one(author, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    good, foreign = tmp_path / "ledger.epub", tmp_path / "novel.epub"
    good.write_bytes(GOOD)
    foreign.write_bytes(foreign_epub())
    call_command("import_work", str(good), "--as", "author", stdout=StringIO())
    assert Work.objects.get().chapters.count() == 3
    with pytest.raises(CommandError, match="This EPUB was not made by AO3"):
        call_command("import_work", str(foreign), "--as", "author", stdout=StringIO())
    assert Work.objects.count() == 1
