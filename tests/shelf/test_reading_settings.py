"""Reading settings: kept with the account or in a guest's cookie, applied as classes on <html>
by the server (no flash, no script), and never mixed into the page every guest shares."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from ficshelf.shelf.context_processors import reading_settings as reading_context
from ficshelf.shelf.models import ShelfSettings
from ficshelf.shelf.reading_settings import (
    COOKIE,
    COOKIE_MAX_AGE,
    DEFAULT,
    Appearance,
    from_cookie,
    save_reading_settings,
)
from tests.factories import make_account, make_work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

URL = "/reading-settings"
DARK_LARGE = {
    "theme": "dark",
    "text_size": "l",
    "line_width": "narrow",
    "line_spacing": "loose",
    "typeface": "sans",
    "hide_creator_styling": "on",
}
ALL_CLASSES = "theme-dark text-l width-narrow spacing-loose font-sans hide-creator-styling"


@pytest.fixture
def work(db):
    return make_work(title="The Harbour Lamps")


def _html_class(response) -> str | None:
    """The class attribute of the page's <html> element (None: it has none)."""
    match = re.search(r"<html\b([^>]*)>", response.content.decode())
    assert match, "no <html> element"
    found = re.search(r'\bclass="([^"]*)"', match.group(1))
    return found.group(1) if found else None


def _from_cache(response) -> bool:
    """Served without rendering a template (the test client records every template)."""
    return response.status_code == 200 and not response.templates


# --- Applied to every page ----------------------------------------------------------------------


def test_an_accounts_settings_are_classes_on_every_pages_html_element(client, work):
    reader = make_account("reader")
    save_reading_settings(
        user=reader,
        appearance=Appearance(
            theme="dark",
            text_size="l",
            line_width="narrow",
            line_spacing="loose",
            typeface="sans",
            hide_creator_styling=True,
        ),
    )
    client.force_login(reader)
    for url in (work.get_absolute_url(), "/works/", URL):
        assert _html_class(client.get(url)) == ALL_CLASSES, url


def test_an_account_with_the_defaults_gets_no_classes(client, work):
    reader = make_account("reader")
    ShelfSettings.objects.create(user=reader, history_paused=True)
    client.force_login(reader)
    assert _html_class(client.get(work.get_absolute_url())) is None


def test_the_accounts_settings_are_read_once_per_request(django_assert_num_queries):
    reader = make_account("reader")
    save_reading_settings(user=reader, appearance=Appearance(theme="sepia"))
    request = RequestFactory().get("/")
    request.user = reader
    classes = reading_context(request)["reading_classes"]
    with django_assert_num_queries(1):
        assert classes() == "theme-sepia"
        assert classes() == "theme-sepia"
        assert reading_context(request)["reading_classes"]() == "theme-sepia"


def test_a_guests_cookie_gives_its_classes(client, work):
    client.cookies[COOKIE] = "theme-sepia.text-xl.font-sans"
    response = client.get(work.get_absolute_url())
    assert _html_class(response) == "theme-sepia text-xl font-sans"


@pytest.mark.parametrize(
    "value",
    [
        "theme-neon",
        "text-xxl.width-endless",
        'theme-dark"><script>alert(1)</script>',
        "theme-light.text-m",  # the defaults themselves make no class
        "",
        "." * 5000,
    ],
)
def test_a_cookie_with_nothing_valid_is_the_defaults(client, work, value):
    client.cookies[COOKIE] = value
    response = client.get(work.get_absolute_url())
    assert response.status_code == 200
    assert _html_class(response) is None
    assert "<script>alert" not in response.content.decode()


def test_unknown_values_in_a_cookie_are_ignored_and_the_first_of_a_kind_counts():
    assert from_cookie("theme-neon.theme-dark.theme-sepia.text-huge.spacing-tight") == Appearance(
        theme="dark", line_spacing="tight"
    )
    assert from_cookie(None) == DEFAULT


def test_an_account_ignores_a_cookie_left_from_its_guest_days(client, work):
    client.cookies[COOKIE] = "theme-dark"
    client.force_login(make_account("reader"))
    assert _html_class(client.get(work.get_absolute_url())) is None


# --- Guests' shared pages -------------------------------------------------------------------


def test_a_guest_without_the_cookie_is_served_the_shared_cached_page(client, work):
    url = work.get_absolute_url()
    first = client.get(url)
    assert first.templates and _html_class(first) is None
    again = client.get(url)
    assert _from_cache(again), "a guest without reading settings was not served the cache"
    assert _html_class(again) is None


def test_a_guest_with_the_cookie_gets_a_page_of_their_own_which_no_one_else_gets(client, work):
    url = work.get_absolute_url()
    assert _from_cache(client.get(url)) is False  # the first guest renders and keeps it
    client.cookies[COOKIE] = "theme-dark.text-l"
    personal = client.get(url)
    assert personal.templates, "a guest with reading settings was given the shared copy"
    assert _html_class(personal) == "theme-dark text-l"
    assert "private" in personal["Cache-Control"]

    del client.cookies[COOKIE]
    shared = client.get(url)
    assert _from_cache(shared) and _html_class(shared) is None


def test_every_reading_page_links_to_the_settings_from_the_cached_copy_too(client, work):
    url = work.get_absolute_url()
    client.get(url)
    page = client.get(url).content.decode()
    assert f'href="{URL}?next={url}"' in page.replace("%2F", "/")


def test_the_site_header_links_to_the_settings(client):
    page = client.get("/works/").content.decode()
    assert re.search(rf'<header.*href="{URL}">Reading settings</a>', page, re.S)


# --- The settings page ----------------------------------------------------------------------


def test_the_page_shows_the_guests_choices_checked(client):
    client.cookies[COOKIE] = "theme-sepia.spacing-tight"
    page = client.get(URL).content.decode()
    assert re.search(r'<input[^>]*name="theme"[^>]*value="sepia"[^>]*checked', page)
    assert re.search(r'<input[^>]*name="line_spacing"[^>]*value="tight"[^>]*checked', page)
    assert re.search(r'<input[^>]*name="text_size"[^>]*value="m"[^>]*checked', page)
    assert page.count('class="reading-preview"') == 6


def test_an_account_saves_its_settings_and_keeps_its_other_shelf_settings(client, work):
    reader = make_account("reader")
    ShelfSettings.objects.create(user=reader, history_paused=True, hide_read=True)
    client.force_login(reader)
    response = client.post(URL, {**DARK_LARGE, "next": work.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == work.get_absolute_url()
    assert COOKIE not in response.cookies
    settings = ShelfSettings.objects.get(user=reader)
    assert (settings.theme, settings.text_size, settings.hide_creator_styling) == (
        "dark",
        "l",
        True,
    )
    assert settings.history_paused and settings.hide_read
    assert _html_class(client.get(work.get_absolute_url())) == ALL_CLASSES


def test_a_guest_saves_to_a_cookie_for_a_year(client, work):
    response = client.post(URL, {**DARK_LARGE, "next": work.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == work.get_absolute_url()
    cookie = response.cookies[COOKIE]
    assert cookie.value == ALL_CLASSES.replace(" ", ".")
    assert cookie["max-age"] == COOKIE_MAX_AGE
    assert cookie["samesite"] == "Lax" and cookie["httponly"]
    assert not ShelfSettings.objects.exists()
    assert _html_class(client.get(work.get_absolute_url())) == ALL_CLASSES


def test_reset_to_defaults_deletes_a_guests_cookie(client, work):
    client.cookies[COOKIE] = "theme-dark"
    response = client.post(URL, {**DARK_LARGE, "reset": "1"})
    assert response.cookies[COOKIE].value == "" and response.cookies[COOKIE]["max-age"] == 0
    assert response["Location"] == URL


def test_reset_to_defaults_resets_an_accounts_choices(client):
    reader = make_account("reader")
    save_reading_settings(user=reader, appearance=Appearance(theme="dark", typeface="sans"))
    client.force_login(reader)
    client.post(URL, {"reset": "1"})
    settings = ShelfSettings.objects.get(user=reader)
    assert (settings.theme, settings.typeface) == ("light", "serif")


@pytest.mark.parametrize(
    "target",
    [
        "https://elsewhere.example/works",
        "//elsewhere.example/works",
        "javascript:alert(1)",
        "/\\elsewhere.example",
    ],
)
def test_a_next_page_elsewhere_is_refused(client, target):
    response = client.post(URL, {**DARK_LARGE, "next": target}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    page = response.content.decode()
    assert "not on this archive" in page
    assert "elsewhere.example" not in page


def test_a_next_page_elsewhere_is_not_offered_as_a_way_back(client):
    page = client.get(URL, {"next": "https://elsewhere.example/"}).content.decode()
    assert "elsewhere.example" not in page
    page = client.get(URL, {"next": "/works/"}).content.decode()
    assert 'href="/works/">Back to the page you were reading' in page


def test_a_choice_that_does_not_exist_is_a_form_error_and_saves_nothing(client):
    reader = make_account("reader")
    client.force_login(reader)
    response = client.post(URL, {**DARK_LARGE, "theme": "neon"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ShelfSettings.objects.exists()


def test_a_logged_in_reader_can_switch_inline_comment_markers_from_the_page(client):
    client.force_login(make_account("reader"))
    page = client.get(URL).content.decode()
    assert f'action="{reverse("feedback:reading_settings")}"' in page
    assert "Hide inline comment markers" in page
    client.logout()
    assert "inline comment markers" not in client.get(URL).content.decode()


def test_a_logged_in_reading_page_reads_the_readers_settings_once(client, work):
    """The <html> classes and "is history paused" come from one read of the settings row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ficshelf.shelf.models import Reading
    from ficshelf.shelf.readings import pause_history

    reader = make_account(username="one_read")
    save_reading_settings(user=reader, appearance=from_cookie("theme-dark"))
    pause_history(user=reader)
    client.force_login(reader)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(work.get_absolute_url())
    reads = [q["sql"] for q in queries if "shelf_shelfsettings" in q["sql"]]
    assert response.status_code == 200
    assert "theme-dark" in _html_class(response)
    # Paused: no history row was written for this view.
    assert not Reading.objects.filter(user=reader).exists()
    assert len(reads) == 1, reads
