"""The bookmark pages: the form from the work page, one bookmark, editing and deleting, and
who sees which bookmarks in the lists."""

import pytest
from django.urls import reverse

from ficshelf.bookmarks.models import Bookmark
from ficshelf.bookmarks.services import bookmark_series, bookmark_work
from ficshelf.works.models import Work
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


def _new_url(work):
    return reverse("bookmarks:new_work_bookmark", kwargs={"work_id": work.pk})


def test_a_reader_bookmarks_a_work_from_its_page_without_javascript(author, reader_client):
    work = make_work(author, title="Shiny")
    page = reader_client.get(work.get_absolute_url()).content.decode()
    assert f'href="{_new_url(work)}"' in page
    form = reader_client.get(_new_url(work))
    assert form.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in form.content.decode()
    response = reader_client.post(
        _new_url(work),
        {
            "pseud": "",
            "notes": "<p>Read it twice</p>",
            "tags": "comfort read, angst",
            "rec": "on",
        },
    )
    # The pseud is required: the form comes back with an error, nothing saved.
    assert response.status_code == 400
    assert not Bookmark.objects.exists()


def test_posting_the_form_makes_the_bookmark(author, reader, reader_client):
    work = make_work(author)
    response = reader_client.post(
        _new_url(work),
        {
            "pseud": str(reader.default_pseud.pk),
            "notes": "<p>Read it twice</p>",
            "tags": "comfort read, angst",
            "rec": "on",
        },
    )
    bookmark = Bookmark.objects.get()
    assert response.status_code == 302 and response.url == bookmark.get_absolute_url()
    assert bookmark.rec and not bookmark.private
    assert sorted(t.name for t in bookmark.tags.all()) == ["angst", "comfort read"]
    page = reader_client.get(bookmark.get_absolute_url()).content.decode()
    assert "Read it twice" in page and "comfort read" in page and "Rec" in page
    # The work page now offers editing it instead.
    work_page = reader_client.get(work.get_absolute_url()).content.decode()
    assert reverse("bookmarks:edit", kwargs={"bookmark_id": bookmark.pk}) in work_page
    # And a second "new" form sends the reader to the edit form.
    again = reader_client.get(_new_url(work))
    assert again.status_code == 302
    assert again.url == reverse("bookmarks:edit", kwargs={"bookmark_id": bookmark.pk})


def test_over_long_notes_come_back_as_a_form_error(author, reader, reader_client):
    work = make_work(author)
    response = reader_client.post(
        _new_url(work), {"pseud": str(reader.default_pseud.pk), "notes": "x" * 10_001}
    )
    assert response.status_code == 400
    assert "at most 10,000 characters" in response.content.decode()


def test_a_guest_is_asked_to_log_in_to_bookmark(client, author):
    work = make_work(author)
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Log in to bookmark" in page
    response = client.get(_new_url(work))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert client.post(_new_url(work), {"notes": "x"}).status_code == 302
    assert not Bookmark.objects.exists()


def test_a_draft_or_an_unreachable_work_has_no_bookmark_form(author, reader_client):
    draft = make_work(author, post=False)
    assert reader_client.get(_new_url(draft)).status_code == 404
    assert reader_client.get("/works/999999/bookmarks/new").status_code == 404


def test_editing_and_deleting_ones_bookmark(author, reader, reader_client):
    work = make_work(author)
    bookmark = bookmark_work(user=reader, work=work, notes="first")
    edit_url = reverse("bookmarks:edit", kwargs={"bookmark_id": bookmark.pk})
    assert "first" in reader_client.get(edit_url).content.decode()
    response = reader_client.post(
        edit_url, {"pseud": str(reader.default_pseud.pk), "notes": "second", "private": "on"}
    )
    assert response.status_code == 302
    bookmark.refresh_from_db()
    assert bookmark.private and bookmark.notes == "second"
    assert Work.objects.get(pk=work.pk).bookmarks_count == 0
    delete_url = reverse("bookmarks:delete", kwargs={"bookmark_id": bookmark.pk})
    assert reader_client.get(delete_url).status_code == 200
    assert Bookmark.objects.exists()  # a GET deletes nothing
    response = reader_client.post(delete_url)
    assert response.status_code == 302
    assert not Bookmark.objects.exists()


def test_someone_elses_bookmark_cannot_be_edited_or_deleted(client, author, reader):
    bookmark = bookmark_work(user=reader, work=make_work(author))
    client.force_login(make_user("intruder"))
    for name in ("bookmarks:edit", "bookmarks:delete"):
        url = reverse(name, kwargs={"bookmark_id": bookmark.pk})
        assert client.get(url).status_code == 403
        assert client.post(url, {"notes": "hijacked"}).status_code == 403
    bookmark.refresh_from_db()
    assert bookmark.notes == ""


def test_a_guest_never_sees_a_private_bookmark_the_owner_does(client, author, reader):
    work = make_work(author, title="Secret Fave")
    private = bookmark_work(user=reader, work=work, notes="my secret note", private=True)
    lists = [
        reverse("bookmarks:user_bookmarks", kwargs={"username": reader.username}),
        reverse("bookmarks:work_bookmarks", kwargs={"work_id": work.pk}),
    ]
    for url in lists:
        page = client.get(url).content.decode()
        assert "my secret note" not in page
    assert client.get(private.get_absolute_url()).status_code == 404
    client.force_login(make_user("other"))
    assert client.get(private.get_absolute_url()).status_code == 404
    assert "my secret note" not in client.get(lists[0]).content.decode()
    client.force_login(reader)
    page = client.get(lists[0]).content.decode()
    assert "my secret note" in page and "Private" in page
    assert client.get(private.get_absolute_url()).status_code == 200


def test_a_bookmark_of_a_restricted_work_is_hidden_from_guests(client, author, reader):
    open_work = make_work(author, title="Open Work")
    locked = make_work(author, title="Locked Work", restricted=True)
    bookmark_work(user=reader, work=open_work)
    hidden = bookmark_work(user=reader, work=locked, notes="behind the login")
    url = reverse("bookmarks:user_bookmarks", kwargs={"username": reader.username})
    page = client.get(url).content.decode()
    assert "Open Work" in page and "Locked Work" not in page
    assert "1 bookmark." in page
    assert client.get(hidden.get_absolute_url()).status_code == 404
    profile = client.get(reverse("accounts:profile", kwargs={"username": reader.username}))
    assert "Bookmarks (1)" in profile.content.decode()
    work_list = reverse("bookmarks:work_bookmarks", kwargs={"work_id": locked.pk})
    assert client.get(work_list).status_code == 404
    client.force_login(make_user("member"))
    page = client.get(url).content.decode()
    assert "Locked Work" in page and "2 bookmarks." in page
    profile = client.get(reverse("accounts:profile", kwargs={"username": reader.username}))
    assert "Bookmarks (2)" in profile.content.decode()


def test_a_bookmark_of_a_work_that_became_a_draft_is_left_out(client, author, reader):
    work = make_work(author, title="Taken Back")
    bookmark_work(user=reader, work=work)
    Work.objects.filter(pk=work.pk).update(posted=False, published_at=None)
    client.force_login(reader)
    url = reverse("bookmarks:user_bookmarks", kwargs={"username": reader.username})
    assert "Taken Back" not in client.get(url).content.decode()


def test_a_works_bookmarks_page_lists_its_public_bookmarks(client, author, reader):
    work = make_work(author, title="Popular")
    bookmark_work(user=reader, work=work, notes="so good", tag_names=["Hurt/Comfort"])
    bookmark_work(user=make_user("fan"), work=work, private=True, notes="quiet fan")
    page = client.get(reverse("bookmarks:work_bookmarks", kwargs={"work_id": work.pk}))
    body = page.content.decode()
    assert page.status_code == 200
    assert "so good" in body and "Hurt/Comfort" in body and "quiet fan" not in body
    assert "1 bookmark." in body


def test_lists_are_paginated_keeping_the_filters(client, author, reader, monkeypatch):
    from ficshelf.bookmarks import views

    assert views.BOOKMARKS_PER_PAGE == 20
    monkeypatch.setattr(views, "BOOKMARKS_PER_PAGE", 2)  # three works, not twenty-one
    for number in range(3):
        bookmark_work(user=reader, work=make_work(author, title=f"Work {number}"), rec=True)
    url = reverse("bookmarks:user_bookmarks", kwargs={"username": reader.username})
    first = client.get(url + "?rec=on").content.decode()
    assert first.count('class="bookmark blurb group') == 2
    assert "Page 1 of 2" in first and "?rec=on&amp;page=2" in first
    second = client.get(url + "?rec=on&page=2").content.decode()
    assert second.count('class="bookmark blurb group') == 1


def test_an_unknown_user_or_bookmark_is_a_404(client):
    assert client.get("/users/nobody_here/bookmarks").status_code == 404
    assert client.get("/bookmarks/424242").status_code == 404


def test_a_readers_hidden_works_are_left_out_of_bookmark_lists(client, author, reader):
    from ficshelf.feedback.services.blocking import hide_work

    shown = make_work(author, title="Still Shown")
    hidden = make_work(author, title="Hidden Away")
    bookmark_work(user=reader, work=shown)
    bookmark_work(user=reader, work=hidden)
    looker = make_user("looker")
    hide_work(user=looker, work=hidden)
    client.force_login(looker)
    page = client.get(reverse("bookmarks:user_bookmarks", kwargs={"username": reader.username}))
    body = page.content.decode()
    assert "Still Shown" in body and "Hidden Away" not in body and "1 bookmark." in body


def test_a_page_of_bookmarks_costs_the_same_queries_however_many(client, author, reader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.bookmarks.helpers import make_series

    url = reverse("bookmarks:user_bookmarks", kwargs={"username": reader.username})

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    bookmark_work(user=reader, work=make_work(author), tag_names=["one"])
    bookmark_series(user=reader, series=make_series(author, [make_work(author)]))
    few = queries()
    for number in range(3):
        bookmark_work(user=reader, work=make_work(author), tag_names=[f"t{number}", "x"])
    bookmark_series(user=reader, series=make_series(author, [make_work(author)], title="B"))
    assert queries() == few
