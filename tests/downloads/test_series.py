"""A work in a series says so on the title page of every download ("Part 2 of <series>"), and
in the EPUB's metadata, where e-readers group a series' books."""

import zipfile
from io import BytesIO

import pytest

from ficshelf.downloads.books import build_epub, build_html
from ficshelf.downloads.pdf import build_pdf
from ficshelf.series.services import add_work_to_series, create_series, edit_series
from tests.factories import make_work

from .conftest import book_text, epubcheck_errors, pdf_text
from .test_books import validated_once
from .test_views import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_part(author):
    """The second work of the series "Harbour Lights & Other Stories"."""
    series = create_series(creator=author, title="Harbour Lights & Other Stories")
    add_work_to_series(series=series, work=make_work(author, title="First Light"), user=author)
    work = make_work(author, title="Second Light", chapters=2)
    add_work_to_series(series=series, work=work, user=author)
    work.refresh_from_db()
    return work, series


def test_every_download_names_the_series_and_the_works_place_in_it(second_part, tmp_path):
    work, series = second_part
    epub = book_text(build_epub(work))
    assert "Part 2 of <a href=" in epub and "Harbour Lights &amp; Other Stories</a>" in epub
    assert f"{series.get_absolute_url()}" in epub
    html = build_html(work).decode()
    assert "Part 2 of <a href=" in html and "Harbour Lights &amp; Other Stories</a>" in html
    title_page = pdf_text(build_pdf(work), tmp_path).split("\f")[0]
    assert "Part 2 of Harbour Lights & Other Stories" in title_page


def test_the_epub_carries_the_series_for_e_readers(second_part):
    work, _ = second_part
    opf = zipfile.ZipFile(BytesIO(build_epub(work))).read("EPUB/content.opf").decode()
    assert 'property="belongs-to-collection"' in opf
    assert ">Harbour Lights &amp; Other Stories</meta>" in opf
    assert 'property="group-position">2</meta>' in opf
    assert 'name="calibre:series" content="Harbour Lights &amp; Other Stories"' in opf


def test_a_work_in_no_series_names_none(author):
    work = make_work(author, title="Alone")
    assert "Part " not in book_text(build_epub(work))
    assert (
        "belongs-to-collection"
        not in zipfile.ZipFile(BytesIO(build_epub(work))).read("EPUB/content.opf").decode()
    )


def test_renaming_the_series_makes_a_new_download(client, author, second_part):
    work, series = second_part
    first = client.get(url(work, "html"))
    assert b"Harbour Lights" in b"".join(first.streaming_content)
    edit_series(
        series=series, user=author, title="Lantern Nights", summary="", notes="", is_complete=False
    )
    work.refresh_from_db()
    page = b"".join(client.get(url(work, "html")).streaming_content).decode()
    assert "Part 2 of <a href=" in page and "Lantern Nights" in page
    assert "Harbour Lights" not in page


@validated_once
def test_an_epub_in_a_series_is_still_valid(second_part, tmp_path):
    work, _ = second_part
    assert epubcheck_errors(build_epub(work), tmp_path) == []
