"""Adding, editing, posting, reordering and deleting chapters; word and chapter counts."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ficshelf.userstuff.paragraphs import strip_paragraph_ids
from ficshelf.works.models import Chapter, Work
from ficshelf.works.services import ChapterContent, add_chapter, delete_chapter, edit_chapter
from tests.factories import make_user, make_work
from tests.works.pages import parse

pytestmark = pytest.mark.django_db


def _chapter_form(**overrides) -> dict:
    data = {
        "title": "",
        "summary": "",
        "notes": "",
        "end_notes": "",
        "text_format": "html",
        "text": "<p>A new chapter begins.</p>",
        "post": "Post",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _backdate(work: Work, days: int = 3) -> None:
    """Pretend the work and its chapters were posted `days` ago."""
    then = timezone.now() - timedelta(days=days)
    Work.objects.filter(pk=work.pk).update(published_at=then, revised_at=then)
    work.chapters.filter(posted=True).update(published_at=then)
    work.refresh_from_db()


def _positions(work: Work) -> list[tuple[int, str]]:
    return list(work.chapters.order_by("position").values_list("position", "title"))


# --- Adding ---------------------------------------------------------------------------------


def test_a_creator_adds_a_posted_chapter(author_client, author):
    work = make_work(author)
    response = author_client.post(
        f"/works/{work.pk}/chapters/new",
        _chapter_form(title="The Return", text="<p>She came back at dawn.</p>"),
    )
    chapter = work.chapters.get(position=2)
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}/chapters/{chapter.pk}"
    assert (chapter.title, chapter.posted, chapter.word_count) == ("The Return", True, 5)
    assert chapter.published_at is not None

    page = author_client.get(response["Location"]).content.decode()
    assert "Chapter was successfully posted." in page
    assert "She came back at dawn." in page


def test_a_chapter_saved_as_a_draft_is_hidden_from_readers(client, author):
    work = make_work(author)
    client.force_login(author)
    data = _chapter_form(text="<p>Not ready yet.</p>")
    del data["post"]
    client.post(f"/works/{work.pk}/chapters/new", {**data, "save_draft": "Save as draft"})
    draft = work.chapters.get(position=2)
    assert draft.posted is False
    assert draft.published_at is None
    work.refresh_from_db()
    assert work.chapter_count_display == "1/?"

    assert "Not ready yet." in client.get(draft.get_absolute_url()).content.decode()
    client.force_login(make_user())
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert (
        "Not ready yet." not in client.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    )


def test_a_chapter_added_to_a_draft_work_stays_a_draft(author):
    work = make_work(author, post=False)
    chapter = add_chapter(work=work, editor=author, content=ChapterContent(text="<p>Two.</p>"))
    assert chapter.posted is False


def test_a_chapter_with_no_text_is_refused(author_client, author):
    work = make_work(author)
    response = author_client.post(
        f"/works/{work.pk}/chapters/new", _chapter_form(text="<p>&nbsp;</p>")
    )
    assert response.status_code == 200
    assert "The chapter has no text." in response.content.decode()
    assert work.chapters.count() == 1


def test_a_chapter_text_over_510000_characters_is_refused(author_client, author):
    work = make_work(author)
    response = author_client.post(
        f"/works/{work.pk}/chapters/new", _chapter_form(text="a " * 255_001)
    )
    assert response.status_code == 200
    assert "the most a chapter can hold is 510,000" in response.content.decode()
    assert work.chapters.count() == 1


def test_adding_a_chapter_updates_the_works_updated_date(author_client, author):
    work = make_work(author)
    _backdate(work)
    published = work.published_at
    author_client.post(f"/works/{work.pk}/chapters/new", _chapter_form())
    work.refresh_from_db()
    assert work.published_at == published
    assert work.revised_at.date() == timezone.now().date()
    stats = parse(author_client.get(f"/works/{work.pk}").content).one("dl.stats")
    assert stats.one("dd.published").text == f"{published:%Y-%m-%d}"
    assert stats.one("dt.status").text == "Updated:"
    assert stats.one("dd.status").text == f"{timezone.now():%Y-%m-%d}"


def test_a_draft_chapter_does_not_change_the_updated_date(author):
    work = make_work(author)
    _backdate(work)
    revised = work.revised_at
    add_chapter(work=work, editor=author, content=ChapterContent(text="<p>Draft.</p>"), post=False)
    work.refresh_from_db()
    assert work.revised_at == revised


# --- Editing and posting drafts -------------------------------------------------------------


def test_a_creator_edits_a_chapter(author_client, author):
    work = make_work(author, text="<p>The old words.</p>")
    chapter = work.chapters.get()
    edit_page = author_client.get(f"/works/{work.pk}/chapters/{chapter.pk}/edit")
    assert "The old words." in edit_page.content.decode()

    response = author_client.post(
        f"/works/{work.pk}/chapters/{chapter.pk}/edit",
        _chapter_form(title="Renamed", text="<p>Some brand new words here.</p>", post=None),
    )
    assert response.status_code == 302
    chapter.refresh_from_db()
    work.refresh_from_db()
    assert (chapter.title, strip_paragraph_ids(chapter.text)) == (
        "Renamed",
        "<p>Some brand new words here.</p>",
    )
    assert chapter.word_count == 5
    assert work.word_count == 5
    assert "Some brand new words here." in author_client.get(f"/works/{work.pk}").content.decode()


def test_editing_a_posted_chapter_updates_the_revised_date(author):
    work = make_work(author)
    _backdate(work)
    edit_chapter(
        chapter=work.chapters.get(), editor=author, content=ChapterContent(text="<p>New.</p>")
    )
    work.refresh_from_db()
    assert work.revised_at.date() == timezone.now().date()


def test_a_creator_posts_a_draft_chapter(client, author):
    work = make_work(author, text="<p>One two.</p>")
    _backdate(work)
    draft = add_chapter(
        work=work,
        editor=author,
        content=ChapterContent(text="<p>Three four five.</p>"),
        post=False,
    )
    client.force_login(author)
    response = client.post(f"/works/{work.pk}/chapters/{draft.pk}/post")
    assert response.status_code == 302
    draft.refresh_from_db()
    work.refresh_from_db()
    assert draft.posted is True
    assert draft.published_at is not None
    assert work.word_count == 5
    assert work.chapter_count_display == "2/?"
    assert work.revised_at.date() == timezone.now().date()
    client.logout()
    assert "Three four five." in client.get(draft.get_absolute_url()).content.decode()


def test_a_draft_chapter_is_posted_from_its_edit_form(author_client, author):
    work = make_work(author)
    draft = add_chapter(
        work=work, editor=author, content=ChapterContent(text="<p>Draft.</p>"), post=False
    )
    author_client.post(
        f"/works/{work.pk}/chapters/{draft.pk}/edit", _chapter_form(text="<p>Ready now.</p>")
    )
    draft.refresh_from_db()
    assert (draft.posted, strip_paragraph_ids(draft.text)) == (True, "<p>Ready now.</p>")


def test_another_user_cannot_post_a_draft_chapter(client, author):
    work = make_work(author)
    draft = add_chapter(
        work=work, editor=author, content=ChapterContent(text="<p>Draft.</p>"), post=False
    )
    client.force_login(make_user())
    assert client.post(f"/works/{work.pk}/chapters/{draft.pk}/post").status_code == 404
    draft.refresh_from_db()
    assert draft.posted is False


# --- Reordering -----------------------------------------------------------------------------


def test_a_creator_reorders_chapters(author_client, author):
    work = make_work(author, chapters=3)
    one, two, three = work.chapters.order_by("position")
    assert author_client.get(f"/works/{work.pk}/chapters/manage").status_code == 200
    response = author_client.post(
        f"/works/{work.pk}/chapters/manage",
        {f"position_{three.pk}": 1, f"position_{one.pk}": 2, f"position_{two.pk}": 3},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}/navigate"
    assert _positions(work) == [(1, "Part 3"), (2, ""), (3, "Part 2")]
    index = parse(author_client.get(response["Location"]).content).select("ol.chapter.index a")
    assert [a.text for a in index] == ["1. Part 3", "2. Chapter 2", "3. Part 2"]


def test_reordering_needs_each_position_once(author_client, author):
    work = make_work(author, chapters=2)
    one, two = work.chapters.order_by("position")
    response = author_client.post(
        f"/works/{work.pk}/chapters/manage", {f"position_{one.pk}": 1, f"position_{two.pk}": 1}
    )
    assert response.status_code == 200
    assert "Give each chapter a different position" in response.content.decode()
    assert _positions(work) == [(1, ""), (2, "Part 2")]


# --- Deleting -------------------------------------------------------------------------------


def test_deleting_a_chapter_renumbers_the_rest(author_client, author):
    work = make_work(author, chapters=3)
    two = work.chapters.get(position=2)
    assert author_client.get(f"/works/{work.pk}/chapters/{two.pk}/delete").status_code == 200
    response = author_client.post(f"/works/{work.pk}/chapters/{two.pk}/delete")
    assert response.status_code == 302
    assert not Chapter.objects.filter(pk=two.pk).exists()
    assert _positions(work) == [(1, ""), (2, "Part 3")]
    work.refresh_from_db()
    assert work.chapter_count_display == "2/?"
    assert work.word_count == 4 + 3


def test_the_only_chapter_of_a_work_cannot_be_deleted(author_client, author):
    work = make_work(author)
    chapter = work.chapters.get()
    response = author_client.post(f"/works/{work.pk}/chapters/{chapter.pk}/delete")
    assert response.status_code == 400
    assert "A work needs at least one chapter" in response.content.decode()
    assert work.chapters.count() == 1


def test_the_only_posted_chapter_of_a_posted_work_cannot_be_deleted(author):
    """Otherwise readers would find a posted work with nothing to read."""
    work = make_work(author)
    posted = work.chapters.get()
    add_chapter(work=work, editor=author, content=ChapterContent(text="<p>Draft.</p>"), post=False)
    with pytest.raises(ValidationError):
        delete_chapter(chapter=posted, editor=author)
    assert work.chapters.filter(posted=True).count() == 1


def test_a_draft_chapter_can_be_deleted(author):
    work = make_work(author)
    draft = add_chapter(
        work=work, editor=author, content=ChapterContent(text="<p>Draft.</p>"), post=False
    )
    delete_chapter(chapter=draft, editor=author)
    assert work.chapters.count() == 1


# --- Counts ---------------------------------------------------------------------------------


def test_words_are_counted_per_chapter_and_for_the_work(author):
    work = make_work(author, text="<p>One two three.</p>")
    add_chapter(
        work=work, editor=author, content=ChapterContent(text="<p>Four five.</p><p>Six.</p>")
    )
    add_chapter(
        work=work,
        editor=author,
        content=ChapterContent(text="<p>Not counted while a draft.</p>"),
        post=False,
    )
    work.refresh_from_db()
    assert list(work.chapters.order_by("position").values_list("word_count", flat=True)) == [
        3,
        3,
        5,
    ]
    assert work.word_count == 6


def test_the_work_page_shows_the_word_count_with_thousands_separators(client, author):
    work = make_work(author, text="<p>" + "word " * 1234 + "</p>")
    page = parse(client.get(f"/works/{work.pk}").content)
    assert page.one("dl.stats dd.words").text == "1,234"


def test_a_work_in_progress_shows_posted_chapters_of_unknown_total(client, author):
    work = make_work(author, chapters=2)
    assert work.chapter_count_display == "2/?"
    assert parse(client.get(f"/works/{work.pk}").content).one("dd.chapters").text == "2/?"


def test_a_work_reaching_its_expected_chapters_is_complete(client, author):
    work = make_work(author, expected_chapters=3)
    assert work.chapter_count_display == "1/3"
    for number in (2, 3):
        add_chapter(work=work, editor=author, content=ChapterContent(text=f"<p>{number}</p>"))
    work.refresh_from_db()
    assert work.is_complete is True
    assert work.chapter_count_display == "3/3"
    page = parse(client.get(f"/works/{work.pk}").content)
    assert page.one("dd.chapters").text == "3/3"


def test_a_complete_work_shows_its_posted_chapters_as_the_total(client, author):
    work = make_work(author, chapters=3, is_complete=True)
    _backdate(work)
    add_chapter(work=work, editor=author, content=ChapterContent(text="<p>Epilogue.</p>"))
    work.refresh_from_db()
    assert work.chapter_count_display == "4/4"
    stats = parse(client.get(f"/works/{work.pk}").content).one("dl.stats")
    assert stats.one("dd.chapters").text == "4/4"
    assert stats.one("dt.status").text == "Completed:"


def test_a_second_chapter_on_the_day_of_posting_shows_the_updated_date(client, author):
    """AO3 shows "Updated" on every multi-chapter work, even when nothing was backdated."""
    work = make_work(author)
    add_chapter(work=work, editor=author, content=ChapterContent(text="<p>Part two.</p>"))
    stats = parse(client.get(f"/works/{work.pk}").content).one("dl.stats")
    assert stats.one("dt.status").text == "Updated:"
    assert stats.one("dd.status").text == f"{timezone.now():%Y-%m-%d}"


def test_a_multi_chapter_work_completed_shows_the_date_it_was_completed(client, author):
    work = make_work(author, chapters=2, expected_chapters=3)
    assert work.completed_at is None
    add_chapter(work=work, editor=author, content=ChapterContent(text="<p>The end.</p>"))
    work.refresh_from_db()
    assert work.is_complete and work.completed_at is not None
    stats = parse(client.get(f"/works/{work.pk}").content).one("dl.stats")
    assert stats.one("dt.status").text == "Completed:"
    assert stats.one("dd.status").text == f"{work.completed_at:%Y-%m-%d}"


def test_an_imported_draft_shows_its_words_and_chapters(author_client, author):
    from ficshelf.imports.services import WorkChoices, import_work

    work = import_work(
        file_bytes=b"Title : Draft\n\nSome words in a draft.",
        filename="draft.txt",
        importer=author,
        defaults=WorkChoices(fandoms=["Testing"]),
        post=False,
    ).work
    stats = parse(author_client.get(f"/works/{work.pk}").content).one("dl.stats")
    assert stats.one("dd.words").text == "5"
    assert stats.one("dd.chapters").text == "1/?"
    listing = parse(author_client.get("/users/author/works").content)
    assert listing.one("dd.words").text == "5"
