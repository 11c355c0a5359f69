"""Search sees every write at once: a work posted, a chapter edited or added, a work deleted
or retitled is reflected in the very next search."""

from io import StringIO

import pytest
from django.core.management import call_command

from ficshelf.search.models import WorkSearchDocument
from ficshelf.works.services import (
    ChapterContent,
    add_chapter,
    delete_work,
    edit_chapter,
    post_chapter,
    post_work,
    update_work,
)
from tests.factories import make_metadata, make_user, make_work
from tests.search.conftest import found

pytestmark = pytest.mark.django_db


def test_a_posted_work_is_found_by_its_text_at_once(client):
    make_work(title="Rooftops", text="<p>They met on the fire escapes at dawn.</p>")
    assert found(client, q='"fire escapes"') == ["Rooftops"]


def test_an_edited_chapter_is_found_by_its_new_text_only(client, author):
    work = make_work(author, title="Rooftops", text="<p>They met on the fire escapes.</p>")
    edit_chapter(
        chapter=work.chapters.get(),
        editor=author,
        content=ChapterContent(text="<p>They met in the subway.</p>"),
    )
    assert found(client, q="escapes") == []
    assert found(client, q="subway") == ["Rooftops"]


def test_a_draft_chapter_is_found_only_once_posted(client, author):
    work = make_work(author, title="Rooftops")
    chapter = add_chapter(
        work=work, editor=author, content=ChapterContent(text="<p>A lighthouse.</p>"), post=False
    )
    assert found(client, q="lighthouse") == []
    post_chapter(chapter=chapter, editor=author)
    assert found(client, q="lighthouse") == ["Rooftops"]


def test_a_draft_work_is_found_once_posted(client, author):
    work = make_work(author, title="Lighthouse", post=False)
    assert found(client, q="lighthouse") == []
    assert not WorkSearchDocument.objects.exists()
    post_work(work=work, editor=author)
    assert found(client, q="lighthouse") == ["Lighthouse"]


def test_a_retitled_work_is_found_by_its_new_title(client, author):
    work = make_work(author, title="Lighthouse")
    update_work(work=work, editor=author, metadata=make_metadata(title="Harbour"))
    assert found(client, q="lighthouse") == []
    assert found(client, q="harbour") == ["Harbour"]


def test_a_work_is_found_by_its_tags_and_creator(client):
    make_work(make_user("quillwright"), title="Lighthouse", freeforms=["Slow Burn"])
    assert found(client, q="quillwright") == ["Lighthouse"]
    assert found(client, q='"slow burn"') == ["Lighthouse"]


def test_a_deleted_work_leaves_the_index(client, author):
    work = make_work(author, title="Lighthouse")
    delete_work(work=work, editor=author)
    assert not WorkSearchDocument.objects.exists()
    assert found(client, q="lighthouse") == []


def test_reindex_works_rebuilds_every_posted_works_document(client, author):
    make_work(author, title="Lighthouse")
    make_work(author, title="Harbour", post=False)
    WorkSearchDocument.objects.all().delete()
    assert found(client, q="lighthouse") == []
    output = StringIO()
    call_command("reindex_works", stdout=output)
    assert output.getvalue() == "Indexed 1 posted works.\n"
    assert found(client, q="lighthouse") == ["Lighthouse"]
    assert WorkSearchDocument.objects.count() == 1


def test_migrate_indexes_works_posted_before_search_existed(db):
    from django.core.management import call_command

    from ficshelf.search.models import WorkSearchDocument
    from tests.factories import make_work

    work = make_work(title="Before Search")
    WorkSearchDocument.objects.all().delete()  # as on an archive from before this app
    call_command("migrate", verbosity=0)
    assert WorkSearchDocument.objects.filter(work=work).exists()
