"""The import page: uploading a file through the browser."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ficshelf.imports.models import WorkImport
from ficshelf.userstuff.paragraphs import strip_paragraph_ids
from ficshelf.works.models import Work

from .conftest import SEED_PATH, SVU

pytestmark = pytest.mark.django_db


def upload(client, data: bytes, name: str = "story.txt", **fields):
    fields.setdefault("posting", "post")
    return client.post("/works/import", {"file": SimpleUploadedFile(name, data), **fields})


def test_a_guest_is_asked_to_log_in_before_importing(client):
    response = client.get("/works/import")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_the_import_page_shows_a_labelled_upload_form(author_client):
    response = author_client.get("/works/import")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".txt,.html,.htm,.md,.epub"' in page
    for label in ("File", "Fandoms", "Rating", "Archive Warnings", "Characters"):
        assert f">{label}" in page
    assert "Mature" in page
    assert "Save it as a draft" in page


def test_uploading_the_seed_posts_it_and_shows_the_work(author_client, seed_bytes):
    response = upload(
        author_client,
        seed_bytes,
        SEED_PATH.name,
        fandoms=SVU,
        rating="mature",
        warnings=["Graphic Depictions Of Violence"],
        characters="Olivia Benson, Alex Cabot",
    )
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}"
    page = author_client.get(response["Location"]).content.decode()
    assert "“Traitor” was imported and posted." in page
    assert "His heart had stopped beating." in page
    assert work.posted
    assert work.rating == "mature"
    assert [tag.name for tag in work.characters] == ["Olivia Benson", "Alex Cabot"]
    assert [tag.name for tag in work.relationships] == ["Alex/Olivia"]


def test_an_upload_can_be_saved_as_a_draft(author_client):
    response = upload(author_client, b"Title: Later\n\nText.", fandoms=SVU, posting="draft")
    page = author_client.get(response["Location"]).content.decode()
    assert not Work.objects.get().posted
    assert "imported as a draft" in page


def test_the_files_warnings_are_shown_after_the_upload(author_client):
    response = upload(author_client, "Title: Café\n\n“Hi.”".encode("cp1252"), fandoms=SVU)
    page = author_client.get(response["Location"]).content.decode()
    assert "flash warning" in page
    assert "read as Windows-1252" in page


def test_an_html_upload_loses_its_scripts_and_keeps_its_text(author_client):
    upload(
        author_client,
        b"<title>Clean</title><p>Kept.</p><script>alert(1)</script>",
        "clean.html",
        fandoms=SVU,
    )
    work = Work.objects.get()
    assert work.title == "Clean"
    assert strip_paragraph_ids(work.chapters.get().text) == "<p>Kept.</p>"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "story.txt", "The file is empty."),
        (b"\x00\x01\x02binary", "story.txt", "not a text file"),
        (b"Title: T\n\n", "story.txt", "no story text"),
        (b"Text.", "story.docx", "not a file Ficshelf can import"),
    ],
)
def test_a_bad_file_is_refused_on_the_form_and_nothing_is_made(author_client, data, name, message):
    response = upload(author_client, data, name, fandoms=SVU)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Work.objects.exists()
    assert not WorkImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused_on_the_form(author_client):
    response = upload(author_client, b"word " * 500_000, fandoms=SVU)
    assert response.status_code == 400
    assert "2 MiB" in response.content.decode()
    assert not Work.objects.exists()


def test_a_file_naming_no_fandom_asks_for_one_beside_the_fandom_field(author_client):
    response = upload(author_client, b"Title: T\n\nText.")
    assert response.status_code == 400
    assert "Please add a fandom" in str(response.context["form"]["fandoms"].errors)
    assert not Work.objects.exists()


def test_choosing_no_file_asks_for_one(author_client):
    response = author_client.post("/works/import", {"posting": "post", "fandoms": SVU})
    assert response.status_code == 400
    assert "Please choose a file to import." in response.content.decode()
