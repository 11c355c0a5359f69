"""A bookmarker's account: their bookmarks in the export, and deleting the account (or a
pseud) deletes its bookmarks and takes them out of the works' counts."""

import json

import pytest

from ficshelf.accounts.extensions import account_export
from ficshelf.bookmarks.models import Bookmark, BookmarkTagging
from ficshelf.bookmarks.services import bookmark_series, bookmark_work
from ficshelf.works.models import Work
from tests.bookmarks.helpers import make_series
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


def test_the_export_holds_every_bookmark_private_ones_too(author, reader):
    work = make_work(author, title="Exported Work")
    series = make_series(author, [make_work(author)], title="Exported Series")
    bookmark_work(
        user=reader, work=work, notes="<p>note</p>", tag_names=["b tag", "a tag"], rec=True
    )
    bookmark_series(user=reader, series=series, private=True)
    bookmark_work(user=make_user("other"), work=work)
    exported = account_export(reader)["bookmarks"]
    json.dumps(exported)  # JSON can write it
    assert len(exported) == 2
    first, second = exported
    assert first["target"] == {
        "type": "work",
        "id": work.pk,
        "title": "Exported Work",
        "url": work.get_absolute_url(),
    }
    assert first["notes"] == "<p>note</p>" and first["tags"] == ["a tag", "b tag"]
    assert first["rec"] is True and first["private"] is False
    assert first["created_at"] and first["updated_at"]
    assert second["target"]["type"] == "series" and second["private"] is True


def test_deleting_an_account_deletes_its_bookmarks_and_moves_the_counts(author, reader):
    work = make_work(author)
    other = make_work(author)
    bookmark_work(user=reader, work=work, tag_names=["kept tag"])
    bookmark_work(user=reader, work=other, private=True)
    bookmark_work(user=make_user("stays"), work=work)
    version = Work.objects.get(pk=work.pk).content_version
    reader.delete()
    assert not Bookmark.objects.filter(user_id=reader.pk).exists()
    assert BookmarkTagging.objects.count() == 0
    assert Work.objects.get(pk=work.pk).bookmarks_count == 1
    assert Work.objects.get(pk=other.pk).bookmarks_count == 0
    assert Work.objects.get(pk=work.pk).content_version > version


def test_deleting_a_pseud_deletes_its_bookmarks_and_moves_the_counts(author, reader):
    from ficshelf.accounts.models import Pseud

    second = Pseud.objects.create(user=reader, name="Side Name")
    work = make_work(author)
    bookmark_work(user=reader, work=work, pseud=second)
    second.delete()
    assert not Bookmark.objects.exists()
    assert Work.objects.get(pk=work.pk).bookmarks_count == 0


def test_the_admin_deletes_through_the_service(admin_client, author, reader):
    from django.urls import reverse

    work = make_work(author)
    bookmark = bookmark_work(user=reader, work=work)
    url = reverse("admin:bookmarks_bookmark_delete", args=[bookmark.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Bookmark.objects.exists()
    assert Work.objects.get(pk=work.pk).bookmarks_count == 0
