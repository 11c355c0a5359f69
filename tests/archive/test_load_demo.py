"""`manage.py load_demo`: the demo author, the seed story and the demo readers' feedback."""

import stat
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ficshelf.accounts.models import User
from ficshelf.imports.models import WorkImport
from ficshelf.works.models import Work
from tests.imports.conftest import SVU

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


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


# --- The demo readers' feedback -----------------------------------------------------------------


def test_load_demo_shows_kudos_inline_comments_and_a_threaded_reply_on_the_seed(var_dir, client):
    from ficshelf.feedback.models import AnchorState, Comment, Kudos

    output = run("load_demo")
    work = Work.objects.get()
    chapter = work.chapters.get()
    reader = User.objects.get(username="demo_reader")
    assert "Demo feedback:" in output
    assert Kudos.objects.filter(work=work, chapter=None, user=reader).exists()
    assert Kudos.objects.filter(work=work, chapter=chapter, user=reader).exists()
    inline = Comment.objects.filter(work=work, paragraph_id__isnull=False)
    assert {c.quote for c in inline} == {"said and dead", "highly populate area"}
    assert all(c.anchor_state == AnchorState.ON_PARAGRAPH for c in inline)
    reply = Comment.objects.get(work=work, parent__isnull=False)
    assert reply.user.username == "demo" and reply.parent.user == reader
    assert all("Demo data" in c.text for c in Comment.objects.all())

    # The seed is rated Mature: a guest agrees to see it, as on AO3.
    page = client.get(chapter.get_absolute_url() + "?view_adult=true").content.decode()
    assert page.count('class="inline-comment-marker"') == 2
    assert "demo_reader" in page and "chapter two is on its way" in page
    assert 'class="kudos"' in page


def test_the_demo_reader_bookmarked_the_seed_with_a_note(var_dir, client):
    from ficshelf.bookmarks.models import Bookmark

    output = run("load_demo")
    work = Work.objects.get()
    bookmark = Bookmark.objects.get(work=work)
    assert "Demo bookmark:" in output
    assert bookmark.user.username == "demo_reader" and bookmark.rec and not bookmark.private
    assert "storm scene" in bookmark.notes
    work.refresh_from_db()
    assert work.bookmarks_count == 1
    page = client.get(f"/works/{work.pk}/bookmarks?view_adult=true").content.decode()
    assert "storm scene" in page and "to reread" in page
    assert "Demo bookmark:" not in run("load_demo")
    assert Bookmark.objects.count() == 1


def test_load_demo_twice_adds_the_demo_feedback_once(var_dir):
    from ficshelf.feedback.models import Comment, Kudos

    run("load_demo")
    comments, kudos = Comment.objects.count(), Kudos.objects.count()
    second = run("load_demo")
    assert "Demo feedback:" not in second
    assert (Comment.objects.count(), Kudos.objects.count()) == (comments, kudos)


def test_the_demo_reader_hears_when_the_seed_gets_its_second_chapter(
    var_dir, mailoutbox, django_capture_on_commit_callbacks
):
    from ficshelf.inbox.models import InboxItem
    from ficshelf.works.services import ChapterContent, add_chapter

    run("load_demo")
    work = Work.objects.get()
    author = User.objects.get(username="demo")
    reader = User.objects.get(username="demo_reader")
    with django_capture_on_commit_callbacks(execute=True):
        add_chapter(work=work, editor=author, content=ChapterContent(text="<p>Chapter two.</p>"))
    assert InboxItem.objects.filter(recipient=reader).exists()
    assert any("demo_reader@example.org" in message.to for message in mailoutbox)


def test_the_demo_dashboard_has_readers(var_dir, client):
    run("load_demo")
    work = Work.objects.get()
    client.force_login(User.objects.get(username="demo"))
    page = client.get(f"/works/{work.pk}/stats")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
