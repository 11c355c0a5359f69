"""The author's dashboard: only the work's creators (and staff) see it; the chart, the table and
the CSV say the same; the work page, the draft chapter and the profile link to it."""

import csv
import io
import re

import pytest
from django.utils import timezone

from ficshelf.feedback.services.comments import post_comment
from ficshelf.stats import services
from ficshelf.works.services import ChapterContent, add_chapter
from tests.factories import make_account, make_user, make_work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def work_with_readers():
    """Two chapters: three readers open chapter 1, one of them chapter 2 as well."""
    author = make_user("storyteller")
    work = make_work(author, chapters=2, title="=Sums and Stories")
    one, two = work.chapters.order_by("position")
    at = int(timezone.now().timestamp())
    readers = [f"u{make_account(f'reader{n}').pk}" for n in range(3)]
    views = [(work.pk, (one.pk,), False, reader, at) for reader in readers]
    views.append((work.pk, (two.pk,), False, readers[0], at))
    services.record_hits(entries=views)
    return work, author


def urls(work) -> list[str]:
    return [f"/works/{work.pk}/stats", f"/works/{work.pk}/stats.csv"]


def test_only_the_works_creators_and_staff_see_its_figures(client, work_with_readers):
    work, author = work_with_readers
    for url in urls(work):
        assert client.get(url).status_code == 404  # a guest
    client.force_login(make_account("nosy"))
    for url in urls(work):
        assert client.get(url).status_code == 404
    assert client.get(f"/works/{work.pk + 1000}/stats").status_code == 404
    client.force_login(author)
    for url in urls(work):
        assert client.get(url).status_code == 200
    client.force_login(make_account("admin", is_staff=True))
    assert client.get(urls(work)[0]).status_code == 200


def test_ones_own_works_list_is_ones_own(client, work_with_readers):
    work, author = work_with_readers
    url = f"/users/{author.username}/stats"
    assert client.get(url).status_code == 404
    client.force_login(make_account("other"))
    assert client.get(url).status_code == 404
    assert client.get("/users/nobody-at-all/stats").status_code == 404
    client.force_login(author)
    page = client.get(url).content.decode()
    assert f'href="/works/{work.pk}/stats"' in page
    row = re.search(r"<tr>\s*<th scope=\"row\">.*?</tr>", page, re.S).group()
    assert re.findall(r"<td>(\d+)</td>", row) == ["2", "4", "3", "0", "0"]


def test_the_dashboard_shows_a_chart_with_text_alternatives_and_the_same_table(
    client, work_with_readers
):
    work, author = work_with_readers
    client.force_login(author)
    response = client.get(f"/works/{work.pk}/stats")
    page = response.content.decode()
    assert page.count('<svg role="img"') == 2
    assert '<title id="hits-chart-title">Hits per chapter</title>' in page
    assert "Chapter 1: 3 hits; Chapter 2: 1 hits" in page  # the chart's description
    assert "Chapter 1: 100% (3 readers); Chapter 2: 33% (1 readers)" in page
    assert 'aria-labelledby="hits-chart-title hits-chart-desc"' in page
    assert "style=" not in page  # the CSP allows no inline style
    assert "<td>1 (33%)</td>" in page  # chapter 2 reached by one of chapter 1's three readers
    assert "reader0" not in page  # counted, never named
    assert "Should I continue?" in page
    assert "33% of chapter 1's readers reached chapter 2" in page


def test_the_dashboard_counts_the_works_subscribers(client, work_with_readers):
    from ficshelf.inbox.services import subscribe_to_work

    work, author = work_with_readers
    for name in ("follower1", "follower2"):
        subscribe_to_work(user=make_account(name), work=work)
    client.force_login(author)
    page = client.get(f"/works/{work.pk}/stats").content.decode()
    assert '<dd class="stats-subscribers">2</dd>' in page


def test_the_csv_holds_the_tables_figures(client, work_with_readers):
    work, author = work_with_readers
    client.force_login(author)
    response = client.get(f"/works/{work.pk}/stats.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="work-{work.pk}-stats.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:6] == [
        "Chapter",
        "Title",
        "Posted",
        "Hits",
        "Readers",
        "Reached from chapter 1",
    ]
    one, two = rows[1], rows[2]
    assert (one[0], one[3], one[4], one[5], one[6], one[7]) == ("1", "3", "3", "3", "100", "")
    assert (two[0], two[1], two[3], two[4], two[5], two[6], two[7]) == (
        "2",
        "Part 2",
        "1",
        "1",
        "1",
        "33",
        "33",
    )
    assert len(rows) == 3


def test_a_title_a_spreadsheet_would_run_stays_text(client):
    author = make_user("sly")
    work = make_work(author, chapters=1)
    chapter = work.chapters.get()
    type(chapter).objects.filter(pk=chapter.pk).update(title="=HYPERLINK(1)")
    client.force_login(author)
    rows = list(csv.reader(io.StringIO(client.get(f"/works/{work.pk}/stats.csv").content.decode())))
    assert rows[1][1] == "'=HYPERLINK(1)"


def test_the_dashboard_counts_hits_still_waiting_in_the_cache(client):
    author = make_user("waiting")
    work = make_work(author)
    chapter = work.chapters.get()
    agent = {"user-agent": "Mozilla/5.0 Firefox/128.0"}
    for ip in ("203.0.113.5", "203.0.113.6"):
        client.get(f"/works/{work.pk}/chapters/{chapter.pk}", headers=agent, REMOTE_ADDR=ip)
    client.force_login(author)
    page = client.get(f"/works/{work.pk}/stats").content.decode()
    assert '<dd class="stats-hits">2</dd>' in page


def test_the_work_page_links_its_creators_to_the_figures(client, work_with_readers):
    work, author = work_with_readers
    link = f'href="/works/{work.pk}/stats"'
    assert link not in client.get(f"/works/{work.pk}").content.decode()
    client.force_login(make_account("visitor"))
    assert link not in client.get(f"/works/{work.pk}").content.decode()
    client.force_login(author)
    assert link in client.get(f"/works/{work.pk}").content.decode()


def test_the_draft_of_the_next_chapter_shows_the_response_since_the_last(client, work_with_readers):
    work, author = work_with_readers
    two = work.chapters.get(position=2)
    post_comment(work=work, chapter=two, commenter=make_account("fan"), text="Loved the twist")
    draft = add_chapter(
        work=work, editor=author, content=ChapterContent(text="<p>Next.</p>"), post=False
    )
    client.force_login(author)
    page = client.get(f"/works/{work.pk}/chapters/{draft.pk}").content.decode()
    assert "Should I continue?" in page
    assert "1</strong> reader opened chapter 2." in page
    assert "33% of chapter 1's readers reached chapter 2" in page
    assert "Loved the twist" in page
    # A posted chapter's page has the link but not the summary.
    posted = client.get(f"/works/{work.pk}/chapters/{two.pk}").content.decode()
    assert "Should I continue?" not in posted


def test_ones_own_profile_links_to_ones_statistics(client, work_with_readers):
    _, author = work_with_readers
    link = f'href="/users/{author.username}/stats"'
    assert link not in client.get(f"/users/{author.username}").content.decode()
    client.force_login(author)
    assert link in client.get(f"/users/{author.username}").content.decode()
