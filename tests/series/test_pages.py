"""The series pages: the series itself for guests, other readers and its creators (what each
may see of it), making, editing, deleting, ordering, a creator's series, and 404s."""

import pytest

from ficshelf.feedback.services.blocking import hide_work
from ficshelf.series.models import Series
from ficshelf.series.services import add_work_to_series, create_series
from ficshelf.works.models import Work
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


def _page(client, series) -> str:
    response = client.get(f"/series/{series.pk}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_series_page_shows_its_details_and_works_in_order(client, author, trilogy):
    series, works = trilogy
    page = _page(client, series)
    assert '<h1 class="heading series-title">The Trilogy</h1>' in page
    assert "Three of them." in page
    assert f'href="/users/{author.username}/pseuds/{author.username}"' in page
    assert '<dd class="complete">No</dd>' in page
    words = sum(w.word_count for w in works)
    assert f'<dd class="words">{words}</dd>' in page and '<dd class="works">3</dd>' in page
    positions = [page.index(f'id="work_{w.pk}"') for w in works]
    assert positions == sorted(positions)
    assert "Edit series" not in page


def test_guests_see_a_series_without_its_restricted_and_draft_works(client, author, trilogy):
    series, works = trilogy
    Work.objects.filter(pk=works[1].pk).update(restricted=True)
    draft = make_work(author, title="Unfinished", post=False)
    add_work_to_series(series=series, work=draft, user=author)
    page = _page(client, series)
    assert "Book 1" in page and "Book 3" in page
    assert "Book 2" not in page and "Unfinished" not in page
    assert '<dd class="works">2</dd>' in page


def test_another_reader_sees_restricted_works_but_not_drafts(client, author, trilogy):
    series, works = trilogy
    Work.objects.filter(pk=works[1].pk).update(restricted=True)
    add_work_to_series(
        series=series, work=make_work(author, title="Unfinished", post=False), user=author
    )
    client.force_login(make_user())
    page = _page(client, series)
    assert "Book 2" in page and "Unfinished" not in page


def test_the_creator_sees_their_drafts_and_the_actions(author_client, author, trilogy):
    series, _ = trilogy
    add_work_to_series(
        series=series, work=make_work(author, title="Unfinished", post=False), user=author
    )
    page = _page(author_client, series)
    assert "Unfinished" in page and "(Draft)" in page
    assert "Edit series" in page and "Order works" in page and "Delete series" in page
    # Totals count what readers see: posted works only.
    assert '<dd class="works">3</dd>' in page


@pytest.mark.parametrize("case", ["drafts", "restricted", "empty"])
def test_a_series_with_nothing_a_guest_may_reach_is_not_found_but_its_creator_sees_it(
    client, author, case
):
    series = create_series(creator=author, title="Hidden")
    if case != "empty":
        work = make_work(author, post=case != "drafts", restricted=case == "restricted")
        add_work_to_series(series=series, work=work, user=author)
    assert client.get(f"/series/{series.pk}").status_code == 404
    client.force_login(author)
    assert client.get(f"/series/{series.pk}").status_code == 200


def test_a_drafts_only_series_is_not_found_for_another_reader(client, author):
    series = create_series(creator=author, title="Hidden")
    add_work_to_series(series=series, work=make_work(author, post=False), user=author)
    client.force_login(make_user())
    assert client.get(f"/series/{series.pk}").status_code == 404
    assert client.get("/series/999999").status_code == 404


def test_works_the_reader_hid_are_left_out_and_counted(client, author, trilogy):
    series, works = trilogy
    reader = make_user()
    hide_work(user=reader, work=works[0])
    client.force_login(reader)
    page = _page(client, series)
    assert f'id="work_{works[0].pk}"' not in page and f'id="work_{works[1].pk}"' in page
    assert "1 work hidden by your filters." in page


def test_a_reader_makes_a_series_and_edits_it(client, author):
    client.force_login(author)
    assert client.get("/series/new").status_code == 200
    response = client.post(
        "/series/new", {"title": "Made Here", "summary": "About it", "notes": ""}
    )
    series = Series.objects.get()
    assert response["Location"] == f"/series/{series.pk}"
    response = client.post(
        f"/series/{series.pk}/edit",
        {"title": "Renamed", "summary": "", "notes": "Some notes", "is_complete": "on"},
    )
    assert response.status_code == 302
    page = _page(client, series)
    assert "Renamed" in page and "Some notes" in page and '<dd class="complete">Yes</dd>' in page


def test_a_series_without_a_title_is_a_form_error(author_client):
    response = author_client.post("/series/new", {"title": "", "summary": ""})
    assert response.status_code == 400
    assert "Please give the series a title." in response.content.decode()
    assert not Series.objects.exists()


def test_a_guest_is_sent_to_log_in_and_others_find_no_edit_pages(client, trilogy):
    series, _ = trilogy
    assert "login?next=/series/new" in client.get("/series/new")["Location"]
    client.force_login(make_user())
    for page in ("edit", "delete", "manage"):
        assert client.get(f"/series/{series.pk}/{page}").status_code == 404
    assert client.post(f"/series/{series.pk}/delete").status_code == 404
    assert Series.objects.filter(pk=series.pk).exists()


def test_the_creator_deletes_a_series_after_confirming(author_client, author, trilogy):
    series, _ = trilogy
    page = author_client.get(f"/series/{series.pk}/delete").content.decode()
    assert "Yes, delete series" in page
    response = author_client.post(f"/series/{series.pk}/delete")
    assert response["Location"] == f"/users/{author.username}/series"
    assert not Series.objects.exists() and Work.objects.count() == 3


def _order(series) -> list[int]:
    return list(series.parts.order_by("position").values_list("work_id", flat=True))


def test_the_manage_page_moves_works_up_and_down_without_javascript(author_client, trilogy):
    series, works = trilogy
    page = author_client.get(f"/series/{series.pk}/manage").content.decode()
    assert "Move up" in page and "Move down" in page
    listed = [w.pk for w in works]
    author_client.post(f"/series/{series.pk}/manage", {"work": listed, "move": f"{works[2].pk}:up"})
    assert _order(series) == [works[0].pk, works[2].pk, works[1].pk]


def test_the_manage_page_saves_typed_positions(author_client, trilogy):
    series, works = trilogy
    data = {"work": [w.pk for w in works]}
    data |= {f"position-{w.pk}": str(n) for w, n in zip(works, (3, 1, 2), strict=True)}
    response = author_client.post(f"/series/{series.pk}/manage", data, follow=True)
    assert "The new order is saved." in response.content.decode()
    assert _order(series) == [works[1].pk, works[2].pk, works[0].pk]


def test_a_stale_or_bad_order_is_a_clear_message(author_client, author, trilogy):
    series, works = trilogy
    stale = {"work": [w.pk for w in works[:2]]}
    stale |= {f"position-{works[0].pk}": "2", f"position-{works[1].pk}": "1"}
    response = author_client.post(f"/series/{series.pk}/manage", stale, follow=True)
    assert "nothing was reordered" in response.content.decode()
    bad = {"work": [w.pk for w in works]} | {f"position-{w.pk}": "x" for w in works}
    response = author_client.post(f"/series/{series.pk}/manage", bad, follow=True)
    assert "Please give each work a position number." in response.content.decode()
    assert _order(series) == [w.pk for w in works]


def test_the_manage_page_removes_a_work(author_client, trilogy):
    series, works = trilogy
    response = author_client.post(
        f"/series/{series.pk}/manage", {"remove": works[0].pk}, follow=True
    )
    assert "“Book 1” is no longer part of the series." in response.content.decode()
    assert _order(series) == [works[1].pk, works[2].pk]


def test_a_creators_series_page_and_profile_section(client, author, trilogy):
    series, works = trilogy
    hidden = create_series(creator=author, title="Only Drafts")
    add_work_to_series(series=hidden, work=make_work(author, post=False), user=author)
    page = client.get(f"/users/{author.username}/series").content.decode()
    assert "The Trilogy" in page and "Only Drafts" not in page
    assert '<dd class="works">3</dd>' in page
    profile = client.get(f"/users/{author.username}").content.decode()
    assert "The Trilogy" in profile and f"/users/{author.username}/series" in profile
    client.force_login(author)
    page = client.get(f"/users/{author.username}/series").content.decode()
    assert "Only Drafts" in page and "New series" in page
    pseud_page = client.get(f"/users/{author.username}/pseuds/{author.username}/series")
    assert "The Trilogy" in pseud_page.content.decode()
    assert client.get("/users/nobody-here/series").status_code == 404


def test_a_long_series_is_paged_twenty_works_at_a_time(client, author):
    series = create_series(creator=author, title="A long saga")
    works = [make_work(author, title=f"Saga part {n}") for n in range(1, 23)]
    for work in works:
        add_work_to_series(series=series, work=work, user=author)
    first = client.get(f"/series/{series.pk}").content.decode()
    second = client.get(f"/series/{series.pk}?page=2").content.decode()
    assert "Saga part 1<" in first and "Saga part 20<" in first and "Saga part 21<" not in first
    assert "Saga part 21<" in second and "Saga part 22<" in second and "Page 2 of 2" in second
