"""`works.signals.chapters_posted`: apps above works (subscriptions, the inbox) hear of each
chapter once, when readers can first read it, and never of an edit."""

import pytest

from ficshelf.works import services
from ficshelf.works.services import ChapterContent
from ficshelf.works.signals import chapters_posted
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls = []

    def receiver(sender, *, work_id, chapter_ids, new_work, **kwargs):
        calls.append((work_id, list(chapter_ids), new_work))

    chapters_posted.connect(receiver, dispatch_uid="test-heard")
    yield calls
    chapters_posted.disconnect(dispatch_uid="test-heard")


def test_posting_a_new_work_announces_the_work_and_its_chapter(heard):
    work = make_work()
    assert heard == [(work.pk, [work.chapters.get().pk], True)]


def test_a_draft_announces_nothing_until_posted_then_all_its_chapters(heard):
    writer = make_user()
    work = make_work(writer, chapters=2, post=False)
    assert heard == []
    services.post_work(work=work, editor=writer)
    ids = list(work.chapters.order_by("position").values_list("pk", flat=True))
    assert heard == [(work.pk, ids, True)]


def test_a_new_chapter_is_announced_once_and_its_edits_never(heard):
    writer = make_user()
    work = make_work(writer)
    heard.clear()
    chapter = services.add_chapter(
        work=work, editor=writer, content=ChapterContent(text="<p>Two.</p>")
    )
    services.edit_chapter(
        chapter=chapter, editor=writer, content=ChapterContent(text="<p>Two, revised.</p>")
    )
    assert heard == [(work.pk, [chapter.pk], False)]


def test_a_draft_chapter_is_announced_when_it_is_posted(heard):
    writer = make_user()
    work = make_work(writer)
    draft = services.add_chapter(
        work=work, editor=writer, content=ChapterContent(text="<p>Two.</p>"), post=False
    )
    heard.clear()
    services.post_chapter(chapter=draft, editor=writer)
    services.post_chapter(chapter=draft, editor=writer)  # already posted: nothing new
    assert heard == [(work.pk, [draft.pk], False)]


def test_save_and_post_on_a_draft_chapter_announces_it(heard):
    writer = make_user()
    work = make_work(writer)
    draft = services.add_chapter(
        work=work, editor=writer, content=ChapterContent(text="<p>Two.</p>"), post=False
    )
    heard.clear()
    services.edit_chapter(
        chapter=draft, editor=writer, content=ChapterContent(text="<p>Two!</p>"), post=True
    )
    assert heard == [(work.pk, [draft.pk], False)]
