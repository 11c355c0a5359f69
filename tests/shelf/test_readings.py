"""A logged-in reader's history and Mark for later: what opening a work records, pausing,
deleting, clearing, and the pages only their owner sees."""

import pytest
from django.urls import reverse

from ficshelf.shelf import readings
from ficshelf.shelf.models import Reading
from tests.factories import make_account, make_user, make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(author):
    return make_work(author, chapters=3, title="Long Road")


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


def chapters_of(work):
    return list(work.chapters.order_by("position"))


def test_opening_a_work_puts_it_in_the_readers_history_with_the_chapter_reached(
    reader_client, reader, work
):
    one, two, three = chapters_of(work)
    assert reader_client.get(work.get_absolute_url()).status_code == 200
    entry = Reading.objects.get(user=reader, work=work)
    assert (entry.views, entry.chapter_id, entry.in_history) == (1, one.pk, True)
    first_seen = entry.first_viewed_at

    reader_client.get(three.get_absolute_url())
    entry.refresh_from_db()
    assert (entry.views, entry.chapter_id) == (2, three.pk)
    assert entry.first_viewed_at == first_seen
    assert entry.viewed_at > first_seen


def test_the_works_first_page_does_not_move_a_reader_who_is_further_on(reader_client, reader, work):
    _, two, _ = chapters_of(work)
    reader_client.get(two.get_absolute_url())
    readings.save_position(user=reader, work=work, chapter_id=two.pk, paragraph_id="1")
    reader_client.get(work.get_absolute_url())
    entry = Reading.objects.get(user=reader, work=work)
    assert (entry.chapter_id, entry.paragraph, entry.views) == (two.pk, "1", 2)


def test_opening_another_chapter_forgets_the_paragraph_of_the_last(reader_client, reader, work):
    one, two, _ = chapters_of(work)
    reader_client.get(one.get_absolute_url())
    readings.save_position(user=reader, work=work, chapter_id=one.pk, paragraph_id="1")
    reader_client.get(one.get_absolute_url())  # the same chapter again keeps it
    assert Reading.objects.get(user=reader).paragraph == "1"
    reader_client.get(two.get_absolute_url())
    entry = Reading.objects.get(user=reader)
    assert (entry.chapter_id, entry.paragraph, entry.paragraph_index) == (two.pk, "", None)


def test_guests_are_never_recorded(client, work):
    client.get(work.get_absolute_url())
    assert not Reading.objects.exists()


def test_paused_history_records_neither_views_nor_positions(reader_client, reader, work):
    one = chapters_of(work)[0]
    readings.pause_history(user=reader)
    reader_client.get(work.get_absolute_url())
    assert not Reading.objects.exists()
    url = reverse("shelf:save_position", args=[work.pk])
    response = reader_client.post(url, {"chapter": one.pk, "paragraph": "1"})
    assert response.status_code == 204
    assert not Reading.objects.exists()
    page = reader_client.get(work.get_absolute_url()).content.decode()
    assert "data-position-url" not in page  # the browser is not even asked

    readings.resume_history(user=reader)
    reader_client.get(work.get_absolute_url())
    assert Reading.objects.get(user=reader).views == 1


def test_mark_for_later_is_its_own_list_and_survives_deleting_the_history_entry(
    reader_client, reader, work
):
    response = reader_client.post(reverse("shelf:mark_for_later", args=[work.pk]))
    assert response.status_code == 302
    entry = Reading.objects.get(user=reader)
    assert entry.marked_for_later and not entry.in_history  # marked, not read

    reader_client.get(work.get_absolute_url())
    page = reader_client.get(reverse("shelf:readings", args=["reader"])).content.decode()
    assert "Long Road" in page and "Visited 1 time" in page

    reader_client.post(reverse("shelf:delete_reading", args=["reader", work.pk]))
    entry.refresh_from_db()
    assert entry.marked_for_later and not entry.in_history
    assert (entry.views, entry.chapter_id, entry.paragraph) == (0, None, "")
    history = reader_client.get(reverse("shelf:readings", args=["reader"])).content.decode()
    assert "Long Road" not in history
    later = reader_client.get(reverse("shelf:later", args=["reader"])).content.decode()
    assert "Long Road" in later

    reader_client.post(reverse("shelf:unmark_for_later", args=[work.pk]))
    assert not Reading.objects.exists()  # nothing left to keep


def test_the_work_page_offers_mark_for_later_then_undo(reader_client, work):
    page = reader_client.get(work.get_absolute_url()).content.decode()
    assert ">Mark for later</button>" in page
    reader_client.post(reverse("shelf:mark_for_later", args=[work.pk]))
    page = reader_client.get(work.get_absolute_url()).content.decode()
    assert "Marked for later ✓" in page and ">undo</button>)" in page


def test_clearing_history_keeps_marks_and_asks_first(reader_client, reader, author):
    kept, gone = make_work(author, title="Kept"), make_work(author, title="Gone")
    for work in (kept, gone):
        reader_client.get(work.get_absolute_url())
    readings.mark_for_later(user=reader, work=kept)
    url = reverse("shelf:clear_readings", args=["reader"])
    assert "Clear your history?" in reader_client.get(url).content.decode()
    assert Reading.objects.filter(in_history=True).count() == 2
    reader_client.post(url)
    assert list(Reading.objects.values_list("work_id", "in_history")) == [(kept.pk, False)]


def test_the_history_page_pauses_and_resumes(reader_client, reader):
    page = reader_client.get(reverse("shelf:readings", args=["reader"])).content.decode()
    assert "Pause history" in page
    reader_client.post(reverse("shelf:pause_history", args=["reader"]))
    assert readings.history_paused(reader)
    page = reader_client.get(reverse("shelf:readings", args=["reader"])).content.decode()
    assert "Resume history" in page and "Your history is paused" in page
    reader_client.post(reverse("shelf:resume_history", args=["reader"]))
    assert not readings.history_paused(reader)


def test_history_is_newest_first_with_the_chapter_of_all(reader_client, author):
    older, newer = make_work(author, title="Older"), make_work(author, chapters=2, title="Newer")
    reader_client.get(older.get_absolute_url())
    reader_client.get(chapters_of(newer)[1].get_absolute_url())
    page = reader_client.get(reverse("shelf:readings", args=["reader"])).content.decode()
    assert page.index("Newer") < page.index("Older")
    assert "Chapter 2 of 2" in page


def test_a_work_no_longer_readable_shows_as_no_longer_available(reader_client, author):
    from ficshelf.works.models import Work

    work = make_work(author, title="Secret Title")
    reader_client.get(work.get_absolute_url())
    Work.objects.filter(pk=work.pk).update(posted=False)  # back to a draft
    page = reader_client.get(reverse("shelf:readings", args=["reader"])).content.decode()
    assert "(no longer available)" in page
    assert "Secret Title" not in page


@pytest.mark.parametrize("name", ["shelf:readings", "shelf:later", "shelf:clear_readings"])
def test_only_the_owner_sees_their_lists(client, reader, name):
    url = reverse(name, args=["reader"])
    assert client.get(url).status_code == 404  # a guest
    client.force_login(make_account("someone"))
    assert client.get(url).status_code == 404
    assert client.get(reverse(name, args=["nobody"])).status_code == 404


def test_another_reader_cannot_delete_or_pause_anothers_history(client, reader, work):
    readings.record_reading(user=reader, work=work)
    client.force_login(make_account("someone"))
    assert client.post(reverse("shelf:delete_reading", args=["reader", work.pk])).status_code == 404
    assert client.post(reverse("shelf:pause_history", args=["reader"])).status_code == 404
    assert Reading.objects.filter(user=reader, in_history=True).exists()


def test_changing_state_needs_a_post(reader_client, work):
    assert reader_client.get(reverse("shelf:mark_for_later", args=[work.pk])).status_code == 405
    assert reader_client.get(reverse("shelf:pause_history", args=["reader"])).status_code == 405


def test_a_guest_cannot_mark_for_later(client, work):
    assert client.post(reverse("shelf:mark_for_later", args=[work.pk])).status_code == 403


def test_marking_a_draft_of_someone_else_is_a_404(reader_client):
    draft = make_work(make_user("drafter"), post=False)
    assert reader_client.post(reverse("shelf:mark_for_later", args=[draft.pk])).status_code == 404


def test_the_history_is_paginated(reader_client, reader, author):
    from ficshelf.shelf.views.readings import ENTRIES_PER_PAGE

    for number in range(ENTRIES_PER_PAGE + 1):
        readings.record_reading(user=reader, work=make_work(author, title=f"W{number}"))
    page = reader_client.get(reverse("shelf:readings", args=["reader"])).content.decode()
    assert "Page 1 of 2" in page


def test_ones_own_profile_links_to_history_and_mark_for_later(client, reader):
    url = reverse("accounts:profile", args=["reader"])
    client.force_login(make_account("someone"))
    assert reverse("shelf:readings", args=["reader"]) not in client.get(url).content.decode()
    client.force_login(reader)
    page = client.get(url).content.decode()
    assert reverse("shelf:readings", args=["reader"]) in page
    assert reverse("shelf:later", args=["reader"]) in page
