"""Continue reading at the exact paragraph: the position the browser sends, and where the work
page sends the reader back, across edits that remove the paragraph or the chapter."""

import re

import pytest
from django.urls import reverse

from ficshelf.shelf import readings
from ficshelf.shelf.models import Reading
from ficshelf.userstuff.paragraphs import paragraphs_of
from ficshelf.works.models import Work
from ficshelf.works.services import ChapterContent, delete_chapter, edit_chapter
from tests.factories import make_account, make_user, make_work

pytestmark = pytest.mark.django_db

TEXT = "".join(f"<p>Paragraph number {n} of the chapter.</p>" for n in range(1, 11))


@pytest.fixture
def work(author):
    return make_work(author, chapters=3, text=TEXT, title="Ten Paragraphs")


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


def ids_of(chapter):
    chapter.refresh_from_db()
    return [p.id for p in paragraphs_of(chapter.text)]


def first(work):
    return work.chapters.get(position=1)


def send(client, work, chapter, paragraph):
    url = reverse("shelf:save_position", args=[work.pk])
    return client.post(url, {"chapter": chapter.pk, "paragraph": paragraph})


def continue_link(client, work) -> str | None:
    page = client.get(work.get_absolute_url()).content.decode()
    found = re.search(r'<li class="continue-reading"><a href="([^"]+)"', page)
    return found and found.group(1)


def test_the_position_sent_is_kept_with_its_place_in_the_chapter(reader_client, reader, work):
    chapter = first(work)
    sixth = ids_of(chapter)[5]
    assert send(reader_client, work, chapter, sixth).status_code == 204
    entry = Reading.objects.get(user=reader)
    assert (entry.chapter_id, entry.paragraph, entry.paragraph_index) == (chapter.pk, sixth, 5)
    assert entry.position_at is not None


def test_the_work_page_offers_to_continue_at_that_paragraph(reader_client, work):
    chapter = first(work)
    sixth = ids_of(chapter)[5]
    reader_client.get(work.get_absolute_url())
    send(reader_client, work, chapter, sixth)
    url = continue_link(reader_client, work)
    assert url == f"{chapter.get_absolute_url()}#p-{sixth}"
    page = reader_client.get(work.get_absolute_url()).content.decode()
    assert "Continue reading: Chapter 1, where you left off" in page
    # The page the link opens holds that paragraph.
    assert f'data-p="{sixth}"' in reader_client.get(url.split("#")[0]).content.decode()


def test_without_javascript_the_reader_continues_at_the_last_chapter_opened(reader_client, work):
    third = work.chapters.get(position=3)
    reader_client.get(third.get_absolute_url())
    assert continue_link(reader_client, work) == third.get_absolute_url()


def test_no_continue_link_before_reading_or_at_the_top_of_the_chapter_shown(reader_client, work):
    assert continue_link(reader_client, work) is None  # first visit: nothing known before
    assert continue_link(reader_client, work) is None  # at chapter 1's top, on chapter 1


def test_an_edit_that_removes_the_paragraph_resumes_at_the_one_now_in_its_place(
    reader_client, reader, author, work
):
    chapter = first(work)
    before = ids_of(chapter)
    send(reader_client, work, chapter, before[5])
    # The author cuts paragraphs 5 and 6 (and so the reader's).
    kept = [f"<p>Paragraph number {n} of the chapter.</p>" for n in range(1, 11) if n not in (5, 6)]
    edit_chapter(chapter=chapter, editor=author, content=ChapterContent(text="".join(kept)))
    after = ids_of(chapter)
    assert before[5] not in after
    url = continue_link(reader_client, work)
    # Index 5 now holds what was paragraph 8: the nearest paragraph that remains.
    assert url == f"{chapter.get_absolute_url()}#p-{after[5]}"
    assert after[5] == before[7]
    page = reader_client.get(work.get_absolute_url()).content.decode()
    assert "has changed since" in page


def test_an_edit_that_shortens_the_chapter_past_the_position_resumes_at_its_last_paragraph(
    reader_client, author, work
):
    chapter = first(work)
    send(reader_client, work, chapter, ids_of(chapter)[9])
    edit_chapter(
        chapter=chapter, editor=author, content=ChapterContent(text="<p>All new, and short.</p>")
    )
    last = ids_of(chapter)[-1]
    assert continue_link(reader_client, work) == f"{chapter.get_absolute_url()}#p-{last}"


def test_an_edit_that_keeps_the_paragraph_keeps_the_position(reader_client, author, work):
    chapter = first(work)
    before = ids_of(chapter)
    send(reader_client, work, chapter, before[5])
    text = "<p>A new opening.</p>" + TEXT
    edit_chapter(chapter=chapter, editor=author, content=ChapterContent(text=text))
    assert before[5] in ids_of(chapter)
    assert continue_link(reader_client, work) == f"{chapter.get_absolute_url()}#p-{before[5]}"


def test_a_deleted_chapter_sends_its_readers_to_the_chapter_now_in_its_place(
    reader_client, reader, author, work
):
    two, three = work.chapters.get(position=2), work.chapters.get(position=3)
    send(reader_client, work, two, ids_of(two)[0])
    delete_chapter(chapter=two, editor=author)
    entry = Reading.objects.get(user=reader)
    assert (entry.chapter_id, entry.paragraph) == (three.pk, "")
    assert continue_link(reader_client, work) == three.get_absolute_url()


def test_deleting_the_last_chapter_sends_its_readers_to_the_one_before(
    reader_client, reader, author, work
):
    two, three = work.chapters.get(position=2), work.chapters.get(position=3)
    send(reader_client, work, three, ids_of(three)[0])
    delete_chapter(chapter=three, editor=author)
    assert Reading.objects.get(user=reader).chapter_id == two.pk


def test_a_chapter_made_a_draft_again_gives_way_to_the_next_posted_one(reader_client, reader, work):
    from ficshelf.works.models import Chapter

    two = work.chapters.get(position=2)
    send(reader_client, work, two, ids_of(two)[0])
    Chapter.objects.filter(pk=two.pk).update(posted=False)
    url = continue_link(reader_client, work)
    assert url == work.chapters.get(position=3).get_absolute_url()


@pytest.mark.parametrize("paragraph", ["", "0", "abc", "999", "1; DROP", "-1", "1" * 12])
def test_a_paragraph_the_chapter_does_not_hold_is_a_400(reader_client, work, paragraph):
    response = send(reader_client, work, first(work), paragraph)
    assert response.status_code == 400
    assert not Reading.objects.filter(paragraph=paragraph).exists()


def test_a_chapter_of_another_work_is_a_400(reader_client, work, author):
    other = make_work(author, title="Other")
    response = send(reader_client, work, first(other), "1")
    assert response.status_code == 400
    url = reverse("shelf:save_position", args=[work.pk])
    assert reader_client.post(url, {"chapter": "x", "paragraph": "1"}).status_code == 400


def test_a_draft_chapter_of_a_posted_work_is_a_400(reader_client, work, author):
    from ficshelf.works.services import add_chapter

    draft = add_chapter(
        work=work, editor=author, content=ChapterContent(text="<p>Soon.</p>"), post=False
    )
    assert send(reader_client, work, draft, "1").status_code == 400


def test_a_guest_is_refused_with_a_403(client, work):
    assert send(client, work, first(work), "1").status_code == 403
    assert not Reading.objects.exists()


def test_a_work_the_reader_may_not_read_is_a_404(reader_client):
    draft = make_work(make_user("drafter"), post=False)
    assert send(reader_client, draft, first(draft), "1").status_code == 404
    missing = reverse("shelf:save_position", args=[999999])
    assert reader_client.post(missing, {"chapter": 1, "paragraph": "1"}).status_code == 404


def test_the_position_endpoint_takes_posts_only(reader_client, work):
    assert reader_client.get(reverse("shelf:save_position", args=[work.pk])).status_code == 405


def test_the_position_needs_the_csrf_token(reader, work):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reader)
    assert send(strict, work, first(work), "1").status_code == 403


def test_another_readers_position_is_their_own(reader_client, reader, work):
    chapter = first(work)
    send(reader_client, work, chapter, ids_of(chapter)[5])
    other = make_account("other")
    readings.record_reading(user=other, work=work, chapter=chapter)
    assert Reading.objects.get(user=other).paragraph == ""


def test_the_reading_page_arms_the_browser_with_its_chapters(reader_client, work):
    page = reader_client.get(work.get_absolute_url() + "?view_full_work=true").content.decode()
    ids = " ".join(
        str(pk) for pk in work.chapters.order_by("position").values_list("pk", flat=True)
    )
    assert f'data-position-url="/works/{work.pk}/position"' in page
    assert f'data-chapter-ids="{ids}"' in page


def test_a_deleted_work_takes_its_readings_with_it(reader_client, reader, author, work):
    from ficshelf.works.services import delete_work

    send(reader_client, work, first(work), "1")
    delete_work(work=Work.objects.get(pk=work.pk), editor=author)
    assert not Reading.objects.exists()
