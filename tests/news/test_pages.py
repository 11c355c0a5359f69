"""The news pages: a list and a page for each post for everyone, forms for admins only."""

from datetime import timedelta

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from ficshelf.news.models import NewsPost
from ficshelf.news.services import publish_news_post
from tests.factories import make_account

pytestmark = pytest.mark.django_db


def test_the_news_lists_published_posts_newest_first_ten_a_page(client, admin):
    for number in range(12):
        publish_news_post(
            author=admin,
            title=f"Post {number}",
            body="x",
            publish_at=timezone.now() - timedelta(days=12 - number),
        )
    page = client.get("/news/").content.decode()
    assert page.index("Post 11") < page.index("Post 10") < page.index("Post 2")
    assert "Post 1<" not in page and "Page 1 of 2" in page
    second = client.get("/news/?page=2").content.decode()
    assert "Post 1<" in second and "Post 0<" in second and "Post 11" not in second


def test_a_draft_and_a_scheduled_post_are_not_shown_to_readers(client, admin):
    draft = publish_news_post(author=admin, title="Secret draft", body="x", draft=True)
    later = publish_news_post(
        author=admin,
        title="Secret plan",
        body="x",
        publish_at=timezone.now() + timedelta(days=1),
    )
    client.force_login(make_account("reader"))
    page = client.get("/news/").content.decode()
    assert "Secret" not in page
    assert client.get(f"/news/{draft.pk}/").status_code == 404
    assert client.get(f"/news/{later.pk}/").status_code == 404
    assert "Secret" not in Client().get("/news/feed.atom").content.decode()


def test_an_admin_sees_drafts_and_scheduled_posts_marked_so(admin_client, admin):
    draft = publish_news_post(author=admin, title="My draft", body="x", draft=True)
    publish_news_post(
        author=admin, title="My plan", body="x", publish_at=timezone.now() + timedelta(days=1)
    )
    page = admin_client.get("/news/").content.decode()
    assert "My draft" in page and "Draft" in page and "Scheduled for" in page
    assert admin_client.get(f"/news/{draft.pk}/").status_code == 200


def test_a_post_page_shows_the_sanitized_body(client, admin):
    post = publish_news_post(
        author=admin, title="<b>Bold</b> title", body="<p>Hi<script>alert(1)</script></p>"
    )
    page = client.get(f"/news/{post.pk}/").content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in page
    assert "<p>Hi</p>" in page
    assert "alert(1)" not in page


def test_an_admin_writes_a_post_through_the_form(admin_client):
    response = admin_client.post(
        "/news/new/",
        {"title": "Welcome", "body": "First line.\n\nSecond paragraph.", "status": "publish"},
        follow=True,
    )
    post = NewsPost.objects.get()
    assert response.redirect_chain == [(f"/news/{post.pk}/", 302)]
    assert "The news post was published." in response.content.decode()
    assert "<p>First line.</p>" in post.body and "<p>Second paragraph.</p>" in post.body
    assert post.is_published


def test_an_admin_schedules_a_post_through_the_form(admin_client):
    when = timezone.localtime() + timedelta(days=2)
    admin_client.post(
        "/news/new/",
        {
            "title": "Later",
            "body": "x",
            "status": "schedule",
            "publish_at": when.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    post = NewsPost.objects.get()
    assert post.is_scheduled
    assert post.published_at.replace(second=0, microsecond=0) == when.replace(
        second=0, microsecond=0
    )


def test_the_form_explains_what_is_missing(admin_client):
    response = admin_client.post(
        "/news/new/", {"title": "", "body": "", "status": "schedule", "publish_at": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please choose when to publish it." in page
    assert "This field is required." in page
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = admin_client.post(
        "/news/new/", {"title": "T", "body": "x", "status": "schedule", "publish_at": past}
    )
    assert "That time has passed" in response.content.decode()
    assert not NewsPost.objects.exists()


def test_an_admin_edits_and_deletes_a_post(admin_client, admin):
    post = publish_news_post(author=admin, title="Old", body="x")
    form = admin_client.get(f"/news/{post.pk}/edit/").content.decode()
    assert 'value="Old"' in form
    admin_client.post(f"/news/{post.pk}/edit/", {"title": "New", "body": "y", "status": "publish"})
    post.refresh_from_db()
    assert post.title == "New"
    assert admin_client.get(f"/news/{post.pk}/delete/").status_code == 200
    assert NewsPost.objects.exists()  # asking deletes nothing
    response = admin_client.post(f"/news/{post.pk}/delete/")
    assert response["Location"] == "/news/"
    assert not NewsPost.objects.exists()


@pytest.mark.parametrize("url", ["/news/new/", "/news/{pk}/edit/", "/news/{pk}/delete/"])
def test_the_forms_are_for_admins_only(client, admin, url):
    post = publish_news_post(author=admin, title="Stays", body="x")
    url = url.format(pk=post.pk)
    guest = client.get(url)
    assert guest.status_code == 302 and guest["Location"].startswith("/users/login")
    client.force_login(make_account("reader"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Gone", "body": "x", "status": "publish"}).status_code == 403
    post.refresh_from_db()
    assert post.title == "Stays"
    assert NewsPost.objects.count() == 1


def test_the_forms_refuse_a_post_without_a_csrf_token(admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    response = client.post("/news/new/", {"title": "T", "body": "x", "status": "publish"})
    assert response.status_code == 403
    assert not NewsPost.objects.exists()


def test_the_feed_parses_without_errors_and_carries_published_posts(client, admin):
    publish_news_post(
        author=admin,
        title="Older & wiser",
        body="<p>One <em>two</em>\x07</p>",
        publish_at=timezone.now() - timedelta(days=1),
    )
    publish_news_post(author=admin, title="Newest", body="<p>Three</p>")
    publish_news_post(author=admin, title="Hidden draft", body="x", draft=True)
    response = client.get("/news/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.title for entry in feed.entries] == ["Newest", "Older & wiser"]
    assert "<em>two</em>" in feed.entries[1].summary
    newest = NewsPost.objects.get(title="Newest")
    assert feed.entries[0].link == f"http://testserver/news/{newest.pk}/"
    assert feed.entries[0].id.startswith("tag:")


def test_the_footer_links_to_the_news(client):
    assert 'href="/news/"' in client.get("/works/").content.decode()
