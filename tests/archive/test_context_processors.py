"""Every page says the archive's name (settings.SITE_NAME), never the host it was asked for."""

import re

import pytest
from django.test import override_settings

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def title_and_header(response) -> tuple[str, str]:
    html = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    header = re.search(r'<p class="site-name"><a href="/">(.*?)</a></p>', html).group(1)
    return title, header


@override_settings(SITE_NAME="Night Shift Archive")
@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/users/login", "Log in"),
        ("/users/password/reset", "Reset your password"),
        ("/users/password/reset/done", None),
        ("/users/password/reset/complete", None),
        ("/users/password/reset/MQ/not-a-token", None),
        ("/", "Home"),
        ("/works/", None),
    ],
)
def test_log_in_and_password_pages_carry_the_archive_name_not_the_host(client, path, title):
    response = client.get(path)
    assert response.status_code == 200
    page_title, header = title_and_header(response)
    assert header == "Night Shift Archive"
    assert page_title.endswith("| Night Shift Archive")
    if title:
        assert page_title == f"{title} | Night Shift Archive"
    assert "testserver" not in page_title + header


@override_settings(SITE_NAME="Night Shift Archive")
def test_password_change_pages_carry_the_archive_name(author_client):
    for path in ("/users/password/change", "/users/password/change/done"):
        page_title, header = title_and_header(author_client.get(path))
        assert header == "Night Shift Archive"
        assert page_title.endswith("| Night Shift Archive")


@override_settings(SITE_NAME="Night Shift Archive")
def test_the_page_after_logging_in_carries_the_archive_name(client, author):
    response = client.post(
        "/users/login", {"username": author.username, "password": PASSWORD}, follow=True
    )
    assert title_and_header(response)[1] == "Night Shift Archive"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=16 * 1024 * 1024)
def test_pages_tell_the_browser_the_largest_post_the_archive_takes(client):
    html = client.get("/").content.decode()
    assert '<meta name="ficshelf-upload-limit" content="16777216">' in html


def test_pages_load_the_site_script_and_turn_off_htmx_inline_styles(client):
    html = client.get("/").content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false}\'>' in html
    # The config must come before htmx reads it.
    assert html.index('name="htmx-config"') < html.index("htmx-2.min.js")
    assert '<script src="/static/js/ficshelf.js" defer></script>' in html
    assert '<script src="/static/js/paste.js" defer></script>' in html
    assert "<script>" not in html  # no inline scripts: the CSP would block them
