"""Deleting a work through its confirmation page."""

import pytest

from ficshelf.works.models import Chapter, Work
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


def test_a_creator_deletes_their_work_after_confirming(author_client, author):
    work = make_work(author, chapters=2, title="Gone Soon")
    page = author_client.get(f"/works/{work.pk}/confirm_delete")
    assert page.status_code == 200
    assert "Delete “Gone Soon”?" in page.content.decode()
    # Seeing the confirmation deletes nothing.
    assert Work.objects.filter(pk=work.pk).exists()

    response = author_client.post(f"/works/{work.pk}/confirm_delete")
    assert response.status_code == 302
    assert response["Location"] == "/users/author/works"
    assert not Work.objects.filter(pk=work.pk).exists()
    assert not Chapter.objects.filter(work_id=work.pk).exists()
    assert author_client.get(f"/works/{work.pk}").status_code == 404


def test_a_co_creator_can_delete_the_work(client, author):
    from tests.factories import add_co_creator

    partner = make_user("partner")
    work = add_co_creator(make_work(author), by=author, user=partner)
    client.force_login(partner)
    assert client.post(f"/works/{work.pk}/confirm_delete").status_code == 302
    assert not Work.objects.filter(pk=work.pk).exists()


def test_another_user_cannot_delete_a_work(client, author):
    work = make_work(author)
    client.force_login(make_user())
    assert client.get(f"/works/{work.pk}/confirm_delete").status_code == 404
    assert client.post(f"/works/{work.pk}/confirm_delete").status_code == 404
    assert Work.objects.filter(pk=work.pk).exists()


def test_a_guest_cannot_delete_a_work(client, author):
    work = make_work(author)
    response = client.post(f"/works/{work.pk}/confirm_delete")
    assert response.status_code == 302
    assert "/users/login" in response["Location"]
    assert Work.objects.filter(pk=work.pk).exists()


def test_deleting_a_work_keeps_its_tags_for_other_works(author_client, author):
    keep = make_work(author, relationships=["Alex/Olivia"])
    gone = make_work(author, relationships=["Alex/Olivia"])
    author_client.post(f"/works/{gone.pk}/confirm_delete")
    assert [tag.name for tag in Work.objects.get(pk=keep.pk).relationships] == ["Alex/Olivia"]
