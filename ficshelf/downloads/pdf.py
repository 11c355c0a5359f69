"""The PDF download: the HTML download printed by WeasyPrint (its print layout is in
`books.PRINT_STYLESHEET`).

Chapter text is creators' HTML, and a PDF renderer fetches what a page points at: pictures,
stylesheets, fonts, attachments. The sanitizer already keeps only http(s) pictures, but the
renderer must not depend on that: `StaticFilesOnly` fetches nothing but the archive's own static
files, read from disk (never over the network, not even from the archive's own host), so a
picture on another server, on 127.0.0.1 or in `file:///etc/` is left out (its alt text shows),
and building a PDF never makes a request.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ficshelf.works.models import Work

from .books import build_html

REFUSED = "not one of the archive's static files"


def _not_refused(record: logging.LogRecord) -> bool:
    # WeasyPrint logs an error for every resource it was refused: a work with a hundred remote
    # pictures would fill the worker's log with what is the intended behaviour.
    return REFUSED not in record.getMessage()


logging.getLogger("weasyprint").addFilter(_not_refused)
# Its rendering steps, logged at INFO for every file, are noise in a worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class NotFetched(ValueError):
    """A URL that is not one of the archive's static files."""


def _static_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT), *(Path(d) for d in settings.STATICFILES_DIRS)]
    return [root.resolve() for root in roots]


def _within_static(path: Path) -> Path | None:
    """`path` with links and `..` resolved, if it is a file under a static folder."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_file():
        return None
    if not any(resolved.is_relative_to(root) for root in _static_roots()):
        return None
    return resolved


def _static_prefixes() -> list[str]:
    static_url = settings.STATIC_URL
    if urlsplit(static_url).scheme:  # static files served from elsewhere (a CDN)
        return [static_url]
    site = settings.SITE_URL.rstrip("/")
    return [f"{site}/{static_url.lstrip('/')}"]


def static_file(url: str) -> Path | None:
    """The archive's static file that `url` names, on disk; None for anything else."""
    if url.lower().startswith("file:"):
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        return _within_static(Path(url2pathname(parts.path)))
    for prefix in _static_prefixes():
        if url.startswith(prefix):
            name = unquote(urlsplit(url[len(prefix) :]).path)
            try:
                found = finders.find(name) if name else None
            except (SuspiciousFileOperation, ValueError):  # a path out of the static folders
                return None
            if isinstance(found, list):
                found = found[0] if found else None
            candidate = Path(found) if found else Path(settings.STATIC_ROOT) / name
            return _within_static(candidate)
    return None


class StaticFilesOnly(URLFetcher):
    """WeasyPrint's fetcher, allowed only the archive's static files, which it reads itself."""

    def __init__(self):
        super().__init__(timeout=1, allowed_protocols=(), allow_redirects=False)

    def fetch(self, url, headers=None):
        path = static_file(url)
        if path is None:
            raise NotFetched(f"{REFUSED}: {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


# A paperback's page, comfortable on a tablet or an e-reader as well as on paper. A user
# stylesheet: a page's own @page size (none in ours) would win.
PAGE_SIZE = "@page { size: A5; }"


def render_pdf(html: str) -> bytes:
    """`html` printed as a PDF, with nothing fetched but the archive's static files."""
    base_url = settings.SITE_URL.rstrip("/") + "/"
    fetcher = StaticFilesOnly()
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[CSS(string=PAGE_SIZE, url_fetcher=fetcher)])


def build_pdf(work: Work) -> bytes:
    """The work as a PDF: the HTML download's title page, contents and chapters, printed."""
    return render_pdf(build_html(work).decode())
