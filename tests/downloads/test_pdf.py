"""The PDF download: the HTML download printed, which fetches nothing from anywhere while it is
made, whatever a chapter points at."""

import http.server
import threading

import pytest
from django.conf import settings
from django.urls import reverse

from ficshelf.downloads import files
from ficshelf.downloads.pdf import StaticFilesOnly, build_pdf, render_pdf, static_file
from ficshelf.downloads.views import download_name
from ficshelf.works.services import ChapterContent, WorkMetadata, edit_chapter, update_work
from tests.factories import make_work

from .conftest import pdf_attachments, pdf_text

pytestmark = pytest.mark.django_db


def url(work, extension="pdf"):
    kwargs = {"work_id": work.pk, "slug": download_name(work), "extension": extension}
    return reverse("downloads:download", kwargs=kwargs)


def downloaded(client, work, extension="pdf") -> bytes:
    response = client.get(url(work, extension))
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


class RecordingServer:
    """An HTTP server on 127.0.0.1 that answers everything and writes down what it was asked."""

    def __init__(self):
        self.requests: list[str] = []
        recorded = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802  (http.server's name)
                recorded.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"p { color: red }")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server():
    with RecordingServer() as recording:
        yield recording


def hostile_page(origin: str) -> str:
    """Every way an HTML page makes a PDF renderer fetch something (each is fetched by
    WeasyPrint's own default fetcher: a page that leaks /etc/passwd as an attachment)."""
    return f"""<!DOCTYPE html><html><head><title>Hostile</title>
<link rel="stylesheet" href="{origin}/style.css">
<link rel="stylesheet" href="{origin}/static/css/ficshelf.css">
<link rel="attachment" href="file:///etc/passwd">
<style>@import url("{origin}/import.css");
@font-face {{ font-family: Remote; src: url({origin}/font.woff); }}
body {{ background: url("{origin}/background.png"); }} p {{ font-family: Remote, serif; }}</style>
</head><body>
<p>Before the pictures.</p>
<img src="{origin}/picture.png" alt="a remote picture">
<img src="file:///etc/passwd" alt="the password file">
<img src="//127.0.0.1:{origin.rsplit(":", 1)[1]}/protocol-relative.png">
<img src="relative.png"><img src="data:image/png;base64,iVBORw0KGgo=">
<object data="{origin}/object.png"></object><embed src="{origin}/embed.png">
<iframe src="{origin}/frame.html"></iframe>
<svg width="20" height="20"><image href="{origin}/svg.png" width="10" height="10"/></svg>
<div style="background-image: url({origin}/inline.png)">Styled.</div>
<a rel="attachment" href="file:///etc/hostname">Attached.</a>
<a rel="attachment" href="{origin}/attachment.txt">Attached again.</a>
<p>After the pictures.</p>
</body></html>"""


def test_a_pdf_fetches_nothing_even_from_the_archives_own_host(server, settings, tmp_path):
    """Printed without the sanitizer in front: the fetcher alone keeps every request in."""
    settings.SITE_URL = server.origin  # the recording server is the archive's own host
    data = render_pdf(hostile_page(server.origin))
    assert data.startswith(b"%PDF-")
    assert server.requests == []
    text = pdf_text(data, tmp_path)
    assert "Before the pictures." in text and "After the pictures." in text
    assert "a remote picture" in text  # a picture left out shows its alt text
    assert "root:" not in text
    assert pdf_attachments(data, tmp_path) == 0


def test_a_chapter_pointing_at_other_servers_and_files_makes_a_pdf_that_fetched_nothing(
    client, server, tmp_path
):
    origin = server.origin
    text = f"""<p>Opening line.</p>
<p><img src="{origin}/tracker.png" alt="a tracking pixel"><img src="file:///etc/passwd"></p>
<p style="background: url({origin}/style-attribute.png)">Styled paragraph.</p>
<style>@import url({origin}/import.css);</style><link rel="stylesheet" href="{origin}/x.css">
<p><a rel="attachment" href="file:///etc/passwd">A link.</a></p>
<object data="{origin}/object.png"></object><p>Closing line.</p>"""
    work = make_work(title="Pictures Elsewhere", text=text, summary=f'<img src="{origin}/s.png">')
    data = downloaded(client, work)
    assert server.requests == []
    extracted = pdf_text(data, tmp_path)
    assert "Opening line." in extracted and "Closing line." in extracted
    assert "root:" not in extracted
    assert pdf_attachments(data, tmp_path) == 0


def test_the_fetcher_reads_only_files_in_the_static_folders(settings, tmp_path):
    site = settings.SITE_URL.rstrip("/")
    css = static_file(f"{site}/static/css/ficshelf.css")
    assert css is not None and css.name == "ficshelf.css"
    assert StaticFilesOnly().fetch(f"{site}/static/css/ficshelf.css").read() == css.read_bytes()
    static_dir = settings.STATICFILES_DIRS[0]
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (tmp_path / "static-link").mkdir()
    for refused in (
        "file:///etc/passwd",
        f"file://{outside}",
        f"file://{static_dir}/../pyproject.toml",
        f"file://otherhost{static_dir}/css/ficshelf.css",
        f"{site}/static/../../pyproject.toml",
        f"{site}/static/%2e%2e/%2e%2e/pyproject.toml",
        f"{site}/static//etc/passwd",
        f"{site}/works/1",
        "http://example.org/static/css/ficshelf.css",
        "data:text/plain,hello",
    ):
        assert static_file(refused) is None, refused
        with pytest.raises(ValueError):
            StaticFilesOnly().fetch(refused)


def test_a_work_downloads_as_a_pdf_with_its_title_page_contents_and_a_page_per_chapter(
    client, author, tmp_path
):
    work = make_work(author, title="Quiet Hours", chapters=3, summary="<p>Night shift.</p>")
    response = client.get(url(work))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="quiet-hours.pdf"'
    data = b"".join(response.streaming_content)
    pages = pdf_text(data, tmp_path).split("\f")[:-1]
    title_page = pages[0]
    assert "Quiet Hours" in title_page and f"by {author.default_pseud}" in title_page
    assert "Law & Order: Special Victims Unit" in title_page and "Night shift." in title_page
    assert "Chapter 2: Part 2" in pages[1]  # the contents
    # Each chapter starts a page of its own, numbered at its foot.
    chapter_pages = [page for page in pages if "text." in page]
    assert len(chapter_pages) == 3
    assert "The first chapter's text." in chapter_pages[0]
    assert "Chapter 3 text." in chapter_pages[2]
    assert str(pages.index(chapter_pages[2]) + 1) in chapter_pages[2].split()


def test_a_pdf_names_only_fonts_that_debian_installs():
    from ficshelf.downloads.books import PRINT_STYLESHEET

    assert "@font-face" not in PRINT_STYLESHEET and "url(" not in PRINT_STYLESHEET
    assert "DejaVu Serif" in PRINT_STYLESHEET


TITLES = [
    "AC/DC and a slash / or two",
    "She said \"hello\" & 'goodbye'",
    "שלום עולם — a title in Hebrew",
    "مرحبا بالعالم",
    "🦊 Foxes 🏳️‍🌈 all the way down 🦊",
    ("Z̷̢̛a" + "\u0300\u0301\u0302\u0303\u0304" * 10) * 4 + "lgo",
]


@pytest.mark.parametrize("title", TITLES)
def test_any_title_makes_a_pdf_with_a_safe_file_name(client, title, tmp_path):
    zalgo = "".join(chr(0x0300 + n % 0x6F) for n in range(500))
    work = make_work(title=title, text=f"<p>Z{zalgo}algo in the text. שלום and 🦊.</p>")
    response = client.get(url(work))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and disposition.endswith('.pdf"')
    name = disposition.removeprefix('attachment; filename="').removesuffix('.pdf"')
    assert name and all(c.isascii() and (c.isalnum() or c == "-") for c in name)
    text = pdf_text(b"".join(response.streaming_content), tmp_path)
    assert "in the text." in text  # (a reader extracts Zalgo out of order)
    if title.isascii():
        assert title.split()[0] in text


def test_a_chapter_of_broken_html_still_prints(client, tmp_path):
    from .test_books import HOSTILE

    work = make_work(title='Broken "HTML" & <friends>', text=HOSTILE, notes="<p>Notes<br>")
    text = pdf_text(downloaded(client, work), tmp_path)
    assert 'Broken "HTML" & <friends>' in text
    assert "Block in span" in text and "Centred" in text and "still italic?" in text


def test_a_pdf_is_never_stale_after_an_edit_even_one_made_while_it_was_built(
    client, author, tmp_path
):
    work = make_work(author, title="Quiet Hours")
    asked_before_the_edit = type(work).objects.get(pk=work.pk)
    edit_chapter(
        chapter=work.chapters.get(),
        editor=author,
        content=ChapterContent(text="<p>A rewritten chapter.</p>"),
    )
    # A request that read the work before the edit builds after it: its file holds the newer
    # text (under the older revision's name), never the older text under the newer name.
    files.download_file(asked_before_the_edit, "pdf").close()
    text = pdf_text(files.path_for(asked_before_the_edit, "pdf").read_bytes(), tmp_path)
    assert "A rewritten chapter." in text
    work.refresh_from_db()
    assert work.content_version > asked_before_the_edit.content_version
    text = pdf_text(downloaded(client, work), tmp_path)
    assert "A rewritten chapter." in text and "The first chapter's text." not in text
    assert not files.path_for(asked_before_the_edit, "pdf").exists()  # the older name is gone

    update_work(work=work, editor=author, metadata=_retitled(work, "Loud Hours"))
    work.refresh_from_db()
    assert "Loud Hours" in pdf_text(downloaded(client, work), tmp_path)


def _retitled(work, title: str) -> WorkMetadata:
    return WorkMetadata(
        title=title,
        fandoms=[tag.name for tag in work.fandoms],
        rating=work.rating,
        warnings=[tag.name for tag in work.warnings],
    )


def test_a_long_works_pdf_is_built_in_the_background_sooner_than_its_epub(
    client, author, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(files, "LONG_PDF_WORDS", 3)
    work = make_work(author, title="Epic", text="<p>Many many words here.</p>")
    with django_capture_on_commit_callbacks(execute=False) as asked:
        response = client.get(url(work))
        assert client.get(url(work, "epub")).status_code == 200  # printing is the slow one
    assert response.status_code == 202
    assert "is being prepared" in response.content.decode()
    assert not files.is_built(work, "pdf")
    asked[0]()
    response = client.get(url(work))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_work_page_links_to_the_pdf(client):
    work = make_work(title="Quiet Hours")
    page = client.get(work.get_absolute_url()).content.decode()
    assert f'href="{url(work)}"' in page and ">PDF</a>" in page


def test_build_pdf_reads_the_work_afresh(author, tmp_path):
    work = make_work(author, title="Fresh")
    stale = type(work).objects.get(pk=work.pk)
    update_work(work=work, editor=author, metadata=_retitled(work, "Fresher"))
    assert "Fresher" in pdf_text(build_pdf(stale), tmp_path)
    assert settings.SITE_URL  # the title page's link back


def test_a_pdf_that_cannot_be_made_is_a_clear_error_not_a_500(client, monkeypatch):
    """Whatever breaks in a builder (here WeasyPrint, made to fail), the reader is told."""
    import weasyprint

    attempts = []

    def broken(self, *args, **kwargs):
        attempts.append(self)
        raise RuntimeError("layout failed")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    work = make_work(title="Unprintable")
    for _ in range(2):  # the second request is answered from the mark, without a build
        response = client.get(url(work))
        assert response.status_code == 503
        assert "could not be made" in response.content.decode()
        assert url(work, "epub") in response.content.decode()
    assert len(attempts) == 1
    assert "RuntimeError: layout failed" in files.failed_marker(work, "pdf").read_text()
    assert client.get(url(work, "epub")).status_code == 200
