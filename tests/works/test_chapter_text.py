"""Chapter text keeps its shape and its paragraphs keep their ids, through the posting forms."""

import re

import pytest

from ficshelf.imports.services import WorkChoices, import_work
from ficshelf.userstuff.paragraphs import paragraphs_of
from ficshelf.works.models import Chapter
from tests.factories import make_work
from tests.imports.conftest import SEED_PATH, SVU

pytestmark = pytest.mark.django_db


def _chapter_form(chapter: Chapter, **overrides) -> dict:
    data = {
        "title": chapter.title,
        "summary": "",
        "notes": "",
        "end_notes": "",
        "text_format": chapter.text_format,
        "text": chapter.text_source or chapter.text,
        "base_revision": chapter.revision,
        "save": "Update",
    }
    data.update(overrides)
    return data


def _edit_url(chapter: Chapter) -> str:
    return f"/works/{chapter.work_id}/chapters/{chapter.pk}/edit"


def test_rich_text_typed_with_blank_lines_reads_as_paragraphs(author_client, work_form):
    text = "It was late.\n\nThe precinct was quiet.\nToo quiet.\n\n***\n\nMorning came."
    author_client.post("/works/new", work_form(text=text, text_format="html"))
    html = Chapter.objects.get().text
    assert re.sub(r' data-p="\d+"', "", html) == (
        "<p>It was late.</p>\n<p>The precinct was quiet.<br>\nToo quiet.</p>\n<hr>\n"
        "<p>Morning came.</p>"
    )


def test_a_markdown_chapter_edits_as_markdown(author_client, work_form):
    source = "She *ran*.\n\nHe **didn't**."
    author_client.post("/works/new", work_form(text=source, text_format="markdown"))
    chapter = Chapter.objects.get()
    assert "<em>ran</em>" in chapter.text
    form = author_client.get(_edit_url(chapter)).context["form"]
    assert form.initial["text"] == source
    assert form.initial["text_format"] == "markdown"

    edited = "She *ran*.\n\nHe **didn't** follow."
    response = author_client.post(_edit_url(chapter), _chapter_form(chapter, text=edited))
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert (chapter.text_format, chapter.text_source) == ("markdown", edited)
    assert "<strong>didn't</strong> follow." in chapter.text


def test_a_plain_text_chapter_edits_as_plain_text(author_client, work_form):
    source = "One & two.\n\nThree."
    author_client.post("/works/new", work_form(text=source, text_format="plain"))
    chapter = Chapter.objects.get()
    assert author_client.get(_edit_url(chapter)).context["form"].initial["text"] == source


def test_an_html_chapter_edits_as_html_without_paragraph_ids(author_client, author):
    work = make_work(author, text="<p>One.</p><p>Two.</p>")
    chapter = work.chapters.get()
    assert 'data-p="' in chapter.text
    page = author_client.get(_edit_url(chapter)).content.decode()
    assert "&lt;p&gt;One.&lt;/p&gt;" in page
    assert "data-p" not in page


def test_every_paragraph_of_the_seed_keeps_its_id_when_a_neighbour_is_edited(author_client, author):
    work = import_work(
        file_bytes=SEED_PATH.read_bytes(),
        filename=SEED_PATH.name,
        importer=author,
        defaults=WorkChoices(fandoms=[SVU]),
    ).work
    chapter = work.chapters.get()
    before = paragraphs_of(chapter.text)
    assert len(before) >= 30  # 28 paragraphs and 2 scene breaks
    assert all(p.id for p in before)
    assert len({p.id for p in before}) == len(before)

    # The author fixes a typo in the third paragraph of their plain-text source.
    source = chapter.text_source
    third = before[2].text
    words = third.split()
    fixed = " ".join(words[:-1] + [words[-1] + " indeed"])
    assert third[:40] in source
    start = source.index(third[:40])
    end = source.index("\n", start) if "\n" in source[start:] else len(source)
    new_source = source[:start] + fixed + source[end:]
    response = author_client.post(
        _edit_url(chapter), _chapter_form(chapter, text=new_source, text_format="plain")
    )
    assert response.status_code == 302, response.context["form"].errors
    chapter.refresh_from_db()
    after = paragraphs_of(chapter.text)
    assert [p.id for p in after] == [p.id for p in before]
    assert after[2].text.endswith("indeed")


def test_a_forged_paragraph_id_in_submitted_html_is_replaced(author_client, author):
    work = make_work(author, text="<p>First.</p><p>Second.</p>")
    chapter = work.chapters.get()
    ids = [p.id for p in paragraphs_of(chapter.text)]
    forged = f'<p data-p="{ids[1]}">First.</p><p data-p="999">Second.</p><p data-p="1">New.</p>'
    author_client.post(_edit_url(chapter), _chapter_form(chapter, text=forged))
    chapter.refresh_from_db()
    after = paragraphs_of(chapter.text)
    assert [p.text for p in after] == ["First.", "Second.", "New."]
    assert [p.id for p in after[:2]] == ids
    assert after[2].id not in ids and after[2].id != "999"


def test_two_tabs_saving_one_chapter_lose_nothing(author_client, author):
    work = make_work(author, text="<p>Original.</p>")
    chapter = work.chapters.get()
    first_tab = _chapter_form(chapter, text="<p>From the first tab.</p>")
    second_tab = _chapter_form(chapter, text="<p>From the second tab.</p>")
    assert author_client.post(_edit_url(chapter), first_tab).status_code == 302

    refused = author_client.post(_edit_url(chapter), second_tab)
    assert refused.status_code == 409  # a conflict page, both versions shown
    page = refused.content.decode()
    assert "was changed" in page and "Nothing was saved" in page
    assert "From the second tab." in page  # the typed text is still in the form
    assert "From the first tab." in Chapter.objects.get(pk=chapter.pk).text

    # Saving again, on purpose, replaces the saved version.
    again = dict(second_tab, base_revision=refused.context["form"].data["base_revision"])
    assert author_client.post(_edit_url(chapter), again).status_code == 302
    assert "From the second tab." in Chapter.objects.get(pk=chapter.pk).text


def test_a_chapter_of_only_whitespace_gets_a_clear_message(author_client, author):
    work = make_work(author)
    response = author_client.post(
        f"/works/{work.pk}/chapters/new",
        {"text_format": "html", "text": "  \n\n\t ", "post": "Post"},
    )
    assert response.status_code == 200
    assert "The chapter has no text." in response.content.decode()
    assert work.chapters.count() == 1


def test_ten_thousand_one_line_paragraphs_post_with_an_id_each(author_client, author):
    work = make_work(author)
    text = "\n\n".join(f"Line {n}." for n in range(10_000))
    response = author_client.post(
        f"/works/{work.pk}/chapters/new", {"text_format": "plain", "text": text, "post": "Post"}
    )
    assert response.status_code == 302
    chapter = work.chapters.get(position=2)
    paragraphs = paragraphs_of(chapter.text)
    assert len(paragraphs) == 10_000
    assert len({p.id for p in paragraphs}) == 10_000
