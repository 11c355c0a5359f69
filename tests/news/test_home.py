"""The home page names the latest news post, on the very next request after a write, even for
a guest whose home page came from the page cache."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ficshelf.news.models import NewsPost
from ficshelf.news.services import (
    announce_due,
    delete_news_post,
    edit_news_post,
    publish_news_post,
)

pytestmark = pytest.mark.django_db


def _cached_home(guest: Client) -> str:
    """The home page, asked twice: the second answer comes from the page cache."""
    guest.get("/")
    again = guest.get("/")
    assert again.status_code == 200 and not again.templates  # served from the cache
    return again.content.decode()


def test_a_guest_who_had_the_home_page_cached_sees_a_new_post_at_once(admin):
    guest = Client()
    assert "Latest news" not in _cached_home(guest)
    post = publish_news_post(author=admin, title="Server move tonight", body="x")
    page = guest.get("/").content.decode()
    assert "Server move tonight" in page
    assert f'href="/news/{post.pk}/"' in page


def test_the_home_page_follows_edits_and_deletions(admin):
    guest = Client()
    post = publish_news_post(author=admin, title="First title", body="x")
    assert "First title" in _cached_home(guest)
    edit_news_post(post=post, editor=admin, title="Second title", body="x")
    assert "Second title" in guest.get("/").content.decode()
    _cached_home(guest)
    delete_news_post(post=NewsPost.objects.get(), editor=admin)
    assert "Latest news" not in guest.get("/").content.decode()


def test_the_home_page_names_only_the_latest_published_post(admin):
    publish_news_post(
        author=admin, title="Older", body="x", publish_at=timezone.now() - timedelta(days=1)
    )
    publish_news_post(author=admin, title="Newer", body="x")
    publish_news_post(author=admin, title="A draft", body="x", draft=True)
    publish_news_post(
        author=admin, title="Tomorrow", body="x", publish_at=timezone.now() + timedelta(days=1)
    )
    page = Client().get("/").content.decode()
    assert "Newer" in page
    assert "Older" not in page and "A draft" not in page and "Tomorrow" not in page


def test_a_scheduled_post_reaches_the_cached_home_page_when_announced(admin):
    guest = Client()
    post = publish_news_post(
        author=admin, title="Scheduled news", body="x", publish_at=timezone.now() + timedelta(1)
    )
    assert "Scheduled news" not in _cached_home(guest)
    # Its time comes (moved into the past here, as the clock would), and its task runs.
    NewsPost.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert announce_due() == 1
    assert "Scheduled news" in guest.get("/").content.decode()


def test_the_news_line_costs_the_home_page_one_query(admin, client):
    client.get("/")  # warm up whatever is computed once per process
    publish_news_post(author=admin, title="Counted", body="x")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert "Counted" in page
    news_queries = [q["sql"] for q in queries if "news_newspost" in q["sql"]]
    assert len(news_queries) == 1, news_queries
