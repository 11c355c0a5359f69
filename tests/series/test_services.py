"""Making a series, putting works in it, taking them out and ordering them: who may, the
positions kept 1..n, and the clear errors."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ficshelf.series.models import Series, SeriesPart
from ficshelf.series.services import (
    ORDER_MISMATCH,
    add_work_to_series,
    create_series,
    delete_series,
    edit_series,
    remove_work_from_series,
    reorder_series,
    start_series_with,
)
from ficshelf.works.models import Work
from ficshelf.works.services import delete_work
from tests.factories import add_co_creator, make_user, make_work

pytestmark = pytest.mark.django_db


def _order(series) -> list[tuple[int, int]]:
    return list(series.parts.order_by("position").values_list("position", "work_id"))


def test_a_series_is_made_by_the_default_pseud_and_sanitizes_its_summary(author):
    series = create_series(
        creator=author, title="  Saga ", summary="<script>x</script><p>Hi</p>", notes="Plain"
    )
    assert series.title == "Saga"
    assert "<script>" not in series.summary and "Hi" in series.summary
    assert "<p>Plain</p>" in series.notes
    assert [c.pseud for c in series.creatorships.all()] == [author.default_pseud]
    assert series.is_creator(author)


@pytest.mark.parametrize(
    "title, message", [("", "Please give the series a title."), ("x" * 256, "at most 255")]
)
def test_a_series_needs_a_title_of_sensible_length(author, title, message):
    with pytest.raises(ValidationError) as refusal:
        create_series(creator=author, title=title)
    assert message in refusal.value.message_dict["title"][0]
    assert not Series.objects.exists()


def test_a_pseud_of_someone_else_is_refused(author, reader):
    with pytest.raises(ValidationError):
        create_series(creator=reader.default_pseud, user=author, title="Not mine")


def test_works_are_appended_in_order_and_a_work_may_be_in_several_series(author, trilogy):
    series, works = trilogy
    assert _order(series) == [(1, works[0].pk), (2, works[1].pk), (3, works[2].pk)]
    other = create_series(creator=author, title="Another")
    add_work_to_series(series=other, work=works[1], user=author)
    assert set(works[1].series.all()) == {series, other}


def test_a_work_already_in_the_series_is_a_clear_error(author, trilogy):
    series, works = trilogy
    with pytest.raises(ValidationError) as refusal:
        add_work_to_series(series=series, work=works[0], user=author)
    assert refusal.value.messages == ["“Book 1” is already part of “The Trilogy”."]
    assert series.parts.count() == 3


def test_only_a_creator_of_both_the_work_and_the_series_may_add_it(author, reader, trilogy):
    series, _ = trilogy
    theirs = make_work(reader, title="Theirs")
    with pytest.raises(PermissionDenied):
        add_work_to_series(series=series, work=theirs, user=reader)  # not their series
    with pytest.raises(PermissionDenied):
        add_work_to_series(series=series, work=theirs, user=author)  # not their work
    add_co_creator(theirs, by=reader, user=author)
    add_work_to_series(series=series, work=theirs, user=author)
    assert series.parts.count() == 4


def test_a_new_series_from_a_work_starts_with_it(author):
    work = make_work(author)
    series = start_series_with(work=work, user=author, title="From here")
    assert _order(series) == [(1, work.pk)]


def test_a_new_series_from_someone_elses_work_is_refused(author, reader):
    work = make_work(author)
    with pytest.raises(PermissionDenied):
        start_series_with(work=work, user=reader, title="Stolen")
    assert not Series.objects.exists()


def test_removing_a_work_closes_the_gap(author, trilogy):
    series, works = trilogy
    remove_work_from_series(series=series, work=works[0], user=author)
    assert _order(series) == [(1, works[1].pk), (2, works[2].pk)]
    with pytest.raises(ValidationError):
        remove_work_from_series(series=series, work=works[0], user=author)


def test_a_works_creator_may_take_it_out_of_someone_elses_series(author, reader):
    work = make_work(author)
    add_co_creator(work, by=author, user=reader)
    series = start_series_with(work=work, user=reader, title="Reader's")
    add_work_to_series(series=series, work=make_work(reader), user=reader)
    remove_work_from_series(series=series, work=work, user=author)
    assert [p for p, _ in _order(series)] == [1]
    stranger = make_user()
    with pytest.raises(PermissionDenied):
        remove_work_from_series(series=series, work=series.works.first(), user=stranger)


def test_deleting_a_work_keeps_the_positions_dense(author, trilogy):
    series, works = trilogy
    delete_work(work=works[1], editor=author)
    assert _order(series) == [(1, works[0].pk), (2, works[2].pk)]


def test_reorder_sets_positions_one_to_n(author, trilogy):
    series, works = trilogy
    wanted = [works[2].pk, works[0].pk, works[1].pk]
    reorder_series(series=series, user=author, work_ids=wanted)
    assert _order(series) == [(1, wanted[0]), (2, wanted[1]), (3, wanted[2])]


@pytest.mark.parametrize(
    "pick",
    [
        lambda w: [w[0].pk, w[1].pk],  # one left out
        lambda w: [w[0].pk, w[1].pk, w[2].pk, w[2].pk],  # one twice
        lambda w: [w[0].pk, w[1].pk, 999_999],  # a stranger
        lambda w: [w[0].pk, w[1].pk, "three"],  # not a number
    ],
)
def test_reorder_with_a_list_that_is_not_exactly_the_series_works_changes_nothing(
    author, trilogy, pick
):
    series, works = trilogy
    before = _order(series)
    with pytest.raises(ValidationError) as refusal:
        reorder_series(series=series, user=author, work_ids=pick(works))
    assert refusal.value.messages == [ORDER_MISMATCH]
    assert _order(series) == before


def test_only_the_series_creators_may_edit_reorder_or_delete_it(reader, trilogy):
    series, works = trilogy
    with pytest.raises(PermissionDenied):
        edit_series(
            series=series, user=reader, title="Mine", summary="", notes="", is_complete=True
        )
    with pytest.raises(PermissionDenied):
        reorder_series(series=series, user=reader, work_ids=[w.pk for w in reversed(works)])
    with pytest.raises(PermissionDenied):
        delete_series(series=series, user=reader)


def test_deleting_a_series_keeps_its_works(author, trilogy):
    series, works = trilogy
    delete_series(series=series, user=author)
    assert not Series.objects.exists() and not SeriesPart.objects.exists()
    assert Work.objects.filter(pk__in=[w.pk for w in works]).count() == 3


def _versions(works) -> list[int]:
    return list(
        Work.objects.filter(pk__in=[w.pk for w in works])
        .order_by("pk")
        .values_list("content_version", flat=True)
    )


def test_changes_a_work_page_shows_move_the_versions_of_the_series_works(author, trilogy):
    series, works = trilogy
    steps = [
        lambda: edit_series(
            series=series, user=author, title="Renamed", summary="", notes="", is_complete=False
        ),
        lambda: reorder_series(
            series=series, user=author, work_ids=[w.pk for w in reversed(works)]
        ),
        lambda: remove_work_from_series(series=series, work=works[0], user=author),
    ]
    for step in steps:
        before = _versions(works)
        step()
        assert all(a > b for a, b in zip(_versions(works), before, strict=True))


def test_editing_only_the_summary_leaves_the_work_pages_alone(author, trilogy):
    series, works = trilogy
    before = _versions(works)
    edit_series(
        series=series, user=author, title=series.title, summary="New", notes="", is_complete=True
    )
    assert _versions(works) == before
    series.refresh_from_db()
    assert series.is_complete and "New" in series.summary


def test_a_neighbour_posted_or_deleted_moves_the_other_works_versions(author, trilogy):
    from ficshelf.works.services import post_work

    series, works = trilogy
    draft = make_work(author, post=False)
    add_work_to_series(series=series, work=draft, user=author)
    before = _versions(works)
    post_work(work=draft, editor=author)
    assert all(a > b for a, b in zip(_versions(works), before, strict=True))
    before = _versions(works[:2])
    delete_work(work=works[2], editor=author)
    assert all(a > b for a, b in zip(_versions(works[:2]), before, strict=True))
