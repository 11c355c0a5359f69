"""Hits counted honestly: one per reader, chapter and day; not the creators, not bots; buffered
in the cache without a database write per view, and flushed without double counting."""

import pytest
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ficshelf.stats import counting, services, tasks
from ficshelf.stats.models import ChapterRead, Hit
from ficshelf.works.services import ChapterContent, add_chapter
from tests.factories import add_co_creator, make_account, make_user, make_work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def read(client, url: str, *, ip: str = "203.0.113.1", agent: str = BROWSER):
    response = client.get(url, headers={"user-agent": agent}, REMOTE_ADDR=ip)
    assert response.status_code == 200
    return response


def chapter_url(chapter) -> str:
    return f"/works/{chapter.work_id}/chapters/{chapter.pk}"


def hits_on(chapter) -> int:
    services.flush_hits()
    return Hit.objects.filter(chapter=chapter).count()


def test_a_guest_reading_a_chapter_again_the_same_day_is_one_hit(client):
    work = make_work(chapters=2)
    first = work.chapters.get(position=1)
    for _ in range(3):
        read(client, chapter_url(first))
    read(client, f"/works/{work.pk}")  # the work's page shows chapter 1 too
    read(client, chapter_url(first), ip="198.51.100.7")  # another guest
    assert hits_on(first) == 2
    assert Hit.objects.filter(chapter=first, is_guest=True).count() == 2


def test_no_address_is_stored_and_a_guest_is_a_daily_hash(client):
    work = make_work()
    first = work.chapters.get()
    read(client, chapter_url(first), ip="203.0.113.99")
    services.flush_hits()
    hit = Hit.objects.get()
    assert "203.0.113.99" not in hit.reader
    assert hit.reader.startswith("g") and len(hit.reader) == 33
    assert hit.day == timezone.now().date()


def test_guests_served_from_the_page_cache_are_counted(client):
    """The second guest's page comes from the cache (GuestPageMiddleware): it counts too."""
    work = make_work()
    first = work.chapters.get()
    read(client, chapter_url(first), ip="203.0.113.1")
    again = read(client, chapter_url(first), ip="203.0.113.2")
    assert not again.templates  # answered from the cache, no template rendered
    read(client, f"/works/{work.pk}", ip="203.0.113.3")
    read(client, f"/works/{work.pk}", ip="203.0.113.3")
    assert hits_on(first) == 3


def test_the_entire_work_counts_a_hit_on_every_chapter(client):
    work = make_work(chapters=3)
    read(client, f"/works/{work.pk}?view_full_work=true")
    services.flush_hits()
    assert sorted(Hit.objects.values_list("chapter__position", flat=True)) == [1, 2, 3]


def test_the_chapter_index_and_a_404_count_nothing(client):
    work = make_work(chapters=2)
    read(client, f"/works/{work.pk}/navigate")
    client.get(f"/works/{work.pk}/chapters/999999", headers={"user-agent": BROWSER})
    services.flush_hits()
    assert Hit.objects.count() == 0


def test_an_account_is_counted_once_a_day_with_its_chapter_reach(client):
    work = make_work(chapters=2)
    first, second = work.chapters.order_by("position")
    reader = make_account("keen")
    client.force_login(reader)
    read(client, chapter_url(first))
    read(client, chapter_url(first), ip="198.51.100.1")  # another address, the same account
    read(client, chapter_url(second))
    services.flush_hits()
    assert Hit.objects.filter(reader=f"u{reader.pk}").count() == 2
    reads = ChapterRead.objects.filter(user=reader).order_by("chapter__position")
    assert [r.chapter_id for r in reads] == [first.pk, second.pk]
    assert all(r.first_at <= r.last_at for r in reads)


def test_the_works_creators_are_not_counted(client):
    author = make_user("author")
    work = make_work(author, chapters=1)
    co_creator = make_user("partner")
    add_co_creator(work, by=author, user=co_creator)
    first = work.chapters.get()
    for creator in (author, co_creator):
        client.force_login(creator)
        read(client, chapter_url(first))
        read(client, f"/works/{work.pk}")
    assert hits_on(first) == 0
    assert not ChapterRead.objects.exists()


def test_a_draft_chapter_is_never_counted(client):
    author = make_user("drafter")
    work = make_work(author)
    draft = add_chapter(
        work=work, editor=author, content=ChapterContent(text="<p>Soon.</p>"), post=False
    )
    client.force_login(make_account("staffer", is_staff=True))
    client.get(chapter_url(draft), headers={"user-agent": BROWSER})
    assert hits_on(draft) == 0


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "curl/8.5.0",
        "Wget/1.21",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/126.0 Safari/537.36",
        "SomeCrawler/1.0",
        "Baiduspider",
    ],
)
def test_obvious_bots_are_not_counted(client, agent):
    work = make_work()
    first = work.chapters.get()
    read(client, chapter_url(first), agent=agent)
    assert hits_on(first) == 0


def test_a_cookieless_burst_of_chapters_is_a_bot_for_the_day(client):
    """Two bursts' worth, so one of them falls inside one window whatever the clock says."""
    author = make_user("prolific")
    chapters = 2 * counting.BURST_PAGES + 2
    work = make_work(author, chapters=chapters)
    for chapter in work.chapters.order_by("position"):
        read(client, chapter_url(chapter), ip="192.0.2.50")
    read(client, chapter_url(work.chapters.get(position=1)), ip="192.0.2.51")  # a real reader
    services.flush_hits()
    assert Hit.objects.count() == 1


def test_a_page_view_writes_nothing_to_the_database(client):
    work = make_work(chapters=3)
    first, second, third = work.chapters.order_by("position")
    read(client, chapter_url(first))  # renders and caches the page; its minute's flush ran
    minute = counting.minute_of(timezone.now())
    for later in (minute, minute + 1):  # the minute may turn during the test
        cache.add(f"stats:flush:{later}", 1)
    with CaptureQueriesContext(connection) as queries:
        read(client, chapter_url(second), ip="198.51.100.20")
        read(client, chapter_url(third), ip="198.51.100.21")
        read(client, chapter_url(first), ip="198.51.100.22")
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert Hit.objects.count() == 1
    services.flush_hits()
    assert Hit.objects.count() == 4


def test_two_flushes_do_not_count_twice(client):
    work = make_work(chapters=2)
    first, second = work.chapters.order_by("position")
    reader = make_account("twice")
    read(client, chapter_url(first))
    client.force_login(reader)
    read(client, chapter_url(second))
    services.flush_hits()
    services.flush_hits()
    # Even a flush that has lost its place reads the buffer again without adding anything.
    cache.delete(counting.cursor_key())
    services.flush_hits()
    tasks.flush_hits.enqueue()
    assert Hit.objects.count() == 2
    assert ChapterRead.objects.count() == 1


def test_the_flush_task_writes_the_buffer(client):
    work = make_work()
    first = work.chapters.get()
    read(client, chapter_url(first))
    Hit.objects.all().delete()  # as if the inline flush of this minute had not run
    result = tasks.flush_hits.enqueue()
    assert result.return_value == 1
    assert Hit.objects.filter(chapter=first).count() == 1


def test_hits_on_a_work_deleted_before_the_flush_are_dropped(client):
    from ficshelf.works.services import delete_work

    author = make_user("regretful")
    work = make_work(author)
    first = work.chapters.get()
    read(client, chapter_url(first))
    read(client, chapter_url(first), ip="198.51.100.40")
    delete_work(work=work, editor=author)
    services.flush_hits()
    assert Hit.objects.count() == 0


class FailingIncrements(LocMemCache):
    """A cache that fails half-way through counting (after the "seen" key was added)."""

    def incr(self, *args, **kwargs):
        raise ConnectionError("The cache is down.")


def test_a_cache_that_fails_while_counting_loses_the_hit_not_the_page(client, settings):
    work = make_work()
    first = work.chapters.get()
    settings.CACHES = {"default": {"BACKEND": "tests.stats.test_counting.FailingIncrements"}}
    response = read(client, chapter_url(first))
    assert "The first chapter" in response.content.decode()
    assert read(client, f"/works/{work.pk}", ip="198.51.100.60").status_code == 200
    services.flush_hits()
    assert Hit.objects.count() == 0


def test_a_cache_server_that_is_down_loses_hits_not_pages(client, settings):
    work = make_work()
    first = work.chapters.get()
    settings.CACHES = {
        "default": {
            "BACKEND": "ficshelf.archive.cache.TolerantRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    response = read(client, chapter_url(first))
    assert "The first chapter" in response.content.decode()
    services.flush_hits()
    assert Hit.objects.count() == 0
