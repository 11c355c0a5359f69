"""A posting form sent twice (a double click, a retry after a timeout) saves once: the one-time
`submission_id` token is claimed under a unique constraint, and the repeat is sent to what the
first request made."""

import re
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client

from ficshelf.works.models import Chapter, Submission, Work
from tests.factories import make_account, make_work

pytestmark = pytest.mark.django_db


def _chapter_post(**overrides) -> dict:
    data = {
        "title": "The Return",
        "summary": "",
        "notes": "",
        "end_notes": "",
        "text_format": "html",
        "text": "<p>She came back on a Tuesday.</p>",
        "submission_id": str(uuid.uuid4()),
        "post": "Post",
    }
    return data | overrides


def test_the_new_chapter_form_carries_a_fresh_token_each_time(author_client, author):
    work = make_work(author)
    pages = [author_client.get(f"/works/{work.pk}/chapters/new").content.decode() for _ in "ab"]
    tokens = [re.search(r'name="submission_id" value="([0-9a-f-]{36})"', p).group(1) for p in pages]
    assert tokens[0] != tokens[1]


def test_a_new_chapter_posted_twice_with_one_token_is_one_chapter(author_client, author):
    work = make_work(author)
    data = _chapter_post()
    first = author_client.post(f"/works/{work.pk}/chapters/new", data)
    assert first.status_code == 302
    chapter = work.chapters.get(position=2)
    assert first["Location"] == chapter.get_absolute_url()

    second = author_client.post(f"/works/{work.pk}/chapters/new", data)
    assert second.status_code == 302
    assert second["Location"] == chapter.get_absolute_url()
    assert work.chapters.count() == 2
    page = author_client.get(second["Location"]).content.decode()
    assert "saved already" in page


def test_a_new_work_posted_twice_with_one_token_is_one_work(author_client, work_form):
    data = work_form(submission_id=str(uuid.uuid4()))
    first = author_client.post("/works/new", data)
    second = author_client.post("/works/new", data)
    assert Work.objects.count() == 1
    assert first["Location"] == second["Location"] == Work.objects.get().get_absolute_url()


def test_two_forms_two_tokens_make_two_chapters(author_client, author):
    work = make_work(author)
    author_client.post(f"/works/{work.pk}/chapters/new", _chapter_post())
    author_client.post(f"/works/{work.pk}/chapters/new", _chapter_post())
    assert work.chapters.count() == 3


def test_a_refused_post_does_not_use_up_its_token(author_client, author):
    work = make_work(author)
    data = _chapter_post(text="   ")
    refused = author_client.post(f"/works/{work.pk}/chapters/new", data)
    assert refused.status_code == 200 and "The chapter has no text." in refused.content.decode()
    assert not Submission.objects.exists()
    fixed = author_client.post(f"/works/{work.pk}/chapters/new", data | {"text": "<p>Now.</p>"})
    assert fixed.status_code == 302 and work.chapters.count() == 2


def test_the_same_token_with_other_text_is_not_dropped(author_client, author):
    """The browser's Back button brings the posted form back with its token: what is typed
    into it afterwards is new writing, saved, never thrown away as a repeat."""
    work = make_work(author)
    data = _chapter_post()
    author_client.post(f"/works/{work.pk}/chapters/new", data)
    author_client.post(f"/works/{work.pk}/chapters/new", data | {"text": "<p>Another one.</p>"})
    assert work.chapters.count() == 3
    assert "Another one." in work.chapters.get(position=3).text


def test_an_update_clicked_twice_saves_once_and_shows_no_conflict(author_client, author):
    work = make_work(author, text="<p>Before.</p>")
    chapter = work.chapters.get()
    data = _chapter_post(text="<p>After.</p>", base_revision=chapter.revision, save="Update")
    del data["post"]
    url = f"/works/{work.pk}/chapters/{chapter.pk}/edit"
    assert author_client.post(url, data).status_code == 302
    again = author_client.post(url, data)
    assert again.status_code == 302  # not the conflict page
    chapter.refresh_from_db()
    assert chapter.revision == 2 and "After." in chapter.text


def test_another_users_token_is_theirs_alone(client, author):
    """Tokens are per account: someone else's token does not send you to their work."""
    work = make_work(author)
    other = make_account("other")
    make_work(other)
    data = _chapter_post()
    client.force_login(author)
    client.post(f"/works/{work.pk}/chapters/new", data)
    other_work = Work.objects.by_user(other).get()
    client.force_login(other)
    client.post(f"/works/{other_work.pk}/chapters/new", data)
    assert other_work.chapters.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_posts_at_once_with_one_token_make_one_chapter():
    """The second request arrives while the first is still inside its transaction: it waits
    for it (PostgreSQL: on the unique index; SQLite: for the write lock), then finds the
    token used and is sent to the first one's chapter."""
    from ficshelf.works.signals import chapter_saved

    author = make_account("author")
    work = make_work(author)
    data = _chapter_post()
    url = f"/works/{work.pk}/chapters/new"
    clients = {name: Client() for name in ("first", "second")}
    for client in clients.values():
        client.force_login(author)
    responses: dict[str, object] = {}
    errors: list[BaseException] = []
    inside, release = threading.Event(), threading.Event()

    def hold(sender, **kwargs):
        if threading.current_thread().name == "first":
            inside.set()
            release.wait(10)

    def post(name):
        def body():
            try:
                responses[name] = clients[name].post(url, data)
            except BaseException as error:  # reported by the main thread
                errors.append(error)
            finally:
                connection.close()

        return body

    chapter_saved.connect(hold)
    try:
        first = threading.Thread(target=post("first"), name="first")
        first.start()
        assert inside.wait(10)
        second = threading.Thread(target=post("second"), name="second")
        second.start()
        second.join(0.5)
        assert second.is_alive()  # waiting for the first, not racing it
        release.set()
        first.join(20)
        second.join(20)
    finally:
        release.set()
        chapter_saved.disconnect(hold)
    assert not errors, errors
    chapter = Chapter.objects.get(work=work, position=2)
    assert Chapter.objects.filter(work=work).count() == 2
    assert responses["first"]["Location"] == chapter.get_absolute_url()
    assert responses["second"]["Location"] == chapter.get_absolute_url()
