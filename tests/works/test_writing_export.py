"""The account's export holds the creator's unsaved and earlier writing: what the posting
forms autosaved and the earlier texts of their chapters, which no file of a work holds."""

import json

import pytest

from ficshelf.works import services
from ficshelf.works.autosave import save_autosave
from ficshelf.works.models import Chapter, FormKind
from ficshelf.works.services import ChapterContent
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


def _export(client, user) -> dict:
    client.force_login(user)
    response = client.post(f"/users/{user.username}/export")
    assert response.status_code == 200
    return json.loads(response.content)


def test_an_autosaved_new_work_form_is_in_the_export(client):
    author = make_user(username="unsaved_writer")
    save_autosave(
        user=author,
        kind=FormKind.NEW_WORK,
        work=None,
        chapter=None,
        fields={"title": ["Lamps Over the Harbour"], "text": ["<p>Half a first chapter.</p>"]},
        base_revision=None,
        submission_id=None,
    )
    writing = _export(client, author)["writing"]
    assert [a["form"] for a in writing["autosaves"]] == ["new_work"]
    assert writing["autosaves"][0]["fields"]["title"] == ["Lamps Over the Harbour"]


def test_earlier_chapter_texts_are_in_the_creators_export_only(client):
    author = make_user(username="reviser")
    reader = make_user(username="nosy_reader")
    chapter = make_work(author, text="<p>The first draft, lost otherwise.</p>").chapters.get()
    chapter = Chapter.objects.select_related("work").get(pk=chapter.pk)
    services.edit_chapter(
        chapter=chapter, editor=author, content=ChapterContent(text="<p>The second draft.</p>")
    )
    versions = _export(client, author)["writing"]["chapter_versions"]
    assert len(versions) == 1
    assert "The first draft, lost otherwise." in versions[0]["text"]
    assert versions[0]["chapter_id"] == chapter.pk
    assert _export(client, reader)["writing"] == {"autosaves": [], "chapter_versions": []}
