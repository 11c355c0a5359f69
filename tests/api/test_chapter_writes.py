"""Authors edit and delete their own chapters with a token, through the chapter services:
paragraph ids and history kept, edit conflicts a 409, other people's chapters refused."""

import pytest

from ficshelf.userstuff.paragraphs import paragraphs_of
from ficshelf.works.models import Chapter
from ficshelf.works.services import ChapterContent, add_chapter
from tests.api.test_writes import send
from tests.factories import make_work

pytestmark = pytest.mark.django_db


def _chapter_url(chapter: Chapter) -> str:
    return f"/works/{chapter.work_id}/chapters/{chapter.pk}"


def test_an_author_edits_a_chapters_text_and_keeps_its_history(client, author, author_token):
    work = make_work(author, text="<p>First paragraph.</p><p>Second paragraph.</p>")
    chapter = work.chapters.get()
    first_id = paragraphs_of(chapter.text)[0].id
    body = {
        "revision": chapter.revision,
        "text": "<p>First paragraph.</p><p>A new second paragraph.</p><script>x()</script>",
    }
    response = send(client, "patch", _chapter_url(chapter), body, author_token)
    assert response.status_code == 200, response.content
    chapter.refresh_from_db()
    assert "A new second paragraph." in chapter.text and "<script>" not in chapter.text
    assert paragraphs_of(chapter.text)[0].id == first_id
    assert chapter.versions.count() == 1
    assert response.json()["revision"] == chapter.revision


def test_fields_not_sent_stay_as_they_were(client, author, author_token):
    work = make_work(author, text="<p>Kept text.</p>")
    chapter = work.chapters.get()
    body = {"revision": chapter.revision, "title": "A title at last"}
    response = send(client, "patch", _chapter_url(chapter), body, author_token)
    assert response.status_code == 200, response.content
    chapter.refresh_from_db()
    assert chapter.title == "A title at last" and "Kept text." in chapter.text


def test_a_stale_chapter_revision_is_a_409_and_saves_nothing(client, author, author_token):
    chapter = make_work(author, text="<p>Old.</p>").chapters.get()
    stale = chapter.revision
    first = {"revision": stale, "text": "<p>First tab.</p>"}
    assert send(client, "patch", _chapter_url(chapter), first, author_token).status_code == 200
    second = {"revision": stale, "text": "<p>Second tab.</p>"}
    assert send(client, "patch", _chapter_url(chapter), second, author_token).status_code == 409
    chapter.refresh_from_db()
    assert "First tab." in chapter.text


def test_bad_chapter_edits_are_400s(client, author, author_token):
    chapter = make_work(author).chapters.get()
    url = _chapter_url(chapter)
    assert (
        send(
            client, "patch", url, {"revision": chapter.revision, "text": None}, author_token
        ).status_code
        == 400
    )
    assert (
        send(
            client, "patch", url, {"revision": chapter.revision, "text": ""}, author_token
        ).status_code
        == 400
    )
    assert (
        send(client, "patch", url, {"text": "<p>No revision.</p>"}, author_token).status_code == 400
    )
    nul = {"revision": chapter.revision, "title": "a\x00b"}
    assert send(client, "patch", url, nul, author_token).status_code == 400


def test_an_author_deletes_a_chapter_but_not_the_last(client, author, author_token):
    work = make_work(author)
    second = add_chapter(work=work, editor=author, content=ChapterContent(text="<p>Two.</p>"))
    assert send(client, "delete", _chapter_url(second), None, author_token).status_code == 204
    assert list(work.chapters.values_list("position", flat=True)) == [1]
    only = work.chapters.get()
    response = send(client, "delete", _chapter_url(only), None, author_token)
    assert response.status_code == 400 and work.chapters.count() == 1


def test_another_users_chapter_is_refused(client, author, reader_token):
    posted = make_work(author, text="<p>Mine.</p>")
    draft = make_work(author, post=False)
    chapter = posted.chapters.get()
    patch = {"revision": chapter.revision, "text": "<p>Hijacked.</p>"}
    assert send(client, "patch", _chapter_url(chapter), patch, reader_token).status_code == 403
    assert send(client, "delete", _chapter_url(chapter), None, reader_token).status_code == 403
    draft_chapter = draft.chapters.get()
    assert (
        send(client, "delete", _chapter_url(draft_chapter), None, reader_token).status_code == 404
    )
    other = make_work(author)
    wrong_work = f"/works/{other.pk}/chapters/{chapter.pk}"
    assert send(client, "delete", wrong_work, None, reader_token).status_code == 403
    chapter.refresh_from_db()
    assert "Mine." in chapter.text
    assert posted.chapters.count() == 1


def test_a_chapter_of_another_work_is_not_found(client, author, author_token):
    one = make_work(author)
    other = make_work(author)
    chapter = one.chapters.get()
    wrong = f"/works/{other.pk}/chapters/{chapter.pk}"
    assert send(client, "delete", wrong, None, author_token).status_code == 404
    assert one.chapters.count() == 1
