"""A suspended account reads but cannot write: no works, chapters, edits, comments, kudos or
bookmarks, through the pages or the API, until its suspension ends; a banned one neither."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ficshelf.accounts.suspension import AccountSuspended, refuse_if_suspended
from ficshelf.api.tokens import create_token
from ficshelf.bookmarks.models import Bookmark
from ficshelf.feedback.models import Comment, Kudos
from ficshelf.moderation import services
from ficshelf.works.models import Chapter, Work
from tests.api.conftest import bearer
from tests.factories import make_account, make_work
from tests.feedback.commenting import form_data
from tests.moderation.helpers import client_of, make_admin

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def suspended(author):
    """The author, suspended by an admin for three days, with a work posted before."""
    make_work(author, title="Posted Before")
    services.suspend_account(
        user=author,
        admin=make_admin(),
        until=timezone.now() + timedelta(days=3),
        reason="Harassment in comments.",
    )
    author.refresh_from_db()
    return author


def _state():
    return (
        Work.objects.count(),
        Chapter.objects.count(),
        Comment.objects.count(),
        Kudos.objects.count(),
        Bookmark.objects.count(),
        list(Work.objects.values_list("title", flat=True).order_by("pk")),
        list(Chapter.objects.values_list("text", flat=True).order_by("pk")),
    )


def _refused(response, suspended) -> None:
    assert response.status_code == 403, response.content[:300]
    body = response.content.decode()
    assert "suspended until" in body
    assert str(timezone.localtime(suspended.suspended_until).year) in body


def test_every_page_form_that_writes_is_refused_with_a_clear_message(suspended, work_form):
    own = Work.objects.get(title="Posted Before")
    chapter = own.chapters.get()
    someone_elses = make_work(make_account("other"), title="Someone Else's")
    other_chapter = someone_elses.chapters.get()
    client = client_of(suspended)
    before = _state()
    forms = {
        "new work": ("/works/new", work_form(title="Posted While Suspended")),
        "new chapter": (
            f"/works/{own.pk}/chapters/new",
            {"text": "<p>More.</p>", "text_format": "html", "title": "", "post": "Post"},
        ),
        "chapter edit": (
            f"/works/{own.pk}/chapters/{chapter.pk}/edit",
            {
                "title": "",
                "text_format": "html",
                "text": "<p>Rewritten while suspended.</p>",
                "base_revision": chapter.revision,
                "save": "Update",
            },
        ),
        "comment": (
            f"/works/{someone_elses.pk}/chapters/{other_chapter.pk}/comments",
            form_data(text="A comment while suspended."),
        ),
        "kudos": (f"/works/{someone_elses.pk}/kudos", {}),
        "bookmark": (
            f"/works/{someone_elses.pk}/bookmarks/new",
            {"pseud": str(suspended.default_pseud.pk), "notes": "Mine."},
        ),
    }
    for name, (url, data) in forms.items():
        response = client.post(url, data)
        assert response.status_code == 403, name
        _refused(response, suspended)
    assert _state() == before


def test_every_api_write_is_refused_with_a_clear_message(client, suspended):
    own = Work.objects.get(title="Posted Before")
    token = create_token(user=suspended, name="My tool")[1]
    before = _state()
    calls = [
        ("post", "/api/v1/works", {"title": "Via the API", "fandoms": ["Original Work"],
                                   "rating": "general", "warnings": ["No Archive Warnings Apply"],
                                   "chapter": {"text": "<p>Hi.</p>"}}),
        ("post", f"/api/v1/works/{own.pk}/chapters", {"text": "<p>More.</p>"}),
        ("patch", f"/api/v1/works/{own.pk}", {"revision": own.revision, "title": "Renamed"}),
    ]  # fmt: skip
    import json

    for method, path, body in calls:
        response = getattr(client, method)(
            path, json.dumps(body), content_type="application/json", **bearer(token)
        )
        assert response.status_code == 403, (path, response.content)
        assert "suspended until" in response.json()["detail"]
    assert _state() == before


def test_a_suspended_account_still_reads(suspended):
    own = Work.objects.get(title="Posted Before")
    client = client_of(suspended)
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get("/works/").status_code == 200


def test_the_suspension_ends_by_itself(suspended, work_form):
    from ficshelf.accounts.models import User

    User.objects.filter(pk=suspended.pk).update(
        suspended_until=timezone.now() - timedelta(seconds=1)
    )
    response = client_of(suspended).post("/works/new", work_form(title="Back Again"))
    assert response.status_code == 302
    assert Work.objects.filter(title="Back Again").exists()


def test_lifting_a_suspension_lets_the_account_post_again(suspended, work_form):
    admin = make_admin("other-admin")
    services.unsuspend(user=suspended, admin=admin, reason="Appeal.")
    assert client_of(suspended).post("/works/new", work_form(title="Allowed")).status_code == 302


def test_the_guard_refuses_banned_and_suspended_accounts_and_lets_others_through(author):
    refuse_if_suspended(None)
    refuse_if_suspended(author)
    author.suspended_until = timezone.now() + timedelta(hours=1)
    with pytest.raises(AccountSuspended, match="suspended until"):
        refuse_if_suspended(author)
    author.suspended_until = None
    author.is_active = False
    with pytest.raises(AccountSuspended, match="banned"):
        refuse_if_suspended(author)


def test_a_banned_accounts_api_token_stops_working(client, author):
    work = make_work(author, title="Before The Ban")
    token = create_token(user=author, name="My tool")[1]
    services.ban_account(user=author, admin=make_admin(), reason="Spam.")
    response = client.post(
        f"/api/v1/works/{work.pk}/chapters",
        '{"text": "<p>More.</p>"}',
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code in (401, 403)
    assert work.chapters.count() == 1
