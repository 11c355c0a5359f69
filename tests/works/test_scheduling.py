"""Scheduled release: a creator sets a draft chapter of a posted work, or a new work, to post
itself at a time in their own zone; until then it is a draft; at its time a task posts it as
the "Post" button would; only the latest schedule posts."""

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends

from ficshelf.works import reading, scheduling, services, tasks
from ficshelf.works.models import Chapter, ListingsVersion, Work
from ficshelf.works.services import ChapterContent
from ficshelf.works.signals import chapters_posted
from tests.factories import add_co_creator, make_user, make_work

pytestmark = pytest.mark.django_db

PARIS = "Europe/Paris"


@pytest.fixture
def heard():
    calls = []

    def receiver(sender, *, work_id, chapter_ids, new_work, **kwargs):
        calls.append((work_id, list(chapter_ids), new_work))

    chapters_posted.connect(receiver, dispatch_uid="test-scheduling-heard")
    yield calls
    chapters_posted.disconnect(dispatch_uid="test-scheduling-heard")


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


@pytest.fixture
def draft(author):
    """Chapter 2 of a posted work by `author`, saved as a draft."""
    work = make_work(author, title="Night Shift")
    return services.add_chapter(
        work=work,
        editor=author,
        content=ChapterContent(text="<p>The next morning.</p>", title="Dawn"),
        post=False,
    )


def _schedule_overdue(chapter, editor, *, minutes_ago: int = 5):
    """Schedule as if it had been done two hours ago, for a time that has now passed."""
    then = timezone.now() - timedelta(hours=2)
    post_at = _minute(timezone.now() - timedelta(minutes=minutes_ago))
    scheduling.schedule_chapter(
        chapter=chapter, editor=editor, post_at=post_at, time_zone=PARIS, now=then
    )
    return post_at


# --- Until its time -------------------------------------------------------------------------


def test_a_scheduled_chapter_is_a_draft_readers_cannot_reach(draft, author, reader, client):
    post_at = timezone.now() + timedelta(days=1)
    scheduling.schedule_chapter(chapter=draft, editor=author, post_at=post_at, time_zone=PARIS)
    draft.refresh_from_db()
    assert not draft.posted
    assert draft.scheduled_for == _minute(post_at)
    for way in (reading.Way.OPEN, reading.Way.NOTIFY, reading.Way.FEED):
        assert not Chapter.objects.visible_to(reader, way).filter(pk=draft.pk).exists()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_work_page_shows_its_creators_the_time_in_their_zone(draft, author, client):
    post_at = datetime(2030, 1, 1, tzinfo=UTC)  # saved directly: the service refuses 2030
    Chapter.objects.filter(pk=draft.pk).update(scheduled_for=post_at, scheduled_time_zone=PARIS)
    client.force_login(author)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Scheduled for Tuesday 1 January 2030, 01:00 (Europe/Paris)" in page
    assert "Cancel schedule" in page


def test_the_immediate_backend_does_not_post_it_at_once(
    draft, author, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.schedule_chapter(
            chapter=draft,
            editor=author,
            post_at=timezone.now() + timedelta(hours=1),
            time_zone=PARIS,
        )
    draft.refresh_from_db()
    assert not draft.posted
    assert heard == []


def test_an_edit_before_its_time_keeps_the_schedule_and_posts_nothing(draft, author, heard):
    post_at = _minute(timezone.now() + timedelta(hours=3))
    scheduling.schedule_chapter(chapter=draft, editor=author, post_at=post_at, time_zone=PARIS)
    services.edit_chapter(
        chapter=draft, editor=author, content=ChapterContent(text="<p>Revised dawn.</p>")
    )
    draft.refresh_from_db()
    assert (draft.posted, draft.scheduled_for, draft.scheduled_time_zone) == (
        False,
        post_at,
        PARIS,
    )
    assert heard == []


# --- At its time ----------------------------------------------------------------------------


def test_at_its_time_the_task_posts_it_as_the_post_button_would(draft, author, heard):
    work = draft.work
    content_version = Work.objects.get(pk=work.pk).content_version
    listings = ListingsVersion.objects.get().version
    post_at = _schedule_overdue(draft, author)

    assert tasks.post_scheduled_chapter.call(draft.pk, post_at.isoformat()) == 1

    draft.refresh_from_db()
    assert draft.posted and draft.published_at is not None
    assert (draft.scheduled_for, draft.scheduled_time_zone) == (None, "")
    assert heard == [(work.pk, [draft.pk], False)]
    assert Work.objects.get(pk=work.pk).content_version > content_version
    assert ListingsVersion.objects.get().version > listings
    assert Work.objects.get(pk=work.pk).chapter_count_display == "2/?"


def test_a_task_that_runs_twice_posts_once(draft, author, heard):
    post_at = _schedule_overdue(draft, author)
    tasks.post_scheduled_chapter.call(draft.pk, post_at.isoformat())
    assert tasks.post_scheduled_chapter.call(draft.pk, post_at.isoformat()) == 0
    assert len(heard) == 1


def test_before_its_time_the_release_is_not_posted(draft, author):
    post_at = _minute(timezone.now() + timedelta(hours=1))
    scheduling.schedule_chapter(chapter=draft, editor=author, post_at=post_at, time_zone=PARIS)
    early = post_at - timedelta(minutes=10)
    assert (
        scheduling.post_scheduled_chapter(chapter_id=draft.pk, scheduled_for=post_at, now=early)
        is None
    )
    assert scheduling.post_due(now=early) == 0
    assert (
        scheduling.post_scheduled_chapter(chapter_id=draft.pk, scheduled_for=post_at, now=post_at)
        is not None
    )


def test_only_the_latest_schedule_posts(draft, author, heard):
    first = _minute(timezone.now() + timedelta(hours=1))
    second = first + timedelta(hours=2)
    scheduling.schedule_chapter(chapter=draft, editor=author, post_at=first, time_zone=PARIS)
    scheduling.schedule_chapter(chapter=draft, editor=author, post_at=second, time_zone=PARIS)
    after_both = second + timedelta(minutes=1)

    assert (
        scheduling.post_scheduled_chapter(chapter_id=draft.pk, scheduled_for=first, now=after_both)
        is None
    )
    assert heard == []
    assert (
        scheduling.post_scheduled_chapter(chapter_id=draft.pk, scheduled_for=second, now=after_both)
        is not None
    )
    assert heard == [(draft.work_id, [draft.pk], False)]


def test_a_cancelled_schedule_leaves_a_draft_its_task_does_not_post(draft, author, heard):
    post_at = _schedule_overdue(draft, author)
    scheduling.unschedule_chapter(chapter=draft, editor=author)
    assert tasks.post_scheduled_chapter.call(draft.pk, post_at.isoformat()) == 0
    draft.refresh_from_db()
    assert not draft.posted and draft.scheduled_for is None
    assert heard == []


def test_a_chapter_deleted_before_its_time_leaves_its_task_nothing_to_do(draft, author, heard):
    post_at = _schedule_overdue(draft, author)
    services.delete_chapter(chapter=draft, editor=author)
    assert tasks.post_scheduled_chapter.call(draft.pk, post_at.isoformat()) == 0
    assert heard == []


def test_a_work_deleted_before_its_time_leaves_its_task_nothing_to_do(draft, author, heard):
    post_at = _schedule_overdue(draft, author)
    services.delete_work(work=draft.work, editor=author)
    assert tasks.post_scheduled_chapter.call(draft.pk, post_at.isoformat()) == 0
    assert heard == []


def test_posting_by_hand_before_its_time_clears_the_schedule(draft, author, heard):
    post_at = _minute(timezone.now() + timedelta(hours=1))
    scheduling.schedule_chapter(chapter=draft, editor=author, post_at=post_at, time_zone=PARIS)
    services.post_chapter(chapter=draft, editor=author)
    draft.refresh_from_db()
    assert draft.posted and draft.scheduled_for is None
    assert (
        scheduling.post_scheduled_chapter(chapter_id=draft.pk, scheduled_for=post_at, now=post_at)
        is None
    )
    assert heard == [(draft.work_id, [draft.pk], False)]


def test_a_deferring_backend_queues_the_task_for_the_release_time(
    draft, author, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        post_at = _schedule_overdue(draft, author)
    [queued] = task_backends["default"].results
    assert queued.task.func is tasks.post_scheduled_chapter.func
    assert queued.task.run_after == post_at
    assert queued.args == [draft.pk, post_at.isoformat()]
    # What the worker does when it picks it up:
    assert queued.task.call(*queued.args) == 1
    draft.refresh_from_db()
    assert draft.posted


# --- A worker that was down -----------------------------------------------------------------


def test_post_due_chapters_posts_what_is_overdue_once(author, heard):
    first = make_work(author, title="One")
    second = make_work(author, title="Two")
    chapters = [
        services.add_chapter(
            work=work, editor=author, content=ChapterContent(text="<p>More.</p>"), post=False
        )
        for work in (first, second)
    ]
    for chapter in chapters:
        _schedule_overdue(chapter, author)
    later = make_work(author, post=False, title="Later")
    scheduling.schedule_work(
        work=later,
        editor=author,
        post_at=timezone.now() + timedelta(days=2),
        time_zone=PARIS,
    )
    heard.clear()

    out = io.StringIO()
    call_command("post_due_chapters", stdout=out)
    assert "Posted 2 scheduled releases." in out.getvalue()
    assert sorted(call[1][0] for call in heard) == sorted(c.pk for c in chapters)
    assert not Work.objects.get(pk=later.pk).posted
    call_command("post_due_chapters", stdout=out)
    assert "Posted 0 scheduled releases." in out.getvalue()
    assert len(heard) == 2


def test_any_release_task_also_posts_other_overdue_releases(author, heard):
    work = make_work(author)
    missed, due = (
        services.add_chapter(
            work=work, editor=author, content=ChapterContent(text=f"<p>{n}</p>"), post=False
        )
        for n in ("Missed", "Due")
    )
    _schedule_overdue(missed, author, minutes_ago=30)  # its task was lost
    post_at = _schedule_overdue(due, author)
    heard.clear()
    assert tasks.post_scheduled_chapter.call(due.pk, post_at.isoformat()) == 2
    assert Chapter.objects.filter(pk__in=[missed.pk, due.pk], posted=True).count() == 2
    assert len(heard) == 2


# --- Works ----------------------------------------------------------------------------------


def test_a_scheduled_work_posts_with_its_chapters_at_its_time(author, reader, heard):
    work = make_work(author, chapters=2, post=False)
    post_at = _minute(timezone.now() + timedelta(hours=5))
    scheduling.schedule_work(work=work, editor=author, post_at=post_at, time_zone=PARIS)
    assert not Work.objects.visible_to(reader).filter(pk=work.pk).exists()
    assert heard == []

    assert scheduling.post_due(now=post_at) == 1

    work.refresh_from_db()
    assert work.posted and work.scheduled_for is None
    ids = list(work.chapters.order_by("position").values_list("pk", flat=True))
    assert heard == [(work.pk, ids, True)]
    assert Work.objects.visible_to(reader).filter(pk=work.pk).exists()


def test_a_rescheduled_work_posts_only_at_its_new_time(author):
    work = make_work(author, post=False)
    first = _minute(timezone.now() + timedelta(hours=1))
    scheduling.schedule_work(work=work, editor=author, post_at=first, time_zone=PARIS)
    later = first + timedelta(days=1)
    scheduling.schedule_work(work=work, editor=author, post_at=later, time_zone=PARIS)
    assert scheduling.post_scheduled_work(work_id=work.pk, scheduled_for=first, now=later) is None
    assert scheduling.post_scheduled_work(work_id=work.pk, scheduled_for=later, now=later)


# --- Refusals -------------------------------------------------------------------------------


def test_a_time_in_the_past_or_over_a_year_ahead_is_refused(draft, author):
    for post_at, message in [
        (timezone.now() - timedelta(minutes=1), "That time has passed"),
        (timezone.now() + timedelta(days=400), "at most a year ahead"),
    ]:
        with pytest.raises(ValidationError) as refusal:
            scheduling.schedule_chapter(
                chapter=draft, editor=author, post_at=post_at, time_zone=PARIS
            )
        assert message in refusal.value.message_dict["post_at"][0]
    draft.refresh_from_db()
    assert draft.scheduled_for is None


def test_posted_chapters_and_chapters_of_drafts_cannot_be_scheduled(author):
    soon = timezone.now() + timedelta(hours=1)
    posted = make_work(author).chapters.get()
    with pytest.raises(ValidationError, match="already posted"):
        scheduling.schedule_chapter(chapter=posted, editor=author, post_at=soon, time_zone=PARIS)
    in_draft = make_work(author, post=False).chapters.get()
    with pytest.raises(ValidationError, match="schedule the work instead"):
        scheduling.schedule_chapter(chapter=in_draft, editor=author, post_at=soon, time_zone=PARIS)
    with pytest.raises(ValidationError, match="already posted"):
        scheduling.schedule_work(work=posted.work, editor=author, post_at=soon, time_zone=PARIS)


def test_a_co_creator_may_schedule_and_a_reader_may_not(draft, author, reader):
    partner = make_user("partner")
    add_co_creator(draft.work, by=author, user=partner)
    soon = timezone.now() + timedelta(hours=1)
    scheduling.schedule_chapter(chapter=draft, editor=partner, post_at=soon, time_zone=PARIS)
    with pytest.raises(PermissionDenied):
        scheduling.schedule_chapter(chapter=draft, editor=reader, post_at=soon, time_zone=PARIS)
    with pytest.raises(PermissionDenied):
        scheduling.unschedule_chapter(chapter=draft, editor=reader)
    draft.refresh_from_db()
    assert draft.scheduled_for == _minute(soon)


def test_a_release_is_posted_by_a_remaining_creator_after_its_scheduler_left(draft, author):
    partner = make_user("partner")
    add_co_creator(draft.work, by=author, user=partner)
    post_at = _schedule_overdue(draft, partner)
    services.leave_work(work=draft.work, user=partner)
    assert scheduling.post_scheduled_chapter(chapter_id=draft.pk, scheduled_for=post_at)


# --- Pages ----------------------------------------------------------------------------------


def _local(moment: datetime, zone: str = PARIS) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def _chapter_data(**extra) -> dict:
    return {"title": "", "text_format": "html", "text": "<p>Later that day.</p>", **extra}


def test_the_new_chapter_page_schedules_in_the_chosen_zone(author_client, author):
    work = make_work(author)
    page = author_client.get(reverse("works:new_chapter", kwargs={"work_id": work.pk}))
    assert b'name="schedule"' in page.content
    assert b'data-browser-time-zone="fill"' in page.content
    post_at = _minute(timezone.now() + timedelta(days=3))
    response = author_client.post(
        reverse("works:new_chapter", kwargs={"work_id": work.pk}),
        _chapter_data(post_at=_local(post_at, "Asia/Tokyo"), time_zone="Asia/Tokyo", schedule=""),
        follow=True,
    )
    chapter = work.chapters.get(position=2)
    assert not chapter.posted
    assert (chapter.scheduled_for, chapter.scheduled_time_zone) == (post_at, "Asia/Tokyo")
    assert "will be posted on" in response.content.decode()


def test_the_form_refuses_a_past_time_and_saves_nothing(author_client, author):
    work = make_work(author)
    response = author_client.post(
        reverse("works:new_chapter", kwargs={"work_id": work.pk}),
        _chapter_data(
            post_at=_local(timezone.now() - timedelta(hours=1)), time_zone=PARIS, schedule=""
        ),
    )
    assert response.status_code == 200
    assert "That time has passed" in response.content.decode()
    assert work.chapters.count() == 1


def test_the_form_refuses_a_time_the_clocks_skip(author_client, author):
    work = make_work(author)
    zone = ZoneInfo(PARIS)
    day = timezone.now().astimezone(zone).date() + timedelta(days=1)
    while True:  # the next spring-forward night in Paris, within the year
        local = datetime(day.year, day.month, day.day, 2, 30)
        aware = local.replace(tzinfo=zone)
        if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local:
            break
        day += timedelta(days=1)
    response = author_client.post(
        reverse("works:new_chapter", kwargs={"work_id": work.pk}),
        _chapter_data(post_at=local.strftime("%Y-%m-%dT%H:%M"), time_zone=PARIS, schedule=""),
    )
    assert "does not exist in Europe/Paris" in response.content.decode()
    assert work.chapters.count() == 1


def test_the_edit_page_shows_and_keeps_the_schedule(author_client, author, draft):
    post_at = _minute(timezone.now() + timedelta(days=2))
    scheduling.schedule_chapter(chapter=draft, editor=author, post_at=post_at, time_zone=PARIS)
    url = reverse("works:edit_chapter", kwargs={"work_id": draft.work_id, "chapter_id": draft.pk})
    page = author_client.get(url).content.decode()
    assert f'value="{_local(post_at)}"' in page
    assert "Saving keeps this time" in page
    author_client.post(url, _chapter_data(base_revision=draft.revision, save=""))
    draft.refresh_from_db()
    assert "Later that day." in draft.text
    assert not draft.posted and draft.scheduled_for == post_at


def test_a_new_work_can_be_scheduled_from_its_form(author_client, work_form, reader, client):
    post_at = _minute(timezone.now() + timedelta(days=1))
    author_client.post(
        reverse("works:new"),
        work_form(post=None, schedule="", post_at=_local(post_at), time_zone=PARIS),
    )
    work = Work.objects.get(title="Quiet Hours")
    assert not work.posted and work.scheduled_for == post_at
    assert work.scheduled_time_zone == PARIS


def test_the_queue_lists_ones_scheduled_posts_for_its_owner_only(author_client, author, draft):
    post_at = timezone.now() + timedelta(days=2)
    scheduling.schedule_chapter(chapter=draft, editor=author, post_at=post_at, time_zone=PARIS)
    new_work = make_work(author, post=False, title="Next Story")
    scheduling.schedule_work(
        work=new_work, editor=author, post_at=post_at + timedelta(days=1), time_zone=PARIS
    )
    url = reverse("creators:scheduled", kwargs={"username": author.username})
    page = author_client.get(url).content.decode()
    assert page.index("Chapter 2: Dawn") < page.index("Next Story")
    assert "(Europe/Paris)" in page

    author_client.force_login(make_user("stranger"))
    assert author_client.get(url).status_code == 404


def test_cancelling_from_the_queue_returns_to_it(author_client, author, draft):
    post_at = timezone.now() + timedelta(days=2)
    scheduling.schedule_chapter(chapter=draft, editor=author, post_at=post_at, time_zone=PARIS)
    queue = reverse("creators:scheduled", kwargs={"username": author.username})
    response = author_client.post(
        reverse(
            "works:unschedule_chapter", kwargs={"work_id": draft.work_id, "chapter_id": draft.pk}
        ),
        {"next": queue},
    )
    assert response.url == queue
    draft.refresh_from_db()
    assert draft.scheduled_for is None and not draft.posted


def test_a_reader_cannot_cancel_someone_elses_schedule(client, reader, author, draft):
    post_at = timezone.now() + timedelta(days=2)
    scheduling.schedule_chapter(chapter=draft, editor=author, post_at=post_at, time_zone=PARIS)
    client.force_login(reader)
    url = reverse(
        "works:unschedule_chapter", kwargs={"work_id": draft.work_id, "chapter_id": draft.pk}
    )
    assert client.post(url).status_code == 404
    draft.refresh_from_db()
    assert draft.scheduled_for is not None
