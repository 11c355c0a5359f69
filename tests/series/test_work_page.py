"""What a work page shows of its series: "Part N of <series>" in the preface, "Previous work /
Next work" at the end skipping what the viewer may not open (guests' cached pages included),
and "Add to series" for its creators."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ficshelf.series.models import Series
from ficshelf.series.services import (
    add_work_to_series,
    create_series,
    edit_series,
    reorder_series,
)
from ficshelf.works.models import Work
from ficshelf.works.services import delete_work, post_work
from ficshelf.works.versions import bump_works
from tests.factories import make_user, make_work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def _read(client, work) -> str:
    response = client.get(f"/works/{work.pk}")
    assert response.status_code == 200
    return response.content.decode()


def _navigation(page: str) -> str:
    found = re.search(r'<nav id="series".*?</nav>', page, re.S)
    return found.group(0) if found else ""


def _neighbours(page: str) -> tuple[str | None, str | None]:
    nav = _navigation(page)
    previous = re.search(r'class="previous" rel="prev" href="/works/(\d+)"', nav)
    following = re.search(r'class="next" rel="next" href="/works/(\d+)"', nav)
    return (previous and previous.group(1), following and following.group(1))


def test_the_middle_work_shows_its_part_and_both_neighbours(client, trilogy):
    series, works = trilogy
    page = _read(client, works[1])
    preface = page[page.index('class="preface group"') : page.index('id="chapters"')]
    assert f'Part 2 of <a href="/series/{series.pk}">The Trilogy</a>' in preface
    assert _neighbours(page) == (str(works[0].pk), str(works[2].pk))
    assert "← Previous work" in page and "Next work" in page
    assert _neighbours(_read(client, works[0])) == (None, str(works[1].pk))
    assert _neighbours(_read(client, works[2])) == (str(works[1].pk), None)


def test_a_work_in_two_series_shows_both(client, author, trilogy):
    _, works = trilogy
    other = create_series(creator=author, title="Anthology")
    add_work_to_series(series=other, work=make_work(author), user=author)
    add_work_to_series(series=other, work=works[0], user=author)
    page = _read(client, works[0])
    assert ">Anthology</a>" in page and "Part 2 of" in page and "Part 1 of" in page
    assert _navigation(page).count("<li>") == 2


def test_a_work_in_no_series_shows_none(client, author):
    page = _read(client, make_work(author))
    assert 'id="series"' not in page and "Part 1 of" not in page


def test_neighbours_skip_works_the_viewer_may_not_open(client, author, trilogy):
    series, works = trilogy
    Work.objects.filter(pk=works[1].pk).update(restricted=True)
    draft = make_work(author, post=False)
    add_work_to_series(series=series, work=draft, user=author)
    last = make_work(author, title="Book 5")
    add_work_to_series(series=series, work=last, user=author)
    bump_works([w.pk for w in works])  # the update above went around the services
    # A guest skips the restricted work and the draft.
    assert _neighbours(_read(client, works[0])) == (None, str(works[2].pk))
    assert _neighbours(_read(client, works[2])) == (str(works[0].pk), str(last.pk))
    # Another reader opens the restricted work, not the draft.
    client.force_login(make_user())
    assert _neighbours(_read(client, works[0])) == (None, str(works[1].pk))
    assert _neighbours(_read(client, works[2])) == (str(works[1].pk), str(last.pk))
    # The creator sees their draft too.
    client.force_login(author)
    assert _neighbours(_read(client, works[2])) == (str(works[1].pk), str(draft.pk))


def test_a_guests_cached_page_follows_renames_reorders_postings_and_deletions(
    client, author, trilogy
):
    series, works = trilogy
    assert "Part 1 of" in _read(client, works[0])
    assert not client.get(f"/works/{works[0].pk}").templates  # the cached copy
    edit_series(
        series=series, user=author, title="Renamed", summary="", notes="", is_complete=False
    )
    assert ">Renamed</a>" in _read(client, works[0])
    reorder_series(series=series, user=author, work_ids=[works[2].pk, works[1].pk, works[0].pk])
    page = _read(client, works[0])
    assert "Part 3 of" in page and _neighbours(page) == (str(works[1].pk), None)
    draft = make_work(author, post=False)
    add_work_to_series(series=series, work=draft, user=author)
    assert _neighbours(_read(client, works[0])) == (str(works[1].pk), None)
    post_work(work=draft, editor=author)
    assert _neighbours(_read(client, works[0])) == (str(works[1].pk), str(draft.pk))
    delete_work(work=works[1], editor=author)
    page = _read(client, works[0])
    # Positions stay dense after a deletion: works[0] moved from part 3 to part 2.
    assert "Part 2 of" in page and _neighbours(page) == (str(works[2].pk), str(draft.pk))


def test_the_series_costs_the_work_page_two_queries(client, author, trilogy):
    series, works = trilogy
    plain = make_work(author)
    client.force_login(make_user())

    def count(work) -> int:
        _read(client, work)  # warm: the first read of a session asks more
        with CaptureQueriesContext(connection) as queries:
            _read(client, work)
        return len(queries)

    # A work in no series asks one query of series (is it in any?); one in a series two.
    in_one = count(works[1])
    assert in_one - count(plain) == 1
    # More series and more works in them ask no more.
    more = create_series(creator=author, title="More")
    for _ in range(3):
        add_work_to_series(series=more, work=make_work(author), user=author)
    add_work_to_series(series=more, work=works[1], user=author)
    assert count(works[1]) == in_one


def test_the_creator_adds_a_work_to_a_series_from_its_page(client, author, trilogy):
    series, _ = trilogy
    work = make_work(author, title="Loose")
    assert "Add to series" not in _read(client, work)  # a guest
    client.force_login(make_user())
    assert "Add to series" not in _read(client, work)  # another reader
    client.force_login(author)
    page = _read(client, work)
    assert "<summary>Add to series</summary>" in page
    assert f'<option value="{series.pk}">The Trilogy</option>' in page
    response = client.post(
        f"/works/{work.pk}/series", {"series": series.pk, "next": f"/works/{work.pk}"}, follow=True
    )
    page = response.content.decode()
    assert "“Loose” is now part 4 of “The Trilogy”." in page
    assert "Part 4 of" in page
    # Already in it: the series is no longer offered, and a second try is a clear error.
    assert f'<option value="{series.pk}">' not in page
    response = client.post(f"/works/{work.pk}/series", {"series": series.pk}, follow=True)
    assert "“Loose” is already part of “The Trilogy”." in response.content.decode()


def test_the_creator_starts_a_new_series_from_a_work_and_removes_it(client, author):
    work = make_work(author, title="Seed")
    client.force_login(author)
    response = client.post(f"/works/{work.pk}/series", {"new_title": "Grown"}, follow=True)
    assert "“Seed” is now part 1 of the new series “Grown”." in response.content.decode()
    series = Series.objects.get(title="Grown")
    response = client.post(f"/series/{series.pk}/works/{work.pk}/remove", follow=True)
    assert "“Seed” is no longer part of “Grown”." in response.content.decode()
    assert not series.parts.exists()


def test_adding_needs_one_target_and_ones_own_work_and_series(client, author, reader):
    work = make_work(author)
    theirs = create_series(creator=reader, title="Theirs")
    client.force_login(author)
    response = client.post(f"/works/{work.pk}/series", {}, follow=True)
    assert "Please choose one of your series, or give a new series a title." in (
        response.content.decode()
    )
    response = client.post(f"/works/{work.pk}/series", {"series": theirs.pk}, follow=True)
    assert "There is no such series of yours." in response.content.decode()
    client.force_login(reader)
    assert client.post(f"/works/{work.pk}/series", {"new_title": "Mine"}).status_code == 404
    assert client.get(f"/works/{work.pk}/series").status_code == 405
    assert not theirs.parts.exists() and Series.objects.count() == 1
