"""Authors post and update their own works with a token, through the posting services."""

import json

import pytest

from ficshelf.works.models import Work
from tests.api.conftest import bearer
from tests.factories import make_work

NEW_WORK = {
    "title": "From my tool",
    "fandoms": ["Original Work"],
    "rating": "general",
    "warnings": ["No Archive Warnings Apply"],
    "freeforms": ["Fluff"],
    "summary": "A <b>bold</b> summary<script>alert(1)</script>",
    "chapter": {"text": "<p>Hello <em>world</em>.</p><script>x()</script>", "title": "Start"},
}


def send(client, method: str, path: str, body, token: str | None):
    data = body if isinstance(body, str) else json.dumps(body)
    call = getattr(client, method)
    return call(f"/api/v1{path}", data, content_type="application/json", **bearer(token))


def test_an_author_posts_a_work_sanitized_as_the_forms_do(client, author, author_token):
    response = send(client, "post", "/works", NEW_WORK, author_token)
    assert response.status_code == 201, response.content
    work = Work.objects.get(pk=response.json()["id"])
    assert work.posted and work.title == "From my tool"
    assert "<script>" not in work.summary and "<b>bold</b>" in work.summary
    chapter = work.chapters.get()
    assert "<script>" not in chapter.text and "<em>world</em>" in chapter.text
    assert response.json()["creators"][0]["user"] == "author"
    assert response.json()["revision"] == work.revision


def test_a_draft_posted_through_the_api_stays_private(client, author_token):
    response = send(client, "post", "/works", {**NEW_WORK, "post": False}, author_token)
    assert response.status_code == 201
    work_id = response.json()["id"]
    assert client.get(f"/api/v1/works/{work_id}").status_code == 404
    assert client.get(f"/api/v1/works/{work_id}", **bearer(author_token)).status_code == 200


def test_posting_needs_a_token(client, db):
    assert send(client, "post", "/works", NEW_WORK, None).status_code == 401


def test_the_services_refusals_are_400s_with_messages(client, author_token):
    response = send(
        client, "post", "/works", {**NEW_WORK, "fandoms": [], "warnings": []}, author_token
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "fandoms" in errors and "warnings" in errors
    response = send(client, "post", "/works", {**NEW_WORK, "pseuds": ["Nobody"]}, author_token)
    assert response.status_code == 400 and "pseuds" in response.json()["errors"]


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[]",
        {"title": 5},
        {**NEW_WORK, "fandoms": "not a list"},
        {**NEW_WORK, "chapter": None},
        {**NEW_WORK, "title": "Nul\x00here"},
        {**NEW_WORK, "expected_chapters": 10**30},
    ],
)
def test_bad_input_is_a_400_never_a_500(client, author_token, body):
    response = send(client, "post", "/works", body, author_token)
    assert response.status_code == 400, response.content
    assert response.json()["detail"]


def test_an_author_adds_a_chapter(client, author, author_token):
    work = make_work(author)
    body = {"text": "Plain **markdown**", "text_format": "markdown", "title": "Two"}
    response = send(client, "post", f"/works/{work.pk}/chapters", body, author_token)
    assert response.status_code == 201, response.content
    assert "<strong>markdown</strong>" in response.json()["text"]
    assert response.json()["position"] == 2 and not response.json()["draft"]
    empty = send(client, "post", f"/works/{work.pk}/chapters", {"text": ""}, author_token)
    assert empty.status_code == 400 and "text" in empty.json()["errors"]


def test_an_author_patches_metadata_with_the_current_revision(client, author, author_token):
    work = make_work(author, title="Old title", freeforms=["Fluff"])
    body = {"revision": work.revision, "title": "New title"}
    response = send(client, "patch", f"/works/{work.pk}", body, author_token)
    assert response.status_code == 200, response.content
    work.refresh_from_db()
    assert work.title == "New title"
    assert [t.name for t in work.freeforms] == ["Fluff"]  # fields not sent stay as they were
    assert response.json()["revision"] == work.revision


def test_a_stale_revision_is_a_409_and_saves_nothing(client, author, author_token):
    work = make_work(author, title="Old title")
    stale = work.revision
    send(client, "patch", f"/works/{work.pk}", {"revision": stale, "title": "First"}, author_token)
    response = send(
        client, "patch", f"/works/{work.pk}", {"revision": stale, "title": "Second"}, author_token
    )
    assert response.status_code == 409
    work.refresh_from_db()
    assert work.title == "First"


def test_another_users_work_is_refused(client, author, reader_token):
    posted = make_work(author)
    draft = make_work(author, post=False)
    patch = {"revision": posted.revision, "title": "Mine now"}
    assert send(client, "patch", f"/works/{posted.pk}", patch, reader_token).status_code == 403
    assert send(client, "patch", f"/works/{draft.pk}", patch, reader_token).status_code == 404
    chapter = {"text": "<p>Hijack</p>"}
    assert (
        send(client, "post", f"/works/{posted.pk}/chapters", chapter, reader_token).status_code
        == 403
    )
    assert (
        send(client, "post", f"/works/{draft.pk}/chapters", chapter, reader_token).status_code
        == 404
    )
    posted.refresh_from_db()
    assert posted.title == "A Work" and posted.chapters.count() == 1


def test_a_patch_cannot_null_a_required_field_but_may_unknown_the_chapter_count(
    client, author, author_token
):
    work = make_work(author, expected_chapters=3)
    body = {"revision": work.revision, "title": None}
    response = send(client, "patch", f"/works/{work.pk}", body, author_token)
    assert response.status_code == 400 and "title" in response.json()["errors"]
    body = {"revision": work.revision, "expected_chapters": None}
    response = send(client, "patch", f"/works/{work.pk}", body, author_token)
    assert response.status_code == 200 and response.json()["chapters"] == "1/?"
