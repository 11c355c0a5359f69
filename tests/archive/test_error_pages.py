"""With DEBUG off, errors get the archive's own pages: what happened, what to do, a way home."""

from urllib.parse import urlencode

import pytest
from django.test import Client, override_settings

from ficshelf.works.models import Work


@pytest.fixture(autouse=True)
def debug_off():
    """As on a public archive (pytest-django turns DEBUG off too; this says so)."""
    with override_settings(DEBUG=False):
        yield


@pytest.mark.django_db
def test_a_missing_page_says_so_and_links_home(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Page not found | Ficshelf</title>" in html
    assert '<p class="site-name"><a href="/">Ficshelf</a></p>' in html
    assert "There is nothing at this address" in html
    assert '<a href="/">Go to the home page</a>' in html


@pytest.mark.django_db
def test_a_missing_work_gets_the_same_page(client):
    response = client.get("/works/987654")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.archive.urls")
def test_a_forbidden_page_gives_the_reason_and_offers_to_log_in(client):
    response = client.get("/test/forbidden")
    assert response.status_code == 403
    html = response.content.decode()
    assert "<title>Not allowed | Ficshelf</title>" in html
    assert "Only the work&#x27;s creators can change it." in html
    assert '<a href="/users/login?next=/test/forbidden">Log in</a>' in html
    assert '<a href="/">Go to the home page</a>' in html


@pytest.mark.django_db
@pytest.mark.urls("tests.archive.urls")
def test_a_malformed_request_gets_a_styled_400_page(client):
    response = client.get("/test/suspicious")
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Bad request | Ficshelf</title>" in html
    assert "could not understand that request" in html
    assert "A malformed request" not in html  # the exception's text is for the log only
    assert '<a href="/">Go to the home page</a>' in html


@pytest.mark.urls("tests.archive.urls")
def test_a_server_error_page_needs_neither_the_database_nor_a_user():
    """No django_db mark: any query while making the page would fail this test."""
    client = Client(raise_request_exception=False)
    response = client.get("/test/broken")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<title>Something went wrong | Ficshelf</title>" in html
    assert '<p class="site-name"><a href="/">Ficshelf</a></p>' in html
    assert "your text should still be in the form" in html
    assert '<a href="/">Go to the home page</a>' in html
    assert "fell over" not in html
    assert '<link rel="stylesheet" href="/static/css/ficshelf.css">' in html


@override_settings(SITE_NAME="Night Shift Archive")
@pytest.mark.urls("tests.archive.urls")
def test_the_server_error_page_carries_the_archive_name():
    response = Client(raise_request_exception=False).get("/test/broken")
    assert "<title>Something went wrong | Night Shift Archive</title>" in response.content.decode()


@pytest.mark.django_db
def test_a_form_that_fails_its_csrf_check_says_to_go_back_and_keep_the_text(author):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/users/login", {"username": author.username, "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "<title>Form expired | Ficshelf</title>" in html
    assert "Go back with your browser's Back button and copy your text" in html
    assert "For the developer" not in html


def chapter_post(author, **overrides) -> dict:
    data = {
        "pseuds": [author.default_pseud.pk],
        "title": "Quiet Hours",
        "rating": "teen",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": "Law & Order: Special Victims Unit",
        "language": "en",
        "text_format": "plain",
        "text": "It was a quiet night at the precinct.",
        "post": "Post",
    }
    data.update(overrides)
    return data


def post_form(client, path: str, data: dict):
    """Posted as a browser posts a form: urlencoded, every non-ASCII byte percent-escaped."""
    return client.post(
        path, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded"
    )


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=20_000)
def test_a_chapter_over_the_request_size_limit_gets_a_page_that_says_so(author_client, author):
    response = post_form(author_client, "/works/new", chapter_post(author, text="word " * 5_000))
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Too large to send | Ficshelf</title>" in html
    assert "The archive takes at most 19.5\xa0KB in one go" in html
    assert "your text should still be in the form" in html
    assert '<a href="/">Go to the home page</a>' in html
    assert not Work.objects.exists()


def test_the_longest_chapter_in_the_widest_characters_fits_in_one_request(settings):
    """510,000 four-byte characters, percent-escaped, with full notes and summary."""
    notes = "😀" * 5_000
    body = urlencode(
        {
            "csrfmiddlewaretoken": "x" * 64,
            "title": "😀" * 255,
            "summary": "😀" * 1_250,
            "notes": notes,
            "end_notes": notes,
            "fandoms": "😀" * 2_000,
            "text": "😀" * 510_000,
        }
    )
    assert len(body) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.mark.django_db
def test_a_chapter_over_the_length_limit_comes_back_in_the_form_with_a_message(
    author_client, author
):
    """6 MB of form data: past Django's old 4 MB request limit, so the form itself answers."""
    text = "😀" * 510_001
    response = post_form(author_client, "/works/new", chapter_post(author, text=text))
    assert response.status_code == 200
    html = response.content.decode()
    assert "the most a chapter can hold is 510,000" in html
    assert text in html
    assert not Work.objects.exists()
