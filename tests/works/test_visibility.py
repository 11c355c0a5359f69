"""Who may see what: the reading policy's lists (Work.objects.visible_to,
Chapter.objects.visible_to, reading.readable_chapters), asked directly."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ficshelf.works import reading
from ficshelf.works.models import Chapter, Work
from ficshelf.works.services import ChapterContent, add_chapter
from tests.factories import add_co_creator, make_user, make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(author):
    """One work of each kind, by `author`."""
    return {
        "posted": make_work(author, title="Posted"),
        "restricted": make_work(author, title="Restricted", restricted=True),
        "draft": make_work(author, title="Draft", post=False),
        "restricted draft": make_work(
            author, title="Restricted Draft", post=False, restricted=True
        ),
    }


def _titles(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


@pytest.mark.parametrize("guest", [None, AnonymousUser()], ids=["None", "AnonymousUser"])
def test_a_guest_sees_only_posted_unrestricted_works(works, guest):
    assert _titles(Work.objects.visible_to(guest)) == {"Posted"}


def test_a_logged_in_reader_also_sees_restricted_works_but_no_drafts(works, reader):
    assert _titles(Work.objects.visible_to(reader)) == {"Posted", "Restricted"}


def test_a_creator_sees_their_own_drafts(works, author):
    assert _titles(Work.objects.visible_to(author)) == {
        "Posted",
        "Restricted",
        "Draft",
        "Restricted Draft",
    }
    assert _titles(Work.objects.visible_to(author).posted()) == {"Posted", "Restricted"}


def test_a_co_creator_sees_the_shared_draft(works, author):
    partner = make_user("partner")
    add_co_creator(works["draft"], by=author, user=partner)
    assert _titles(Work.objects.visible_to(partner)) == {"Posted", "Restricted", "Draft"}


def test_another_writers_drafts_stay_hidden_from_a_creator(works):
    other = make_user("other")
    make_work(other, title="Other's Draft", post=False)
    assert "Draft" not in _titles(Work.objects.visible_to(other))
    assert "Other's Draft" in _titles(Work.objects.visible_to(other))


def test_only_creators_may_edit(works, author, reader):
    assert _titles(Work.objects.editable_by(author)) == set(
        Work.objects.values_list("title", flat=True)
    )
    assert not Work.objects.editable_by(reader).exists()
    assert not Work.objects.editable_by(None).exists()
    assert not Work.objects.editable_by(AnonymousUser()).exists()


@pytest.fixture
def two_chapters(author):
    """A posted work with one posted chapter and one draft chapter."""
    work = make_work(author, title="Two Chapters")
    draft = add_chapter(
        work=work, editor=author, content=ChapterContent(text="<p>Draft.</p>"), post=False
    )
    return work, work.chapters.get(position=1), draft


def test_a_draft_chapter_of_a_posted_work_is_hidden_from_readers(two_chapters, reader):
    work, posted, draft = two_chapters
    assert list(Chapter.objects.visible_to(None)) == [posted]
    assert list(Chapter.objects.visible_to(reader)) == [posted]
    assert list(reading.readable_chapters(reader, work)) == [posted]


def test_a_creator_sees_their_draft_chapter(two_chapters, author):
    work, posted, draft = two_chapters
    assert list(Chapter.objects.visible_to(author)) == [posted, draft]
    assert list(reading.readable_chapters(author, work)) == [posted, draft]


def test_chapters_of_a_draft_work_are_hidden_from_everyone_else(author, reader):
    work = make_work(author, post=False)
    assert not Chapter.objects.visible_to(None).exists()
    assert not Chapter.objects.visible_to(reader).exists()
    assert list(Chapter.objects.visible_to(author)) == list(work.chapters.all())


def test_chapters_of_a_restricted_work_are_for_logged_in_readers(author, reader):
    work = make_work(author, restricted=True)
    assert not Chapter.objects.visible_to(None).exists()
    assert list(Chapter.objects.visible_to(reader)) == list(work.chapters.all())


def test_a_guest_gets_404_for_a_draft_chapter_page(client, two_chapters):
    work, posted, draft = two_chapters
    assert client.get(f"/works/{work.pk}/chapters/{posted.pk}").status_code == 200
    assert client.get(f"/works/{work.pk}/chapters/{draft.pk}").status_code == 404


def test_a_chapter_id_from_another_work_is_not_found(client, author):
    one = make_work(author)
    other = make_work(author)
    chapter = other.chapters.get()
    assert client.get(f"/works/{one.pk}/chapters/{chapter.pk}").status_code == 404


def test_a_logged_in_reader_reads_a_restricted_work(client, author, reader):
    work = make_work(author, restricted=True, text="<p>Members only.</p>")
    assert client.get(f"/works/{work.pk}").status_code == 403
    assert client.get(f"/works/{work.pk}/navigate").status_code == 403
    client.force_login(reader)
    assert "Members only." in client.get(f"/works/{work.pk}").content.decode()
    assert client.get(f"/works/{work.pk}/navigate").status_code == 200


def test_a_restricted_draft_is_not_found_rather_than_a_log_in_prompt(client, author):
    """A guest learns nothing about a draft, not even that it exists."""
    work = make_work(author, restricted=True, post=False)
    assert client.get(f"/works/{work.pk}").status_code == 404
