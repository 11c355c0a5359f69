"""Public Atom feeds of a tag, a creator, a work and a series: they parse in feedparser without
a complaint whatever the titles hold, carry only what a guest may list (never drafts, never
works for logged-in readers only), and each page links to its own."""

import re
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from ficshelf.series.services import add_work_to_series, create_series
from ficshelf.tags.models import Tag
from ficshelf.tags.services import find_or_create_tag, make_canonical, merge_tag
from ficshelf.works.models import Work
from ficshelf.works.services import ChapterContent, add_chapter
from tests.factories import make_user, make_work, make_wrangler
from tests.sharing import run_on_commit

pytestmark = pytest.mark.django_db

SVU = "Law & Order: Special Victims Unit"
SVU_FEED = "/tags/Law *a* Order: Special Victims Unit/feed.atom"
ZALGO = "Z" + "\u0336\u0353\u0330\u0324\u0301" * 100  # 500 combining marks
HOSTILE_TITLES = [
    "AC/DC / Slash / Fic",
    "She said \"hi\" & 'left' <b>now</b> ]]>",
    "שלום עולם \u202eRTL override\u202c مرحبا",
    "Emoji 🦊🏳️‍🌈👩‍👩‍👧",
    ZALGO[:255],
    # Forms refuse NUL and PostgreSQL cannot store it: the other control characters.
    "Bell\x07 and\x0b tabs\x1b[31m and \ufffe",
]
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def parsed(response):
    """The feed, which must be a 200 Atom document feedparser reads without complaint."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def titles(feed) -> list[str]:
    return [entry.title for entry in feed.entries]


def _published_days_ago(work, days: int):
    moment = timezone.now() - timedelta(days=days)
    Work.objects.filter(pk=work.pk).update(published_at=moment, revised_at=moment)
    work.chapters.update(published_at=moment)
    return work


def test_a_tag_feed_lists_the_newest_works_under_the_tag_with_everything_an_entry_needs(
    client, author
):
    older = _published_days_ago(make_work(author, title="Older"), 3)
    newer = make_work(
        author,
        title="Newer",
        summary="<p>A <b>long</b> night &amp; a day.</p>",
        relationships=["Olivia Benson/Alex Cabot"],
        characters=["Olivia Benson"],
        freeforms=["Angst"],
    )
    make_work(author, title="Elsewhere", fandoms=["Sherlock"])
    feed = parsed(client.get(SVU_FEED))
    assert titles(feed) == ["Newer", "Older"]
    assert feed.feed.title == f"Works tagged “{SVU}” | Ficshelf"
    entry = feed.entries[0]
    assert entry.link == f"http://testserver/works/{newer.pk}"
    assert entry.id.startswith("tag:") and entry.id.endswith(f":works/{newer.pk}")
    assert entry.id != feed.entries[1].id
    assert entry.updated_parsed is not None and entry.published_parsed is not None
    assert [a.name for a in entry.authors] == ["author"]
    assert entry.summary_detail.type == "text/html"
    assert "<b>long</b>" in entry.summary
    assert [t.term for t in entry.tags] == [
        SVU,
        "Olivia Benson/Alex Cabot",
        "Olivia Benson",
        "Angst",
    ]
    assert older.pk != newer.pk


def test_a_tag_feed_holds_at_most_twenty_works(client, author):
    for number in range(21):
        make_work(author, title=f"Work {number}")
    assert len(parsed(client.get(SVU_FEED)).entries) == 20


def test_a_creators_feed_tells_of_new_works_and_new_chapters(client, author):
    first = _published_days_ago(make_work(author, title="First"), 2)
    add_chapter(work=first, editor=author, content=ChapterContent(text="<p>More.</p>", title="On"))
    make_work(author, title="Second")
    make_work(make_user(), title="Someone else's")
    feed = parsed(client.get("/users/author/feed.atom"))
    assert titles(feed) == ["Second", "First: Chapter 2: On", "First"]
    assert feed.entries[1].link == (
        f"http://testserver/works/{first.pk}/chapters/{first.chapters.get(position=2).pk}"
    )


def test_a_co_created_work_names_every_creator(client, author):
    from tests.factories import add_co_creator

    work = make_work(author, title="Together")
    add_co_creator(work, by=author, user=make_user("partner"))
    feed = parsed(client.get(f"/works/{work.pk}/feed.atom"))
    assert sorted(a.name for a in feed.entries[0].authors) == ["author", "partner"]


def test_a_works_feed_has_its_posted_chapters_newest_first(client, author):
    work = make_work(author, title="Long One", chapters=3)
    add_chapter(
        work=work, editor=author, content=ChapterContent(text="<p>Unfinished</p>"), post=False
    )
    feed = parsed(client.get(f"/works/{work.pk}/feed.atom"))
    assert titles(feed) == [
        "Long One: Chapter 3: Part 3",
        "Long One: Chapter 2: Part 2",
        "Long One: Chapter 1",
    ]
    assert feed.feed.link == f"http://testserver/works/{work.pk}"


def test_a_series_feed_has_its_works_a_guest_may_see_newest_first(client, author):
    series = create_series(creator=author, title="The Cycle")
    first = _published_days_ago(make_work(author, title="Part One"), 5)
    second = make_work(author, title="Part Two")
    hidden = make_work(author, title="Members Part", restricted=True)
    for work in (first, second, hidden):
        add_work_to_series(series=series, work=work, user=author)
    feed = parsed(client.get(f"/series/{series.pk}/feed.atom"))
    assert titles(feed) == ["Part Two", "Part One"]
    assert feed.feed.title == "The Cycle | Ficshelf"


def test_drafts_and_logged_in_only_works_never_appear_even_for_their_logged_in_creator(
    client, author
):
    make_work(author, title="Public")
    make_work(author, title="A Draft", post=False)
    make_work(author, title="Members Only", restricted=True)
    client.force_login(author)
    for url in (SVU_FEED, "/users/author/feed.atom"):
        assert titles(parsed(client.get(url))) == ["Public"]


def test_adult_works_are_in_feeds_as_a_guest_may_list_them(client, author):
    make_work(author, title="Explicit One", rating="explicit")
    assert titles(parsed(client.get(SVU_FEED))) == ["Explicit One"]


def test_what_a_feed_may_not_carry_is_not_found_rather_than_forbidden(client, author):
    draft = make_work(author, title="A Draft", post=False)
    restricted = make_work(author, title="Members Only", restricted=True)
    only_restricted = create_series(creator=author, title="Hidden Series")
    add_work_to_series(series=only_restricted, work=restricted, user=author)
    client.force_login(author)
    for url in (
        f"/works/{draft.pk}/feed.atom",
        f"/works/{restricted.pk}/feed.atom",
        f"/series/{only_restricted.pk}/feed.atom",
    ):
        assert client.get(url).status_code == 404, url


def test_unknown_tags_creators_works_and_series_are_not_found(client):
    for url in (
        "/tags/No Such Tag/feed.atom",
        "/users/nobody/feed.atom",
        "/works/999999/feed.atom",
        "/series/999999/feed.atom",
    ):
        assert client.get(url).status_code == 404, url


def test_a_synonyms_feed_leads_to_its_canonicals(client, author):
    make_work(author, title="Tagged", freeforms=["hurt/comfort"])
    wrangler = make_wrangler()
    with run_on_commit(execute=True):
        canonical = find_or_create_tag(kind="freeform", name="Hurt/Comfort Canon")
        make_canonical(wrangler=wrangler, tag=canonical)
        merge_tag(wrangler=wrangler, tag=Tag.objects.named("hurt/comfort"), into=canonical)
    response = client.get("/tags/hurt*s*comfort/feed.atom")
    assert response.status_code == 301
    assert response["Location"] == "/tags/Hurt*s*Comfort%20Canon/feed.atom"
    assert titles(parsed(client.get(response["Location"]))) == ["Tagged"]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_titles_and_summaries_still_make_valid_feeds(client, author, title):
    work = make_work(
        author,
        title=title,
        summary=f"<p>{title}</p>",
        freeforms=['"Quoted" & 🦊 שלום / slashed'],
        chapters=2,
    )
    series = create_series(creator=author, title=title)
    add_work_to_series(series=series, work=work, user=author)
    expected = CONTROL.sub("", Work.objects.get(pk=work.pk).title).strip()
    for url in (
        SVU_FEED,
        "/users/author/feed.atom",
        f"/works/{work.pk}/feed.atom",
        f"/series/{series.pk}/feed.atom",
    ):
        feed = parsed(client.get(url))
        assert expected in feed.entries[-1].title, url
        assert not CONTROL.search(feed.entries[-1].title)


def test_a_feed_is_public_for_five_minutes_and_answers_304_when_unchanged(client, author):
    make_work(author, title="Cached")
    response = client.get(SVU_FEED)
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Last-Modified"]
    again = client.get(SVU_FEED, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    since = client.get(SVU_FEED, headers={"If-Modified-Since": response["Last-Modified"]})
    assert since.status_code == 304


# --- <link rel="alternate"> on the pages ------------------------------------------------------

ALTERNATE = re.compile(
    r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)" href="([^"]+)">'
)


def alternate_feeds(response) -> list[str]:
    assert response.status_code == 200
    head = response.content.decode().split("</head>", 1)[0]
    return [href for _, href in ALTERNATE.findall(head)]


def test_the_tag_creator_work_and_series_pages_link_to_their_feeds(client, author):
    work = make_work(author, title='A "Quoted" Work')
    series = create_series(creator=author, title="The Cycle")
    add_work_to_series(series=series, work=work, user=author)
    pages = {
        "/tags/Law *a* Order: Special Victims Unit/works": SVU_FEED,
        "/users/author/works": "/users/author/feed.atom",
        "/users/author": "/users/author/feed.atom",
        f"/works/{work.pk}?view_adult=true": f"/works/{work.pk}/feed.atom",
        f"/series/{series.pk}": f"/series/{series.pk}/feed.atom",
    }
    for page, feed_url in pages.items():
        links = alternate_feeds(client.get(page))
        assert len(links) == 1, page
        assert links[0].replace("&amp;", "&").replace("%20", " ") == feed_url, page
        parsed(client.get(feed_url))


def test_a_restricted_work_page_names_no_feed(client, author):
    work = make_work(author, title="Members Only", restricted=True)
    client.force_login(make_user())
    assert alternate_feeds(client.get(f"/works/{work.pk}")) == []


def test_control_characters_already_in_the_database_are_left_out_of_the_xml(client, author):
    work = make_work(author, title="Clean")
    # As an older import might have stored it (PostgreSQL refuses NUL, so none here).
    Work.objects.filter(pk=work.pk).update(
        title="Bell\x07 Esc\x1b Tab\x0b End", summary="<p>\x0c</p>"
    )
    for url in (SVU_FEED, f"/works/{work.pk}/feed.atom"):
        assert "Bell Esc Tab End" in parsed(client.get(url)).entries[0].title
