"""The beta reader's badge on a draft in its author's list of works: the stored counts, read
for a whole page at once; nothing is checked while the page is made."""

import re

import pytest
from django.urls import reverse

from ficshelf.betareader import services, views
from ficshelf.betareader.models import ChapterCheckSummary
from ficshelf.betareader.report import describe_counts
from ficshelf.works.extensions import add_blurb_notes
from ficshelf.works.models import Work
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db

TEXT = "<p>We were suppose to meet Zorblaxian at noon. She should of known.</p>"


def badge_of(work, viewer) -> dict | None:
    (work,) = add_blurb_notes([work], viewer)
    notes = [note for note in work.blurb_notes if note.template == "betareader/_badge.html"]
    return notes[0].context if notes else None


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def drafts(author, callbacks, count: int, *, chapters: int = 1) -> list[Work]:
    with callbacks(execute=True):
        works = [
            make_work(author, post=False, text=TEXT, chapters=chapters, title=f"Draft {n}")
            for n in range(count)
        ]
    return list(Work.objects.filter(pk__in=[w.pk for w in works]).with_listing_data())


def test_the_badge_shows_the_stored_counts(author, django_capture_on_commit_callbacks):
    (work,) = drafts(author, django_capture_on_commit_callbacks, 1)
    chapter = work.chapters.get()
    ChapterCheckSummary.objects.filter(chapter=chapter).update(errors=7, suggestions=1)
    badge = badge_of(work, author)
    assert badge["summary"] == "7 errors, 1 suggestion"
    assert badge["counts"] == {"error": 7, "suggestion": 1}
    assert not badge["checking"]
    assert badge["url"] == reverse(
        "betareader:check", kwargs={"work_id": work.pk, "chapter_id": chapter.pk}
    )


def test_a_draft_of_several_chapters_adds_them_up_and_links_to_the_work(
    author, django_capture_on_commit_callbacks
):
    (work,) = drafts(author, django_capture_on_commit_callbacks, 1, chapters=3)
    ChapterCheckSummary.objects.filter(chapter__work=work).update(errors=2, suggestions=1)
    badge = badge_of(work, author)
    assert badge["summary"] == "6 errors, 3 suggestions"
    assert badge["url"] == work.get_absolute_url()


def test_ten_drafts_of_three_chapters_are_read_in_one_query_and_never_checked(
    author, django_capture_on_commit_callbacks, django_assert_max_num_queries, monkeypatch
):
    works = drafts(author, django_capture_on_commit_callbacks, 10, chapters=3)
    assert ChapterCheckSummary.objects.count() == 30  # the task ran after each save

    def no_checking(*args, **kwargs):
        raise AssertionError("the page ran the checker")

    monkeypatch.setattr(services, "check_html", no_checking)
    with django_assert_max_num_queries(1):
        notes = views.draft_badges(works, author)
    assert len(notes) == 10
    expected = {
        work.pk: sum(
            s.errors + s.suggestions for s in ChapterCheckSummary.objects.filter(chapter__work=work)
        )
        for work in works
    }
    for work in works:
        counts = notes[work.pk][0].context["counts"]
        assert counts["error"] + counts["suggestion"] == expected[work.pk] > 0


def test_before_the_task_ran_the_badge_says_checking_and_asks_for_it_once(
    author, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    work = make_work(author, post=False, text=TEXT, chapters=3)  # its tasks never ran
    work = Work.objects.with_listing_data().get(pk=work.pk)
    with django_capture_on_commit_callbacks() as asked:
        with django_assert_max_num_queries(1):
            badge = badge_of(work, author)
    assert badge["summary"] == "checking…" and badge["checking"]
    assert not ChapterCheckSummary.objects.exists()  # nothing was checked for the page
    assert len(asked) == 1  # one task for the page's missing chapters

    with django_capture_on_commit_callbacks() as again:
        badge_of(work, author)
    assert again == []  # asked already

    for callback in asked:
        callback()
    assert ChapterCheckSummary.objects.filter(chapter__work=work).count() == 3
    found = [services.check_chapter(chapter=c, user=author) for c in work.chapters.all()]
    assert badge_of(work, author)["summary"] == describe_counts(
        {
            "error": sum(r.counts()["error"] for r in found),
            "suggestion": sum(r.counts()["suggestion"] for r in found),
        }
    )


def test_while_some_chapters_are_checked_the_badge_says_so(
    author, django_capture_on_commit_callbacks
):
    (work,) = drafts(author, django_capture_on_commit_callbacks, 1, chapters=3)
    ChapterCheckSummary.objects.filter(chapter__work=work).update(errors=1, suggestions=0)
    ChapterCheckSummary.objects.filter(chapter__work=work, chapter__position=3).update(stale=True)
    badge = badge_of(work, author)
    assert badge["summary"] == "2 errors, 0 suggestions so far, checking 1 of 3 chapters…"


def test_a_summary_from_another_checker_version_is_checked_again(
    author, django_capture_on_commit_callbacks
):
    (work,) = drafts(author, django_capture_on_commit_callbacks, 1)
    ChapterCheckSummary.objects.update(checker_version="0+harper-0.0.1", errors=9)
    with django_capture_on_commit_callbacks(execute=True):
        assert badge_of(work, author)["summary"] == "checking…"
    assert ChapterCheckSummary.objects.get().errors != 9
    assert not badge_of(work, author)["checking"]


def test_only_the_drafts_creators_see_its_badge(author, django_capture_on_commit_callbacks):
    (drafted,) = drafts(author, django_capture_on_commit_callbacks, 1)
    with django_capture_on_commit_callbacks(execute=True):
        posted = make_work(author, post=True, text=TEXT)
    assert badge_of(drafted, make_user()) is None
    assert badge_of(drafted, None) is None
    assert badge_of(posted, author) is None
    assert badge_of(drafted, author) is not None


def test_the_authors_works_page_shows_the_badge_on_drafts_only(
    author_client, author, django_capture_on_commit_callbacks
):
    (drafted,) = drafts(author, django_capture_on_commit_callbacks, 1)
    with django_capture_on_commit_callbacks(execute=True):
        make_work(author, post=True, text=TEXT, title="Posted")
    ChapterCheckSummary.objects.filter(chapter__work=drafted).update(errors=2, suggestions=1)
    page = text_of(author_client.get("/users/author/works"))
    assert page.count("Beta reader:") == 1
    assert "Beta reader: 2 errors, 1 suggestion" in page
    chapter = drafted.chapters.get()
    assert (
        reverse("betareader:check", kwargs={"work_id": drafted.pk, "chapter_id": chapter.pk})
        in page
    )


def test_the_works_page_shows_even_when_the_badges_cannot_be_read(
    author_client, author, monkeypatch
):
    make_work(author, post=False, text=TEXT, title="Drafted")

    def broken(*args, **kwargs):
        raise RuntimeError("no summaries today")

    monkeypatch.setattr(services, "draft_summaries", broken)
    response = author_client.get("/users/author/works")
    assert response.status_code == 200
    assert "Drafted" in text_of(response) and "Beta reader:" not in text_of(response)
