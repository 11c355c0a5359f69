"""The retention funnel and the response since the last chapter, from a scripted set of readers
whose figures were worked out by hand."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ficshelf.feedback.services.comments import post_comment
from ficshelf.feedback.services.kudos import give_kudos
from ficshelf.stats import figures, services
from ficshelf.works.models import Chapter
from tests.factories import make_account, make_user, make_work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

DAY = timedelta(days=1)


def view(work, chapter, reader: str, at) -> tuple:
    """A page view as the counting buffers it."""
    return (work.pk, (chapter.pk,), False, reader, int(at.timestamp()))


@pytest.fixture
def story():
    """Three chapters posted 30, 20 and 10 days ago, and their readers:

    - accounts a1..a6 open chapter 1 a day after it was posted (so before chapters 2 and 3);
      a1 and a2 open chapter 2 a day after it was posted, a3 and a4 eight days after;
      a1 opens chapter 3 two days after it was posted, a2 six days after, a3 nine days after;
      a1 opens chapter 1 again on another day (a second hit, the same reader);
    - guests g1..g4 open chapter 1 on one day, g1 and g2 chapter 2 the same day;
    - guest g5 opens chapter 3 only.

    By hand:    readers  reached  from previous  came back  stopped  hits
      chapter 1    10    10 100%       –             –         4      11
      chapter 2     6     6  60%    6 of 10 (60%)    2         3       6
      chapter 3     4     3  30%    3 of 6 (50%)     2         4       4
    """
    author = make_user("novelist")
    work = make_work(author, chapters=3, title="Counted")
    chapters = list(work.chapters.order_by("position"))
    now = timezone.now()
    posted = {1: now - 30 * DAY, 2: now - 20 * DAY, 3: now - 10 * DAY}
    for chapter in chapters:
        Chapter.objects.filter(pk=chapter.pk).update(published_at=posted[chapter.position])
        chapter.published_at = posted[chapter.position]
    one, two, three = chapters
    accounts = [make_account(f"a{n}") for n in range(1, 7)]
    a = {n: f"u{user.pk}" for n, user in enumerate(accounts, start=1)}
    views = [view(work, one, a[n], posted[1] + DAY) for n in range(1, 7)]
    views += [view(work, one, a[1], posted[1] + 3 * DAY)]
    views += [view(work, one, a[1], posted[1] + DAY + timedelta(minutes=5))]  # the same day
    views += [view(work, two, a[n], posted[2] + DAY) for n in (1, 2)]
    views += [view(work, two, a[n], posted[2] + 8 * DAY) for n in (3, 4)]
    views += [
        view(work, three, a[1], posted[3] + 2 * DAY),
        view(work, three, a[2], posted[3] + 6 * DAY),
        view(work, three, a[3], posted[3] + 9 * DAY),
    ]
    guest_day = posted[3] + timedelta(hours=3)
    views += [view(work, one, f"g{n:032x}", guest_day) for n in range(1, 5)]
    views += [view(work, two, f"g{n:032x}", guest_day) for n in (1, 2)]
    views += [view(work, three, f"g{5:032x}", guest_day)]
    services.record_hits(entries=views)
    return work, author


def test_the_funnel_matches_the_readers_worked_out_by_hand(story):
    work, _ = story
    data = figures.work_figures(work)
    table = [
        (
            row.chapter.position,
            row.readers,
            row.reached,
            row.from_previous,
            row.returned,
            row.stopped,
            row.hits,
        )
        for row in data.chapters
    ]
    assert table == [
        (1, 10, 10, None, None, 4, 11),
        (2, 6, 6, 6, 2, 3, 6),
        (3, 4, 3, 3, 2, 4, 4),
    ]
    assert [row.reached_share for row in data.chapters] == [1.0, 0.6, 0.3]
    assert [row.from_previous_share for row in data.chapters] == [None, 0.6, 0.5]
    assert data.hits == 21
    assert data.readers == 11  # six accounts and five guests (each on their day)
    assert data.account_readers == 6


def test_recording_the_same_views_twice_changes_nothing(story):
    work, _ = story
    before = figures.work_figures(work)
    chapter = work.chapters.get(position=1)
    reader = f"u{make_account('late').pk}"
    services.record_hits(entries=[view(work, chapter, reader, timezone.now())] * 2)
    after = figures.work_figures(work)
    assert after.chapters[0].hits == before.chapters[0].hits + 1
    assert after.chapters[0].readers == before.chapters[0].readers + 1


def test_should_i_continue_compares_the_latest_chapter_with_the_authors_average(story):
    work, _ = story
    three = work.chapters.get(position=3)
    fan = make_account("fan")
    give_kudos(work=work, giver=fan)
    post_comment(work=work, chapter=three, commenter=fan, text="More, please!")
    critic = make_account("critic")
    post_comment(
        work=work, chapter=three, commenter=critic, text="The pacing drags.", is_critique=True
    )
    _, author = story
    post_comment(work=work, chapter=three, commenter=author, text="Thank you!")  # not a response
    response = figures.work_figures(work).response
    assert response.chapter == three
    assert response.readers == 4
    assert response.retention == 0.5  # three of chapter 2's six readers
    assert response.average == 0.6  # chapter 1 to 2, the only earlier step
    assert (response.kudos, response.comments, response.critique) == (1, 2, 1)
    assert [c.text for c in response.recent][0].startswith("<p>The pacing drags.")


def test_a_new_works_first_step_is_compared_with_the_authors_other_works(story):
    work, author = story
    sequel = make_work(author, chapters=2, title="Sequel")
    one, two = sequel.chapters.order_by("position")
    now = timezone.now()
    views = [view(sequel, one, f"u{make_account(f's{n}').pk}", now) for n in range(4)]
    views += [view(sequel, two, views[0][3], now)]
    services.record_hits(entries=views)
    response = figures.response_since_last(sequel)
    assert response.retention == 0.25
    assert response.average == pytest.approx((0.6 + 0.5) / 2)  # the first work's two steps


def test_the_paragraphs_with_the_most_inline_comments_come_first():
    from ficshelf.feedback.anchors import Anchor
    from ficshelf.userstuff.paragraphs import paragraphs_of

    work = make_work(text="<p>Opening line here.</p><p>The middle part.</p><p>The end.</p>")
    chapter = work.chapters.get()
    paragraphs = [p for p in paragraphs_of(chapter.text) if p.id]
    readers = [make_account(f"r{n}") for n in range(3)]
    for paragraph, commenters in ((paragraphs[1], readers), (paragraphs[0], readers[:1])):
        for reader in commenters:
            quote = paragraph.text[:5]
            post_comment(
                work=work,
                chapter=chapter,
                commenter=reader,
                text="Here!",
                anchor=Anchor(int(paragraph.id), quote, 0, len(quote)),
            )
    data = figures.work_figures(work)
    assert [(p.number, p.comments) for p in data.paragraphs] == [(2, 3), (1, 1)]
    assert data.paragraphs[0].opening == "The middle part."
    assert data.inline_comments == 4
    assert data.chapters[0].inline_comments == 4
    assert data.chapters[0].comments == 0
