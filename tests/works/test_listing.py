"""The works index and the home page: posted works, newest updated first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ficshelf.works.models import Work
from tests.factories import make_user, make_work
from tests.works.pages import parse

pytestmark = pytest.mark.django_db


def _listed_titles(response) -> list[str]:
    headings = parse(response.content).select("li.work.blurb h4.heading")
    return [heading.select("a")[0].text for heading in headings]


def _revised_days_ago(work: Work, days: int) -> None:
    when = timezone.now() - timedelta(days=days)
    Work.objects.filter(pk=work.pk).update(published_at=when, revised_at=when)


def test_the_index_lists_works_newest_updated_first(client, author):
    for title, days in [("Old", 30), ("Newest", 1), ("Middle", 10)]:
        _revised_days_ago(make_work(author, title=title), days)
    assert _listed_titles(client.get("/works/")) == ["Newest", "Middle", "Old"]


def test_a_new_chapter_moves_a_work_to_the_top(client, author):
    from ficshelf.works.services import ChapterContent, add_chapter

    older = make_work(author, title="Older")
    _revised_days_ago(older, 5)
    _revised_days_ago(make_work(author, title="Newer"), 1)
    add_chapter(work=older, editor=author, content=ChapterContent(text="<p>More.</p>"))
    assert _listed_titles(client.get("/works/")) == ["Older", "Newer"]


def test_the_index_shows_twenty_works_a_page(client, author):
    for number in range(21):
        _revised_days_ago(make_work(author, title=f"Work {number:02}"), number + 1)
    first = client.get("/works/")
    assert _listed_titles(first) == [f"Work {number:02}" for number in range(20)]
    assert "21 works" in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()
    second = client.get("/works/?page=2")
    assert _listed_titles(second) == ["Work 20"]
    # A page past the end shows the last one rather than an error.
    assert _listed_titles(client.get("/works/?page=99")) == ["Work 20"]


def test_drafts_are_not_listed_even_for_their_creator(client, author):
    make_work(author, title="Posted")
    make_work(author, title="Draft", post=False)
    assert _listed_titles(client.get("/works/")) == ["Posted"]
    client.force_login(author)
    assert _listed_titles(client.get("/works/")) == ["Posted"]


def test_restricted_works_are_listed_only_for_logged_in_readers(client, author):
    make_work(author, title="Open")
    make_work(author, title="Members Only", restricted=True)
    assert _listed_titles(client.get("/works/")) == ["Open"]
    client.force_login(make_user())
    assert sorted(_listed_titles(client.get("/works/"))) == ["Members Only", "Open"]


def test_a_blurb_shows_the_works_tags_and_stats(client, author):
    make_work(
        author,
        title="Quiet Hours",
        relationships=["Alex/Olivia"],
        characters=["Olivia Benson"],
        freeforms=["Angst"],
        summary="A long night.",
        text="<p>One two three four.</p>",
    )
    blurb = parse(client.get("/works/").content).one("li.work.blurb")
    assert blurb.one("h5.fandoms a.tag").text == "Law & Order: Special Victims Unit"
    assert [a.text for a in blurb.select("ul.tags a.tag")] == [
        "Alex/Olivia",
        "Olivia Benson",
        "Angst",
    ]
    assert blurb.one("li.rating").text == "Teen And Up Audiences"
    assert blurb.one("blockquote.userstuff.summary").text == "A long night."
    assert blurb.one("dd.words").text == "4"
    assert blurb.one("dd.chapters").text == "1/?"
    title, byline = blurb.select("h4.heading a")
    assert title.attrs["href"] == f"/works/{Work.objects.get().pk}"
    assert byline.attrs["href"] == "/users/author/pseuds/author"


def test_the_home_page_lists_recently_updated_works(client, author):
    for number in range(12):
        _revised_days_ago(make_work(author, title=f"Work {number:02}"), number + 1)
    make_work(author, title="A Draft", post=False)
    make_work(author, title="Members Only", restricted=True)
    response = client.get("/")
    assert response.status_code == 200
    assert _listed_titles(response) == [f"Work {number:02}" for number in range(10)]


def test_a_creators_drafts_sort_by_their_last_save_on_every_database(db):
    from ficshelf.works.models import Work
    from tests.factories import make_user, make_work

    author = make_user()
    posted = make_work(author, title="Posted first")
    draft = make_work(author, title="Draft saved later", post=False)
    ordered = list(Work.objects.visible_to(author).by_user(author).newest_updated_first())
    assert ordered == [draft, posted]
