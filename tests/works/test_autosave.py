"""Autosaves of the posting forms: kept on the server, offered back when the form is opened
again (no JavaScript needed for that), cleared when the form is saved."""

import uuid

import pytest
from django.test import Client

from ficshelf.works import limits
from ficshelf.works.models import Chapter, FormAutosave
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


def _edit_fields(chapter: Chapter, **overrides) -> dict:
    data = {
        "autosave_kind": "edit_chapter",
        "autosave_work": chapter.work_id,
        "autosave_chapter": chapter.pk,
        "title": chapter.title,
        "summary": "",
        "notes": "",
        "end_notes": "",
        "text_format": "html",
        "text": "<p>Typed but never saved.</p>",
        "base_revision": chapter.revision,
        "submission_id": str(uuid.uuid4()),
    }
    return data | overrides


def _edit_url(chapter: Chapter) -> str:
    return f"/works/{chapter.work_id}/chapters/{chapter.pk}/edit"


@pytest.fixture
def chapter(author):
    return make_work(author, text="<p>The saved text.</p>").chapters.get()


def test_an_autosave_is_kept_with_a_204(author_client, author, chapter):
    response = author_client.post("/works/autosave", _edit_fields(chapter))
    assert response.status_code == 204
    kept = FormAutosave.objects.get()
    assert kept.user == author and kept.chapter == chapter and kept.kind == "edit_chapter"
    assert kept.fields["text"] == ["<p>Typed but never saved.</p>"]
    assert kept.base_revision == chapter.revision
    # The next autosave of the same form replaces it.
    author_client.post("/works/autosave", _edit_fields(chapter, text="<p>More.</p>"))
    assert FormAutosave.objects.get().fields["text"] == ["<p>More.</p>"]


def test_a_guest_cannot_autosave(client, chapter):
    response = client.post("/works/autosave", _edit_fields(chapter))
    assert response.status_code == 302 and not FormAutosave.objects.exists()


def test_an_autosave_needs_the_forms_csrf_token(author, chapter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    assert client.post("/works/autosave", _edit_fields(chapter)).status_code == 403
    page = client.get(_edit_url(chapter))
    token = page.context["csrf_token"]
    fields = _edit_fields(chapter, csrfmiddlewaretoken=str(token))
    assert client.post("/works/autosave", fields).status_code == 204


def test_nobody_autosaves_into_someone_elses_work(client, chapter):
    client.force_login(make_user("stranger"))
    assert client.post("/works/autosave", _edit_fields(chapter)).status_code == 404
    new_chapter = _edit_fields(chapter, autosave_kind="new_chapter")
    assert client.post("/works/autosave", new_chapter).status_code == 404
    assert not FormAutosave.objects.exists()


def test_a_chapter_of_another_work_is_refused(author_client, author, chapter):
    other = make_work(author).chapters.get()
    fields = _edit_fields(chapter, autosave_chapter=other.pk)
    fields["autosave_work"] = make_work(make_user("elsewhere")).pk
    assert author_client.post("/works/autosave", fields).status_code == 404
    mismatched = _edit_fields(chapter, autosave_chapter=other.pk + 1000)
    assert author_client.post("/works/autosave", mismatched).status_code == 404


def test_an_autosave_bigger_than_the_form_accepts_is_refused(author_client, chapter):
    too_long = "x" * (limits.CHAPTER_TEXT_MAX + 1)
    response = author_client.post("/works/autosave", _edit_fields(chapter, text=too_long))
    assert response.status_code == 413
    assert "text" in response.content.decode()
    too_long_title = _edit_fields(chapter, title="t" * (limits.TITLE_MAX + 1))
    assert author_client.post("/works/autosave", too_long_title).status_code == 413
    assert not FormAutosave.objects.exists()


def test_an_unknown_form_is_a_404(author_client):
    assert author_client.post("/works/autosave", {"autosave_kind": "nope"}).status_code == 404
    assert author_client.get("/works/autosave").status_code == 405


def test_the_form_opened_again_offers_the_unsaved_text_and_restores_it(author, chapter):
    tab = Client()
    tab.force_login(author)
    tab.post("/works/autosave", _edit_fields(chapter))
    # The tab is closed; a new one opens the form.
    fresh = Client()
    fresh.force_login(author)
    page = fresh.get(_edit_url(chapter)).content.decode()
    assert "Restore the unsaved text from" in page and "Discard" in page
    assert "Typed but never saved." not in page  # only offered, not yet in the form

    restored = fresh.get(_edit_url(chapter) + "?restore=autosave")
    assert restored.context["form"].initial["text"] == "<p>Typed but never saved.</p>"
    assert "Typed but never saved." in restored.content.decode()
    assert "Restore the unsaved text" not in restored.content.decode()


def test_an_autosave_the_same_as_the_saved_text_is_not_offered(author_client, chapter):
    author_client.post("/works/autosave", _edit_fields(chapter, text="<p>The saved text.</p>"))
    assert "Restore the unsaved" not in author_client.get(_edit_url(chapter)).content.decode()


def test_saving_the_form_clears_its_autosave(author_client, chapter):
    fields = _edit_fields(chapter)
    author_client.post("/works/autosave", fields)
    form = {k: v for k, v in fields.items() if not k.startswith("autosave_")} | {"save": "Update"}
    assert author_client.post(_edit_url(chapter), form).status_code == 302
    assert not FormAutosave.objects.exists()
    # A late autosave of that same form (sent before the save, arriving after) is dropped.
    late = author_client.post("/works/autosave", fields)
    assert late.status_code == 409 and not FormAutosave.objects.exists()
    assert "Restore the unsaved" not in author_client.get(_edit_url(chapter)).content.decode()


def test_discard_forgets_the_autosave(author_client, chapter):
    author_client.post("/works/autosave", _edit_fields(chapter))
    response = author_client.post(
        "/works/autosave/discard",
        {
            "autosave_kind": "edit_chapter",
            "autosave_work": chapter.work_id,
            "autosave_chapter": chapter.pk,
            "next": _edit_url(chapter),
        },
    )
    assert response.status_code == 302 and response["Location"] == _edit_url(chapter)
    assert not FormAutosave.objects.exists()


def test_a_new_works_autosave_comes_back_in_a_new_form(author_client, author):
    fields = {
        "autosave_kind": "new_work",
        "title": "Working title",
        "fandoms": "Law & Order: Special Victims Unit",
        "warnings": ["No Archive Warnings Apply", "Major Character Death"],
        "rating": "mature",
        "text_format": "html",
        "text": "<p>Chapter one, unsaved.</p>",
        "pseuds": [author.default_pseud.pk],
    }
    assert author_client.post("/works/autosave", fields).status_code == 204
    assert "Restore the unsaved text" in author_client.get("/works/new").content.decode()
    form = author_client.get("/works/new?restore=autosave").context["form"]
    assert form.initial["title"] == "Working title"
    assert form.initial["warnings"] == ["No Archive Warnings Apply", "Major Character Death"]
    assert form.initial["rating"] == "mature"
    assert form.initial["inline_comments"] is False  # unchecked stays unchecked


def test_posting_a_new_chapter_clears_its_autosave(author_client, author):
    work = make_work(author)
    fields = {"autosave_kind": "new_chapter", "autosave_work": work.pk, "text": "<p>Draft.</p>"}
    author_client.post("/works/autosave", fields)
    assert (
        "Restore the unsaved"
        in author_client.get(f"/works/{work.pk}/chapters/new").content.decode()
    )
    author_client.post(
        f"/works/{work.pk}/chapters/new",
        {"text_format": "html", "text": "<p>Draft.</p>", "post": "Post"},
    )
    assert not FormAutosave.objects.exists()


def test_an_autosave_typed_over_an_older_version_warns_and_conflicts(author, chapter):
    """A co-creator saved after the autosave: restoring it and saving shows both versions."""
    client = Client()
    client.force_login(author)
    client.post("/works/autosave", _edit_fields(chapter))
    from ficshelf.works.services import ChapterContent, edit_chapter

    edit_chapter(chapter=chapter, editor=author, content=ChapterContent(text="<p>Newer.</p>"))
    page = client.get(_edit_url(chapter)).content.decode()
    assert "which was changed since" in page
    restored = client.get(_edit_url(chapter) + "?restore=autosave")
    form = restored.context["form"]
    data = {name: form[name].value() or "" for name in ("title", "summary", "notes", "end_notes")}
    data |= {"text": form["text"].value(), "text_format": "html", "save": "Update"}
    data["base_revision"] = form["base_revision"].value()
    saved = client.post(_edit_url(chapter), data)
    assert saved.status_code == 409
    assert "Newer." in Chapter.objects.get(pk=chapter.pk).text
