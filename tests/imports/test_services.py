"""Importing a file as a work: the values it gets, the record kept, and refusals that leave
nothing behind."""

import hashlib

import pytest
from django.db import IntegrityError

from ficshelf.imports.models import WorkImport
from ficshelf.imports.services import ImportRefused, WorkChoices, import_work
from ficshelf.userstuff import count_words
from ficshelf.userstuff.paragraphs import strip_paragraph_ids
from ficshelf.works.models import Work
from tests.factories import make_user

from .conftest import SEED_PATH, SVU

pytestmark = pytest.mark.django_db


def import_text(author, text: str | bytes, filename: str = "story.txt", **kwargs):
    data = text.encode() if isinstance(text, str) else text
    kwargs.setdefault("defaults", WorkChoices(fandoms=[SVU]))
    return import_work(file_bytes=data, filename=filename, importer=author, **kwargs)


def stored_text(work) -> str:
    """The work's one chapter as stored, without the ids the archive gives its paragraphs."""
    return strip_paragraph_ids(work.chapters.get().text)


def test_the_seed_story_becomes_a_posted_work_with_its_numbers(author, seed_bytes):
    result = import_text(author, seed_bytes, SEED_PATH.name)
    work = Work.objects.get()
    assert result.work == work
    assert result.warnings == []
    assert work.title == "Traitor"
    assert work.posted
    assert [tag.name for tag in work.relationships] == ["Alex/Olivia"]
    assert [tag.name for tag in work.fandoms] == [SVU]
    assert "Hey guys! Welcome to a hopefully long term story" in work.notes
    chapter = work.chapters.get()
    text = strip_paragraph_ids(chapter.text)
    assert text.count("<p>") == 28
    assert text.count("<hr>") == 2
    assert abs(work.word_count - 2_989) <= 30
    assert work.word_count == count_words(chapter.text)
    assert work.creator_pseuds() == [author.default_pseud]


def test_each_import_is_recorded_with_the_file_it_came_from(author, seed_bytes):
    work = import_text(author, seed_bytes, SEED_PATH.name).work
    record = WorkImport.objects.get()
    assert record.work == work
    assert record.imported_by == author
    assert record.filename == SEED_PATH.name
    assert record.sha256 == hashlib.sha256(seed_bytes).hexdigest()
    assert record.file_format == "plain"


def test_a_work_without_rating_or_warnings_is_not_rated_and_chose_not_to_warn(author):
    work = import_text(author, "Title: T\n\nText.").work
    assert work.rating == "not_rated"
    assert [tag.name for tag in work.warnings] == ["Creator Chose Not To Use Archive Warnings"]


def test_a_file_naming_no_fandom_is_refused_asking_for_one(author):
    with pytest.raises(ImportRefused) as caught:
        import_text(author, "Title: T\n\nText.", defaults=None)
    assert caught.value.field == "fandoms"
    assert "Please add a fandom" in caught.value.message
    assert not Work.objects.exists()


def test_the_callers_defaults_fill_only_what_the_header_lacks(author):
    work = import_text(
        author,
        "Title: T\nRating: Explicit\nCharacters: Alex Cabot\n\nText.",
        defaults=WorkChoices(
            fandoms=[SVU],
            rating="Mature",
            characters=["Olivia Benson"],
            warnings=["graphic depictions of violence"],
        ),
    ).work
    assert work.rating == "explicit"
    assert [tag.name for tag in work.characters] == ["Alex Cabot"]
    assert [tag.name for tag in work.fandoms] == [SVU]
    assert [tag.name for tag in work.warnings] == ["Graphic Depictions Of Violence"]


def test_the_callers_overrides_win_over_the_header(author):
    work = import_text(
        author,
        "Title: Old\nFandom: Bones\nRating: Explicit\n\nText.",
        overrides=WorkChoices(title="New", fandoms=[SVU], rating="teen"),
    ).work
    assert (work.title, work.rating) == ("New", "teen")
    assert [tag.name for tag in work.fandoms] == [SVU]


def test_a_rating_the_archive_does_not_have_is_refused(author):
    with pytest.raises(ImportRefused) as caught:
        import_text(author, "Text.", defaults=WorkChoices(fandoms=[SVU], rating="spicy"))
    assert caught.value.field == "rating"
    assert "Mature" in caught.value.message


def test_a_draft_import_is_not_posted(author):
    work = import_text(author, "Title: T\n\nText.", post=False).work
    assert not work.posted
    assert not Work.objects.visible_to(None).exists()


def test_a_windows_1252_file_imports_with_a_warning_that_is_kept(author):
    result = import_text(author, "Title: Café\n\n“Stop!”".encode("cp1252"))
    assert result.work.title == "Café"
    assert "“Stop!”" in result.work.chapters.get().text
    assert any("Windows-1252" in warning for warning in result.warnings)
    assert "Windows-1252" in WorkImport.objects.get().warnings


def test_html_and_markdown_files_import(author):
    html_work = import_text(
        author, "<title>From HTML</title><p>Hi <script>x()</script>there.</p>", "a.html"
    ).work
    markdown_work = import_text(author, "Title: From Markdown\n\nHi *there*.", "b.md").work
    assert html_work.title == "From HTML"
    assert stored_text(html_work) == "<p>Hi there.</p>"
    assert stored_text(markdown_work) == "<p>Hi <em>there</em>.</p>"
    assert list(WorkImport.objects.order_by("pk").values_list("file_format", flat=True)) == [
        "html",
        "markdown",
    ]


def test_importing_the_same_file_again_says_so(author):
    first = import_text(author, "Title: T\n\nText.").work
    second = import_text(author, "Title: T\n\nText.")
    assert second.work != first
    assert any(f"/works/{first.pk}" in warning for warning in second.warnings)


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.txt", "empty"),
        (b"\x00\x01binary\x00", "a.txt", "not a text file"),
        (b"Text \x81 here", "a.txt", "not UTF-8"),
        (b"Title: T\n\n", "a.txt", "no story text"),
        (b"x" * (2 * 1024 * 1024 + 1), "a.txt", "2 MiB"),
        (b"Title: T\n\n" + b"word " * 102_001, "a.txt", "510,000"),
        (b"Text.", "a.docx", "not a file Ficshelf can import"),
        (b"Title: " + b"x" * 300 + b"\n\nText.", "a.txt", "at most 255"),
        (b"Title: T\nPairing: A*B\n\nText.", "a.txt", "cannot contain"),
    ],
)
def test_a_refused_file_leaves_no_work_behind(author, data, filename, message):
    with pytest.raises(ImportRefused) as caught:
        import_text(author, data, filename)
    assert message in caught.value.message
    assert not Work.objects.exists()
    assert not WorkImport.objects.exists()


def test_a_failure_after_the_work_is_written_undoes_the_whole_import(author, monkeypatch):
    def fail(**kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(WorkImport.objects, "create", fail)
    with pytest.raises(IntegrityError):
        import_text(author, "Title: T\n\nText.")
    assert not Work.objects.exists()


def test_a_work_cannot_be_credited_to_someone_elses_pseud(author):
    other = make_user()
    with pytest.raises(ImportRefused):
        import_text(author, "Title: T\n\nText.", pseuds=[other.default_pseud])
    assert not Work.objects.exists()
