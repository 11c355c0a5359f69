"""The `import_work` management command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ficshelf.works.models import Work

from .conftest import SEED_PATH, SVU

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


# --- import_work --------------------------------------------------------------------------------


def test_import_work_prints_the_new_works_address_title_and_words(author):
    output = run(
        "import_work", str(SEED_PATH), "--as", "author", "--fandom", SVU, "--rating", "Mature"
    )
    work = Work.objects.get()
    assert f"/works/{work.pk}\n" in output
    assert "Title: Traitor" in output
    assert f"Words: {work.word_count:,}" in output
    assert work.rating == "mature"
    assert work.posted


def test_import_work_takes_repeated_fandoms_warnings_and_characters(author, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Title: Two Fandoms\n\nText.")
    run(
        "import_work", str(path), "--as", "author",
        "--fandom", SVU, "--fandom", "Bones",
        "--warning", "Major Character Death", "--warning", "graphic depictions of violence",
        "--character", "Olivia Benson", "--character", "Temperance Brennan",
    )  # fmt: skip
    work = Work.objects.get()
    assert [tag.name for tag in work.fandoms] == [SVU, "Bones"]
    assert [tag.name for tag in work.warnings] == [
        "Major Character Death",
        "Graphic Depictions Of Violence",
    ]
    assert [tag.name for tag in work.characters] == ["Olivia Benson", "Temperance Brennan"]


def test_import_work_can_save_a_draft(author):
    output = run("import_work", str(SEED_PATH), "--as", "author", "--fandom", SVU, "--draft")
    assert not Work.objects.get().posted
    assert "draft" in output


def test_import_work_prints_the_files_warnings(author, tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("Title: Café\n\n“Hi.”".encode("cp1252"))
    output = run("import_work", str(path), "--as", "author", "--fandom", SVU)
    assert "Warning: The file was not valid UTF-8" in output


def test_import_work_needs_an_existing_user(db):
    with pytest.raises(CommandError, match="no user called “nobody”"):
        run("import_work", str(SEED_PATH), "--as", "nobody", "--fandom", SVU)


def test_import_work_refuses_a_bad_file_with_the_reason(author, tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(CommandError, match="not a text file"):
        run("import_work", str(path), "--as", "author", "--fandom", SVU)
    assert not Work.objects.exists()


def test_import_work_asks_for_a_fandom_when_the_file_names_none(author):
    with pytest.raises(CommandError, match="Please add a fandom"):
        run("import_work", str(SEED_PATH), "--as", "author")
    assert not Work.objects.exists()


def test_import_work_refuses_an_unknown_rating(author):
    with pytest.raises(CommandError, match="not a rating"):
        run("import_work", str(SEED_PATH), "--as", "author", "--fandom", SVU, "--rating", "R18")


def test_import_work_refuses_a_missing_file(author, tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        run("import_work", str(tmp_path / "missing.txt"), "--as", "author", "--fandom", SVU)
