"""The counts kept for each draft chapter: stored by a background task after each save, and
checked again when what they depend on changes."""

import pytest
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks.signals import task_enqueued

from ficshelf.betareader import services, tasks
from ficshelf.betareader.models import CHECKER_VERSION, ChapterCheckSummary
from ficshelf.works.models import Chapter
from ficshelf.works.services import ChapterContent, add_chapter, edit_chapter, update_work
from ficshelf.works.signals import chapter_saved
from tests.factories import add_co_creator, make_metadata, make_user, make_work

pytestmark = pytest.mark.django_db

TEXT = "<p>We were suppose to meet Zorblaxian at noon. She should of known.</p>"


def counts_of(chapter, user) -> dict:
    counts = services.check_chapter(chapter=chapter, user=user).counts()
    return {"errors": counts["error"], "suggestions": counts["suggestion"]}


def stored(chapter) -> dict:
    summary = ChapterCheckSummary.objects.get(chapter=chapter)
    return {"errors": summary.errors, "suggestions": summary.suggestions}


def draft(author, callbacks, text=TEXT, **meta):
    with callbacks(execute=True):
        return make_work(author, post=False, text=text, **meta).chapters.get()


def test_a_saved_draft_chapter_is_counted_once_the_save_commits(
    author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        work = make_work(author, post=False, text=TEXT)
        assert not ChapterCheckSummary.objects.exists()  # nothing before the commit
    chapter = work.chapters.get()
    summary = ChapterCheckSummary.objects.get(chapter=chapter)
    assert stored(chapter) == counts_of(chapter, author)
    assert summary.errors + summary.suggestions > 0
    assert summary.revision == chapter.revision
    assert summary.checker_version == CHECKER_VERSION
    assert summary.is_current(chapter.revision)


def test_a_new_draft_has_each_chapter_checked_once(author, django_capture_on_commit_callbacks):
    checked = []

    def record_one(sender, task_result, **kwargs):
        if task_result.task.name == "summarize_chapter":
            checked.append(task_result.args[0])
        elif task_result.task.name == "summarize_chapters":
            checked.extend(task_result.args[0])

    task_enqueued.connect(record_one)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            work = make_work(author, post=False, text=TEXT, chapters=2)
    finally:
        task_enqueued.disconnect(record_one)
    assert sorted(checked) == sorted(work.chapters.values_list("pk", flat=True))


def test_the_task_reads_the_chapter_as_it_is_when_it_runs(author):
    chapter = make_work(author, post=False, text=TEXT).chapters.get()
    Chapter.objects.filter(pk=chapter.pk).update(text="<p>The rain fell all night.</p>")
    result = tasks.summarize_chapter.enqueue(chapter.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"errors": 0, "suggestions": 0}
    assert stored(chapter) == {"errors": 0, "suggestions": 0}


def test_an_edit_leaves_the_summary_stale_until_it_is_checked_again(
    author, django_capture_on_commit_callbacks
):
    chapter = draft(author, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        chapter = edit_chapter(
            chapter=chapter, editor=author, content=ChapterContent(text="<p>All is well.</p>")
        )
        summary = ChapterCheckSummary.objects.get(chapter=chapter)
        assert not summary.is_current(chapter.revision)
    summary.refresh_from_db()
    assert summary.is_current(chapter.revision)
    assert stored(chapter) == {"errors": 0, "suggestions": 0}


def test_posted_chapters_are_not_counted(author, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_work(author, post=True, text=TEXT)
    assert not ChapterCheckSummary.objects.exists()


def test_a_summary_of_an_older_revision_never_replaces_a_newer_one(
    author, django_capture_on_commit_callbacks
):
    chapter = draft(author, django_capture_on_commit_callbacks)
    ChapterCheckSummary.objects.filter(chapter=chapter).update(
        revision=chapter.revision + 1, errors=7
    )
    tasks.summarize_chapter.enqueue(chapter.pk)  # a late task, for the older revision
    assert stored(chapter)["errors"] == 7


def test_a_word_added_to_the_dictionary_counts_the_drafts_again(
    author, django_capture_on_commit_callbacks
):
    chapter = draft(author, django_capture_on_commit_callbacks)
    before = stored(chapter)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_to_dictionary(user=author, word="Zorblaxian")
        assert ChapterCheckSummary.objects.get(chapter=chapter).stale  # until checked again
    after = stored(chapter)
    assert after["errors"] + after["suggestions"] == before["errors"] + before["suggestions"] - 1
    assert after == counts_of(chapter, author)
    assert not ChapterCheckSummary.objects.get(chapter=chapter).stale

    word = author.dictionary_words.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_from_dictionary(user=author, word_id=word.pk)
    assert stored(chapter) == before


def test_a_word_already_in_the_dictionary_rechecks_nothing(
    author, django_capture_on_commit_callbacks
):
    draft(author, django_capture_on_commit_callbacks)
    services.add_to_dictionary(user=author, word="Zorblaxian")
    with django_capture_on_commit_callbacks() as callbacks:
        services.add_to_dictionary(user=author, word="zorblaxian")
    assert callbacks == []


def test_another_authors_dictionary_leaves_these_counts_alone(
    author, django_capture_on_commit_callbacks
):
    chapter = draft(author, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_to_dictionary(user=make_user(), word="Zorblaxian")
    assert not ChapterCheckSummary.objects.get(chapter=chapter).stale
    assert stored(chapter) == counts_of(chapter, author)


def test_ignoring_a_finding_here_counts_only_this_chapter_again(
    author, django_capture_on_commit_callbacks
):
    first = draft(author, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        second = add_chapter(
            work=first.work, editor=author, content=ChapterContent(text=TEXT), post=False
        )
    rule = next(
        f.rule
        for f in services.check_chapter(chapter=first, user=author).findings
        if f.text == "should of"
    )
    before = stored(first)
    with django_capture_on_commit_callbacks(execute=True):
        ignored = services.ignore_finding(chapter=first, user=author, rule=rule, text="should of")
        assert ChapterCheckSummary.objects.get(chapter=first).stale
        assert not ChapterCheckSummary.objects.get(chapter=second).stale
    assert sum(stored(first).values()) == sum(before.values()) - 1
    assert stored(second) == before

    with django_capture_on_commit_callbacks(execute=True):
        services.ignore_finding(
            chapter=first, user=author, rule=rule, text="should of", everywhere=True
        )
    assert stored(second) == stored(first)

    with django_capture_on_commit_callbacks(execute=True):
        services.stop_ignoring(chapter=first, user=author, ignored_id=ignored.pk)
    assert stored(first) == stored(second)  # still ignored everywhere


def test_a_name_given_to_the_work_as_a_tag_counts_its_drafts_again(
    author, django_capture_on_commit_callbacks
):
    chapter = draft(author, django_capture_on_commit_callbacks)
    before = stored(chapter)
    with django_capture_on_commit_callbacks(execute=True):
        update_work(
            work=chapter.work,
            editor=author,
            metadata=make_metadata(characters=["Zorblaxian the Bold"]),
        )
    assert sum(stored(chapter).values()) == sum(before.values()) - 1


def test_the_summary_knows_the_words_of_every_creator(author, django_capture_on_commit_callbacks):
    chapter = draft(author, django_capture_on_commit_callbacks)
    before = stored(chapter)
    co_creator = make_user()
    services.add_to_dictionary(user=co_creator, word="Zorblaxian")
    with django_capture_on_commit_callbacks(execute=True):
        add_co_creator(chapter.work, by=author, user=co_creator)
    assert sum(stored(chapter).values()) == sum(before.values()) - 1


def test_a_signal_sent_in_a_transaction_that_rolls_back_enqueues_nothing(author):
    chapter = make_work(author, post=False, text=TEXT).chapters.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        chapter_saved.send(sender=Chapter, chapter_id=chapter.pk, work_id=chapter.work_id)
        raise RuntimeError("the save failed")
    assert not ChapterCheckSummary.objects.exists()


def test_a_chapter_that_cannot_be_checked_leaves_the_others_counted(
    author, monkeypatch, django_capture_on_commit_callbacks
):
    first = make_work(author, post=False, text=TEXT).chapters.get()
    second = make_work(author, post=False, text=TEXT).chapters.get()
    real = services.check_html

    def broken_for_the_first(html, **kwargs):
        if html == Chapter.objects.get(pk=first.pk).text:
            raise RuntimeError("no checker today")
        return real(html, **kwargs)

    Chapter.objects.filter(pk=first.pk).update(text="<p>Once upon a time.</p>")
    monkeypatch.setattr(services, "check_html", broken_for_the_first)
    assert tasks.summarize_chapters.enqueue([first.pk, second.pk]).return_value == 1
    assert not ChapterCheckSummary.objects.filter(chapter=first).exists()
    assert stored(second) == counts_of(second, author)


@pytest.mark.django_db(transaction=True)
def test_in_a_transactional_test_the_task_runs_right_after_the_commit():
    author = make_user("committer")
    chapter = make_work(author, post=False, text=TEXT).chapters.get()
    assert stored(chapter) == counts_of(chapter, author)
