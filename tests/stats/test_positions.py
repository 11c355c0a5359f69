"""The dashboard shows where logged-in readers' last reading positions fall in each chapter:
counts and a median only, without the work's creators."""

import pytest
from django.urls import reverse

from ficshelf.shelf import readings
from ficshelf.stats.figures import work_figures
from ficshelf.userstuff.paragraphs import paragraphs_of
from tests.factories import make_account, make_user, make_work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

TEXT = "".join(f"<p>Paragraph {n}.</p>" for n in range(1, 11))


@pytest.fixture
def author():
    return make_user("positioned")


@pytest.fixture
def work(author):
    return make_work(author, chapters=2, text=TEXT, title="Ten and One")


def place(user, work, chapter, index):
    paragraph = paragraphs_of(chapter.text)[index].id
    readings.save_position(user=user, work=work, chapter_id=chapter.pk, paragraph_id=paragraph)


def test_each_chapter_counts_its_readers_last_places_and_their_median(author, work):
    one, two = work.chapters.order_by("position")
    for n, index in enumerate([1, 4, 8]):
        place(make_account(f"fan{n}"), work, one, index)
    # A reader whose browser sent no paragraph counts for the chapter only.
    readings.record_reading(user=make_account("nojs"), work=work, chapter=two)
    place(author, work, one, 9)  # the author's own reading is not counted
    rows = {row.chapter.pk: row for row in work_figures(work).positions}
    first = rows[one.pk]
    assert (first.readers, first.with_paragraph, first.paragraphs) == (3, 3, 10)
    assert (first.median_paragraph, first.median_share) == (5, 0.5)
    second = rows[two.pk]
    assert (second.readers, second.with_paragraph, second.median_paragraph) == (1, 0, None)


def test_readers_who_delete_the_work_from_their_history_are_no_longer_counted(work):
    one = work.chapters.get(position=1)
    fan = make_account("fan")
    place(fan, work, one, 3)
    assert work_figures(work).positions[0].readers == 1
    readings.delete_history_entry(user=fan, work_id=work.pk)
    assert work_figures(work).positions == []


def test_the_dashboard_shows_the_places_and_says_who_is_counted(client, author, work):
    one = work.chapters.get(position=1)
    place(make_account("fan"), work, one, 4)
    client.force_login(author)
    page = client.get(reverse("stats:work", args=[work.pk])).content.decode()
    assert "Where readers last were" in page
    assert "Only logged-in readers who keep a history are counted" in page
    assert "paragraph 5 of 10 (50% through)" in page


def test_the_dashboard_says_when_no_place_is_known(client, author, work):
    client.force_login(author)
    page = client.get(reverse("stats:work", args=[work.pk])).content.decode()
    assert "No logged-in reader's place is known yet." in page
