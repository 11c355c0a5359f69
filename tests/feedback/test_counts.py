"""Counts where readers expect them: kudos and comments in the work's stats (dl.stats with
dd.kudos and dd.comments, as otwarchive marks them), on its blurb in lists, and under each
chapter."""

import pytest
from django.test import Client

from ficshelf.feedback.services.comments import post_comment
from ficshelf.feedback.services.kudos import give_kudos, guest_key_for
from tests.factories import make_account, make_work
from tests.works.pages import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def work(author):
    return make_work(author, chapters=2, title="Counted")


def _with_kudos(work, *, on_work: int, on_first_chapter: int):
    first = work.chapters.order_by("position").first()
    for number in range(on_work):
        give_kudos(work=work, giver=make_account(f"fan{number}"))
    for number in range(on_first_chapter):
        key = guest_key_for(ip="198.51.100.7", session_key=f"guest{number}")
        give_kudos(work=work, chapter=first, giver=None, guest_key=key)
    return first


def test_a_work_without_kudos_shows_no_kudos_count(work):
    page = parse(Client().get(work.get_absolute_url()).content)
    assert not page.select("dl.stats dd.kudos")
    assert not parse(Client().get("/works/").content).select(f"#work_{work.pk} dd.kudos")


def test_the_works_stats_count_the_kudos_on_the_work_itself(work):
    _with_kudos(work, on_work=3, on_first_chapter=2)
    page = parse(Client().get(work.get_absolute_url()).content)
    assert page.one("dl.stats dd.kudos").text == "3"


def test_a_blurb_on_the_works_index_shows_the_works_kudos(work, reader):
    _with_kudos(work, on_work=2, on_first_chapter=1)
    guest = Client()
    assert parse(guest.get("/works/").content).one(f"#work_{work.pk} dd.kudos").text == "2"
    logged_in = Client()
    logged_in.force_login(reader)
    assert parse(logged_in.get("/works/").content).one(f"#work_{work.pk} dd.kudos").text == "2"


def test_each_chapter_shows_its_own_kudos(work):
    first = _with_kudos(work, on_work=1, on_first_chapter=2)
    second = work.chapters.get(position=2)
    page = parse(Client().get(f"{work.get_absolute_url()}?view_full_work=true").content)
    assert page.one(f"#kudos_chapter_{first.pk} span.kudos-count").text == "2 kudos"
    assert page.one(f"#kudos_chapter_{second.pk} span.kudos-count").text == "0 kudos"
    chapter_page = parse(Client().get(second.get_absolute_url()).content)
    assert chapter_page.one(f"#kudos_chapter_{second.pk} span.kudos-count").text == "0 kudos"


def test_a_new_kudos_shows_in_the_counts_on_the_next_guest_read(work):
    guest = Client()
    guest.get("/works/")
    guest.get(work.get_absolute_url())
    _with_kudos(work, on_work=1, on_first_chapter=0)
    assert parse(guest.get("/works/").content).one(f"#work_{work.pk} dd.kudos").text == "1"
    assert parse(guest.get(work.get_absolute_url()).content).one("dd.kudos").text == "1"


def test_comments_are_counted_on_the_stats_the_blurb_and_their_chapter(work, reader):
    first = work.chapters.order_by("position").first()
    second = work.chapters.get(position=2)
    guest = Client()
    guest.get(work.get_absolute_url())  # cached before the comments: never stale after them
    post_comment(work=work, chapter=first, commenter=reader, text="Loved the opening.")
    post_comment(work=work, chapter=first, commenter=make_account("fan"), text="Same here!")
    post_comment(work=work, chapter=None, commenter=reader, text="On the whole work.")
    page = parse(guest.get(f"{work.get_absolute_url()}?view_full_work=true").content)
    assert page.one("dl.stats dd.comments").text == "3"
    assert page.one(f"#kudos_chapter_{first.pk} span.comments-count").text == "2 comments"
    assert not page.select(f"#kudos_chapter_{second.pk} span.comments-count")
    blurb = parse(guest.get("/works/").content).one(f"#work_{work.pk}")
    assert blurb.one("dd.comments").text == "3"
