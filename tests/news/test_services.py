"""Writing the news: admins publish, schedule, keep drafts, edit and delete; nobody else can."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task_backends

from ficshelf.news import tasks
from ficshelf.news.models import NewsPost
from ficshelf.news.services import (
    announce_due,
    delete_news_post,
    edit_news_post,
    publish_news_post,
)
from ficshelf.works.versions import listings
from tests.factories import make_account

pytestmark = pytest.mark.django_db


def test_an_admin_publishes_a_post_that_everyone_can_read(admin):
    post = publish_news_post(author=admin, title="  Maintenance  ", body="Back soon.")
    assert post.title == "Maintenance"
    assert post.body == "<p>Back soon.</p>"
    assert list(NewsPost.objects.published()) == [post]
    assert list(NewsPost.objects.visible_to(None)) == [post]


@pytest.mark.parametrize("who", ["reader", "inactive admin"])
def test_only_an_active_admin_may_write_news(admin, who):
    user = (
        make_account("reader")
        if who == "reader"
        else make_account("retired", is_staff=True, is_active=False)
    )
    with pytest.raises(PermissionDenied):
        publish_news_post(author=user, title="Hello", body="Hi")
    post = publish_news_post(author=admin, title="Hello", body="Hi")
    with pytest.raises(PermissionDenied):
        edit_news_post(post=post, editor=user, title="Hacked", body="x")
    with pytest.raises(PermissionDenied):
        delete_news_post(post=post, editor=user)
    post.refresh_from_db()
    assert post.title == "Hello"


def test_a_draft_is_shown_to_admins_only(admin):
    draft = publish_news_post(author=admin, title="Draft", body="Not yet.", draft=True)
    assert draft.published_at is None
    assert list(NewsPost.objects.published()) == []
    assert list(NewsPost.objects.visible_to(make_account("reader"))) == []
    assert list(NewsPost.objects.visible_to(admin)) == [draft]


def test_a_scheduled_post_is_shown_from_its_time_on(admin):
    when = timezone.now() + timedelta(hours=1)
    post = publish_news_post(author=admin, title="Soon", body="Later.", publish_at=when)
    assert list(NewsPost.objects.published()) == []
    assert list(NewsPost.objects.published(now=when)) == [post]


def test_a_script_never_survives_in_the_body(admin):
    post = publish_news_post(
        author=admin,
        title="<script>alert(1)</script>",
        body='<p onclick="alert(1)">Hi<script>alert(2)</script><img src=x onerror=alert(3)></p>',
    )
    post.refresh_from_db()
    assert "<script" not in post.body and "onclick" not in post.body
    assert "onerror" not in post.body
    assert post.body_sanitizer_version > 0


def test_editing_keeps_the_date_of_a_published_post(admin):
    post = publish_news_post(author=admin, title="One", body="First.")
    first_date = post.published_at
    edited = edit_news_post(post=post, editor=admin, title="One, revised", body="Second.")
    assert (edited.title, edited.body, edited.published_at) == (
        "One, revised",
        "<p>Second.</p>",
        first_date,
    )


def test_publishing_a_draft_dates_it_now(admin):
    post = publish_news_post(author=admin, title="Draft", body="x", draft=True)
    before = timezone.now()
    edited = edit_news_post(post=post, editor=admin, title="Out", body="x")
    assert edited.published_at >= before


def test_every_write_moves_the_listings_version_that_keys_the_home_page(admin):
    start = listings().version
    post = publish_news_post(author=admin, title="One", body="x")
    assert listings().version == start + 1
    edit_news_post(post=post, editor=admin, title="Two", body="x")
    assert listings().version == start + 2
    delete_news_post(post=post, editor=admin)
    assert listings().version == start + 3
    assert not NewsPost.objects.exists()


def test_a_scheduled_post_is_announced_once_when_its_time_has_come(admin):
    when = timezone.now() + timedelta(minutes=5)
    post = publish_news_post(author=admin, title="Soon", body="x", publish_at=when)
    start = listings().version
    assert announce_due() == 0  # not yet
    assert listings().version == start
    assert announce_due(now=when) == 1
    assert listings().version == start + 1
    assert announce_due(now=when + timedelta(minutes=1)) == 0  # once
    post.refresh_from_db()
    assert post.announced


def test_a_deferring_backend_wakes_up_at_the_scheduled_time(
    admin, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    when = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        post = publish_news_post(author=admin, title="Later", body="x", publish_at=when)
    [queued] = task_backends["default"].results
    assert queued.task.func is tasks.announce_news_posts.func
    assert queued.task.run_after == when
    # What the worker does when it picks it up, once the time has come:
    NewsPost.objects.filter(pk=post.pk).update(published_at=timezone.now())
    start = listings().version
    assert queued.task.call() == 1
    assert listings().version == start + 1


def test_the_command_announces_what_is_due(admin):
    post = publish_news_post(
        author=admin, title="Later", body="x", publish_at=timezone.now() + timedelta(hours=1)
    )
    NewsPost.objects.filter(pk=post.pk).update(published_at=timezone.now())
    out = io.StringIO()
    call_command("announce_due_news", stdout=out)
    assert out.getvalue().strip() == "Announced 1 news post."
