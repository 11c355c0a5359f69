"""The count of public bookmarks on blurbs, in a work's stats (guests' cached pages too) and
on the author's dashboard."""

import pytest
from django.urls import reverse

from ficshelf.bookmarks.services import bookmark_work, delete_bookmark, edit_bookmark
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


def _bookmarks_dd(html: str) -> str | None:
    marker = '<dd class="bookmarks">'
    if marker not in html:
        return None
    return html.split(marker, 1)[1].split("</dd>", 1)[0]


def test_the_work_page_shows_the_count_to_guests_as_it_changes(client, author, reader):
    work = make_work(author)
    assert _bookmarks_dd(client.get(work.get_absolute_url()).content.decode()) is None
    bookmark = bookmark_work(user=reader, work=work)
    bookmark_work(user=make_user("fan"), work=work)
    dd = _bookmarks_dd(client.get(work.get_absolute_url()).content.decode())
    link = reverse("bookmarks:work_bookmarks", kwargs={"work_id": work.pk})
    assert dd == f'<a href="{link}">2</a>'
    # The guest's page is cached: the change must still be seen on the next request.
    edit_bookmark(user=reader, bookmark=bookmark, private=True)
    assert ">1</a>" in _bookmarks_dd(client.get(work.get_absolute_url()).content.decode())
    edit_bookmark(user=reader, bookmark=bookmark, private=False)
    assert ">2</a>" in _bookmarks_dd(client.get(work.get_absolute_url()).content.decode())
    delete_bookmark(user=reader, bookmark=bookmark)
    assert ">1</a>" in _bookmarks_dd(client.get(work.get_absolute_url()).content.decode())


def test_blurbs_show_the_count_in_cached_listings(client, author, reader):
    work = make_work(author, title="Counted")
    index = reverse("works:index")
    assert _bookmarks_dd(client.get(index).content.decode()) is None
    bookmark_work(user=reader, work=work)
    assert ">1</a>" in _bookmarks_dd(client.get(index).content.decode())
    tag_page = client.get(reverse("search:works") + "?q=Counted").content.decode()
    assert ">1</a>" in _bookmarks_dd(tag_page)


def test_a_private_bookmark_shows_no_count(client, author, reader):
    work = make_work(author)
    bookmark_work(user=reader, work=work, private=True)
    assert _bookmarks_dd(client.get(work.get_absolute_url()).content.decode()) is None


def test_the_authors_dashboard_counts_public_bookmarks(author_client, author, reader):
    work = make_work(author, title="Dashboard Work")
    bookmark_work(user=reader, work=work)
    bookmark_work(user=make_user("shy"), work=work, private=True)
    page = author_client.get(reverse("stats:user", kwargs={"username": author.username}))
    assert '<td class="stats-bookmarks">1</td>' in page.content.decode()
    page = author_client.get(reverse("stats:work", kwargs={"work_id": work.pk}))
    assert 'class="stats-bookmarks"' in page.content.decode()
    assert ">1</a></dd>" in page.content.decode()
