"""Static files: served as they are until collectstatic has run; then by their hashed names,
compressed, kept by browsers for ever."""

import gzip
import os

import pytest
from django.core.management import call_command
from django.test import Client

from ficshelf import settings as project_settings

pytestmark = pytest.mark.django_db


def _stylesheet(page: str) -> str:
    """The URL of the archive's own stylesheet on a page."""
    start = page.index('href="/static/css/ficshelf') + len('href="')
    return page[start : page.index('"', start)]


def test_before_collectstatic_pages_name_the_files_as_they_are(client):
    assert _stylesheet(client.get("/").content.decode()).startswith("/static/css/")
    assert client.get("/static/css/ficshelf.css").status_code == 200


def test_after_collectstatic_pages_name_hashed_compressed_files_kept_for_ever(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.WHITENOISE_USE_FINDERS = False  # as in production once collected
    call_command("collectstatic", "--no-input", verbosity=0)
    assert project_settings._collected(settings.STATIC_ROOT, settings.STATICFILES_DIRS)
    settings.STATIC_COLLECTED = True

    client = Client()  # a new server: WhiteNoise reads STATIC_ROOT when it starts
    url = _stylesheet(client.get("/").content.decode())
    assert url != "/static/css/ficshelf.css" and url.startswith("/static/css/ficshelf.")
    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    body = gzip.decompress(b"".join(response.streaming_content))
    assert body == (settings.STATICFILES_DIRS[0] / "css" / "ficshelf.css").read_bytes()


def test_a_static_file_changed_since_collectstatic_is_served_as_it_is(tmp_path):
    sources, collected = tmp_path / "static", tmp_path / "collected"
    sources.mkdir()
    collected.mkdir()
    (sources / "ficshelf.css").write_text("body {}")
    (collected / "staticfiles.json").write_text("{}")
    assert project_settings._collected(collected, [sources])
    later = (collected / "staticfiles.json").stat().st_mtime + 10
    os.utime(sources / "ficshelf.css", (later, later))
    assert not project_settings._collected(collected, [sources])
    assert not project_settings._collected(tmp_path / "never", [sources])
