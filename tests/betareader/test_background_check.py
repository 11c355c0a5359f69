"""A long chapter is checked in the background: its report page shows how far the check got,
and no request waits for the check."""

import re
import time

import pytest
from django.urls import reverse

from ficshelf.betareader import services
from ficshelf.betareader.models import ChapterCheck
from tests.factories import make_work

pytestmark = pytest.mark.django_db

PARAGRAPH = "<p>We were suppose to meet at noon, and she should of known it. The rain went on.</p>"


def long_text(characters: int) -> str:
    return PARAGRAPH * (characters // len(PARAGRAPH) + 1)


def check_url(chapter) -> str:
    return reverse(
        "betareader:check", kwargs={"work_id": chapter.work_id, "chapter_id": chapter.pk}
    )


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def long_chapters(monkeypatch):
    """Chapters over 4,000 characters count as long, so a test need not check 500,000."""
    monkeypatch.setattr(services, "BACKGROUND_CHARACTERS", 4_000)


def test_a_500000_character_chapter_answers_at_once_with_its_progress(author_client, author):
    chapter = make_work(author, post=False, text=long_text(500_000)).chapters.get()
    assert len(chapter.text) >= 500_000
    short = make_work(author, post=False, text=PARAGRAPH).chapters.get()
    author_client.get(check_url(short))  # the first request imports the site's modules
    started = time.perf_counter()
    response = author_client.get(check_url(chapter))
    seconds = time.perf_counter() - started
    page = text_of(response)
    assert response.status_code == 200
    assert "checks it in the background" in page
    assert "Check again" in page
    assert 'hx-trigger="every 2s"' in page
    assert "should have" not in page  # nothing was checked while the page was made
    assert seconds < 5  # checking it takes tens of seconds
    check = ChapterCheck.objects.get(chapter=chapter)
    assert check.status == ChapterCheck.Status.WAITING


def test_the_report_appears_once_the_background_check_is_done(
    author_client, author, long_chapters, django_capture_on_commit_callbacks
):
    chapter = make_work(author, post=False, text=long_text(6_000)).chapters.get()
    with django_capture_on_commit_callbacks(execute=True):
        first = author_client.get(check_url(chapter))
    assert "checks it in the background" in text_of(first)
    check = ChapterCheck.objects.get(chapter=chapter)
    assert check.status == ChapterCheck.Status.DONE and check.progress == 100
    page = text_of(author_client.get(check_url(chapter)))
    assert "Replace with “should have”" in page
    assert "checks it in the background" not in page


def test_the_page_shows_how_far_the_check_got(author_client, author, long_chapters):
    chapter = make_work(author, post=False, text=long_text(6_000)).chapters.get()
    author_client.get(check_url(chapter))
    # What the worker writes as it goes (run_background_check's progress).
    ChapterCheck.objects.filter(chapter=chapter).update(
        status=ChapterCheck.Status.CHECKING, progress=40
    )
    page = text_of(author_client.get(check_url(chapter)))
    assert "40% done" in page
    assert '<progress max="100" value="40"' in page


def test_the_background_check_stores_the_findings_of_the_whole_chapter(author, long_chapters):
    chapter = make_work(author, post=False, text=long_text(12_000)).chapters.get()
    check = services.background_check(chapter=chapter, user=author)
    check = services.run_background_check(check_id=check.pk)
    assert check.done and check.progress == 100
    found = [f["text"] for f in check.result["findings"]]
    paragraphs = chapter.text.count("<p")
    assert found.count("suppose to") == paragraphs
    assert found.count("should of") == paragraphs


def test_the_checker_tells_its_progress_as_it_reads_a_long_text():
    from ficshelf.betareader.engine import check_text

    told = []
    check_text("The rain went on, and she waited by the door. " * 2_000, progress=told.append)
    assert len(told) > 10
    assert told == sorted(told)
    assert told[-1] == 1.0


def test_htmx_polling_gets_the_progress_then_a_reload(
    author_client, author, long_chapters, django_capture_on_commit_callbacks
):
    chapter = make_work(author, post=False, text=long_text(6_000)).chapters.get()
    polled = author_client.get(check_url(chapter), headers={"HX-Request": "true"})
    assert polled.status_code == 200
    assert 'id="check-progress"' in text_of(polled)
    assert "<html" not in text_of(polled)
    check = ChapterCheck.objects.get(chapter=chapter)
    services.run_background_check(check_id=check.pk)
    done = author_client.get(check_url(chapter), headers={"HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true"


def test_an_edited_chapter_is_checked_again(author_client, author, long_chapters):
    from ficshelf.works.services import ChapterContent, edit_chapter

    chapter = make_work(author, post=False, text=long_text(6_000)).chapters.get()
    check = services.background_check(chapter=chapter, user=author)
    services.run_background_check(check_id=check.pk)
    assert "Replace with" in text_of(author_client.get(check_url(chapter)))
    edit_chapter(
        chapter=chapter,
        editor=author,
        content=ChapterContent(text=long_text(7_000)),
        base_revision=chapter.revision,
    )
    page = text_of(author_client.get(check_url(chapter)))
    assert "checks it in the background" in page
    assert ChapterCheck.objects.get(chapter=chapter).status == ChapterCheck.Status.WAITING


def test_a_failed_check_says_so_and_is_asked_for_again(author_client, author, long_chapters):
    chapter = make_work(author, post=False, text=long_text(6_000)).chapters.get()
    author_client.get(check_url(chapter))
    ChapterCheck.objects.filter(chapter=chapter).update(status=ChapterCheck.Status.FAILED)
    check = ChapterCheck.objects.get(chapter=chapter)
    assert check.status == ChapterCheck.Status.FAILED
    page = text_of(author_client.get(check_url(chapter)))
    # Asked for again at once: the page shows the new check waiting, not the failure.
    assert "waiting for the worker" in page
    assert ChapterCheck.objects.get(chapter=chapter).status == ChapterCheck.Status.WAITING


def test_only_the_works_creators_see_a_long_chapters_check(client, reader, author, long_chapters):
    chapter = make_work(author, post=False, text=long_text(6_000)).chapters.get()
    client.force_login(reader)
    assert client.get(check_url(chapter)).status_code == 404
    assert not ChapterCheck.objects.exists()


def test_a_long_text_typed_into_a_posting_form_is_not_checked_while_the_author_waits(
    author_client, author, long_chapters
):
    work = make_work(author, post=True)
    url = reverse("works:new_chapter", kwargs={"work_id": work.pk})
    data = {
        "title": "",
        "summary": "",
        "notes": "",
        "end_notes": "",
        "text_format": "plain",
        "text": "She should of known it, and the rain went on and on. " * 200,
        "check": "",
    }
    page = text_of(author_client.post(url, data))
    assert "too long to check while you wait" in page
    assert "“should have”" not in page
