"""The `import_work` and `load_demo` management commands."""

import stat
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ficshelf.accounts.models import User
from ficshelf.imports.models import WorkImport
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


# --- load_demo ----------------------------------------------------------------------------------


def test_load_demo_creates_the_demo_author_and_imports_the_seed(var_dir):
    output = run("load_demo")
    user = User.objects.get(username="demo")
    assert user.email == "demo@example.org"
    credentials = var_dir / "demo-credentials.txt"
    password = credentials.read_text().split("password: ")[1].strip()
    assert f"Demo author: demo / {password}\n" in output
    assert user.check_password(password)
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    work = Work.objects.get()
    assert f"http://127.0.0.1:8000/works/{work.pk}" in output
    assert work.title == "Traitor"
    assert work.rating == "mature"
    assert [tag.name for tag in work.fandoms] == [SVU]
    assert [tag.name for tag in work.warnings] == ["Graphic Depictions Of Violence"]
    assert [tag.name for tag in work.characters] == [
        "Olivia Benson",
        "Elliot Stabler",
        "Alex Cabot",
    ]
    assert work.creator_pseuds() == [user.default_pseud]


def test_load_demo_twice_makes_one_work_and_prints_the_same_password(var_dir):
    first = run("load_demo")
    second = run("load_demo", "--port", "8123")
    assert Work.objects.count() == 1
    assert WorkImport.objects.count() == 1
    assert User.objects.filter(username="demo").count() == 1
    login_line = next(line for line in first.splitlines() if line.startswith("Demo author"))
    assert login_line in second
    assert f"http://127.0.0.1:8123/works/{Work.objects.get().pk}" in second


def test_load_demo_sets_a_new_password_when_the_saved_one_is_lost(var_dir):
    run("load_demo")
    (var_dir / "demo-credentials.txt").unlink()
    output = run("load_demo")
    password = (var_dir / "demo-credentials.txt").read_text().split("password: ")[1].strip()
    assert f"Demo author: demo / {password}" in output
    assert User.objects.get(username="demo").check_password(password)
    assert Work.objects.count() == 1


def test_load_demo_imports_another_seed_when_given_one(var_dir, tmp_path):
    path = tmp_path / "other.txt"
    path.write_text("Title: Another\n\nText.")
    output = run("load_demo", "--seed", str(path))
    assert Work.objects.get().title == "Another"
    assert "Another" in output


def test_load_demo_refuses_a_seed_path_that_does_not_exist(var_dir, tmp_path):
    with pytest.raises(CommandError, match="no seed story"):
        run("load_demo", "--seed", str(tmp_path / "missing.txt"))


def test_load_demo_on_a_fresh_database_keeps_the_saved_password(var_dir):
    first = run("load_demo")
    User.objects.filter(username="demo").delete()
    second = run("load_demo")
    login_line = next(line for line in first.splitlines() if line.startswith("Demo author"))
    assert login_line in second
    password = login_line.rsplit(" / ", 1)[1]
    assert User.objects.get(username="demo").check_password(password)
