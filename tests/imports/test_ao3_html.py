"""Importing a work from AO3's HTML download, through the import page and the command."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from ficshelf.imports.models import WorkImport
from ficshelf.userstuff import TextFormat, html_to_text, to_html
from ficshelf.userstuff.paragraphs import strip_paragraph_ids
from ficshelf.works.models import Work

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
THREE_CHAPTERS = (FIXTURES / "ao3_three_chapters.html").read_text()
ONE_SHOT = (FIXTURES / "ao3_one_shot.html").read_text()
URL = "https://archiveofourown.org/works/48151623"


def upload(client, data: str | bytes, name: str = "The_TideClocks_Ledger.html", **fields):
    data = data.encode() if isinstance(data, str) else data
    fields.setdefault("posting", "post")
    return client.post("/works/import", {"file": SimpleUploadedFile(name, data), **fields})


def names(tags) -> list[str]:
    return [tag.name for tag in tags]


def stored(html: str) -> str:
    return strip_paragraph_ids(html)


def fixture_chapter_texts(document: str) -> list[str]:
    """Each chapter's text as the file holds it, found with a pattern (not the importer's
    reader), cleaned as any posted chapter text is."""
    found = re.findall(
        r'<!--chapter content-->\s*<div class="userstuff">(.*?)</div>\s*<!--/chapter content-->',
        document,
        re.S,
    )
    return [to_html(text, TextFormat.HTML) for text in found]


def test_an_ao3_download_becomes_a_posted_work_with_all_its_metadata(author_client, author):
    response = upload(author_client, THREE_CHAPTERS)
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}"
    assert work.title == "The Tide-Clock's Ledger"
    assert work.posted
    assert work.rating == "mature"
    assert names(work.warnings) == ["Graphic Depictions Of Violence", "Major Character Death"]
    assert names(work.categories) == ["Gen", "M/M"]
    assert names(work.fandoms) == [
        "Sherlock Holmes - Arthur Conan Doyle",
        "Sherlock Holmes & Related Fandoms",
    ]
    assert names(work.relationships) == ["Sherlock Holmes/John Watson", "Mrs. Hudson & John Watson"]
    assert names(work.characters) == ["Sherlock Holmes", "John Watson", "Mrs. Hudson"]
    assert names(work.freeforms) == ["Victorian London", "Clocks", "Holmes Isn't Dead", "tea ☕"]
    assert work.language == "en"
    assert work.expected_chapters == 3
    assert work.is_complete
    assert "a detective who is <em>definitely</em> not dead." in stored(work.summary)
    assert "Written for the Baker Street Bingo." in work.notes
    assert "Part 3 is coming." in work.end_notes
    assert 'href="https://example.org/"' in work.end_notes


def test_the_importer_is_the_creator_and_the_notes_say_whose_work_it_was(author_client, author):
    upload(author_client, THREE_CHAPTERS)
    work = Work.objects.get()
    assert work.creator_pseuds() == [author.default_pseud]
    notes = html_to_text(work.notes)
    assert notes.startswith(
        f"Originally posted on AO3 by Quill (inkwell), moth_lamp on 2023-03-04 at {URL}."
    )
    assert f'href="{URL}"' in work.notes
    assert "Part 2 of the series “Fog Over Baker Street” on AO3." in notes
    assert 'href="https://archiveofourown.org/series/3141592"' in work.notes
    record = WorkImport.objects.get()
    assert (record.work, record.file_format) == (work, "ao3_html")


def test_every_chapter_keeps_its_title_notes_and_exact_text(author_client):
    upload(author_client, THREE_CHAPTERS)
    chapters = list(Work.objects.get().chapters.order_by("position"))
    assert [chapter.title for chapter in chapters] == ["The Low Tide", "", "High Water & After"]
    assert [stored(chapter.text) for chapter in chapters] == fixture_chapter_texts(THREE_CHAPTERS)
    assert all(chapter.posted for chapter in chapters)
    first, second, third = chapters
    assert stored(first.summary) == "<p>Watson finds the ledger.</p>"
    assert stored(first.notes) == "<p>This chapter has a short flashback.</p>"
    assert stored(first.end_notes) == "<p>The tide tables are real; the clock is not.</p>"
    assert (second.summary, second.notes, second.end_notes) == ("", "", "")
    # "See the end of the chapter for notes" is a link, not the chapter's notes.
    assert third.notes == ""
    assert stored(third.end_notes) == "<p>Thank you for reading!</p>"
    assert "<hr>" in stored(first.text)
    assert "<blockquote>" in stored(second.text)


def test_a_one_shot_download_becomes_a_one_chapter_work(author_client):
    upload(author_client, ONE_SHOT, "Salt.html")
    work = Work.objects.get()
    assert work.title == "Salt"
    assert work.rating == "general"
    assert names(work.warnings) == ["No Archive Warnings Apply"]
    assert names(work.categories) == ["F/F"]
    assert names(work.fandoms) == ["Original Work"]
    assert names(work.relationships) == ["Original Female Character/Original Female Character"]
    assert names(work.characters) == []
    chapter = work.chapters.get()
    assert chapter.title == ""
    assert html_to_text(chapter.text).startswith("She brought the salt in from the shed")
    assert work.is_complete and work.expected_chapters == 1
    assert "Originally posted on AO3 by lighthousekeeper" in work.notes


def test_headings_and_labels_inside_a_chapters_text_stay_part_of_the_text(author_client):
    tricky = '<h2 class="heading">Chapter 9: Fake</h2><p>Summary</p><blockquote>Not it</blockquote>'
    upload(author_client, THREE_CHAPTERS.replace("<p>He read the ledger", tricky + "<p>He read"))
    work = Work.objects.get()
    assert work.chapters.count() == 3
    assert "Not it" not in work.summary
    assert "Chapter 9: Fake" in work.chapters.get(position=2).text


def test_a_download_can_be_imported_as_a_draft_with_every_chapter(author_client):
    response = upload(author_client, THREE_CHAPTERS, posting="draft")
    work = Work.objects.get()
    assert not work.posted
    assert work.chapters.count() == 3
    assert not work.chapters.filter(posted=True).exists()
    assert "imported as a draft" in author_client.get(response["Location"]).content.decode()


def test_the_format_is_found_by_content_whatever_the_files_name(author_client):
    upload(author_client, THREE_CHAPTERS, "story.txt")
    work = Work.objects.get()
    assert work.chapters.count() == 3
    assert WorkImport.objects.get().file_format == "ao3_html"


def test_an_unknown_rating_becomes_not_rated_and_the_importer_is_told(author_client):
    changed = THREE_CHAPTERS.replace(">Mature</a>", ">Spicy</a>")
    response = upload(author_client, changed)
    page = author_client.get(response["Location"]).content.decode()
    assert Work.objects.get().rating == "not_rated"
    assert "“Spicy” is not a rating Ficshelf knows, so the work is Not Rated." in page


def test_unknown_warnings_and_categories_become_additional_tags(author_client):
    changed = THREE_CHAPTERS.replace(">Major Character Death<", ">Sad Ending<").replace(
        ">Gen<", ">Poly<"
    )
    response = upload(author_client, changed)
    work = Work.objects.get()
    assert names(work.warnings) == ["Graphic Depictions Of Violence"]
    assert names(work.categories) == ["M/M"]
    assert names(work.freeforms)[-2:] == ["Sad Ending", "Poly"]
    page = author_client.get(response["Location"]).content.decode()
    assert "“Sad Ending” is not an archive warning" in page


def test_what_the_preface_says_without_a_field_of_its_own_is_kept_in_the_notes(author_client):
    changed = THREE_CHAPTERS.replace(
        "<dt>Stats:</dt>",
        '<dt>Collections:</dt><dd><a href="https://archiveofourown.org/collections/bsb">'
        "Baker Street Bingo 2023</a></dd><dt>Stats:</dt>",
    ).replace(
        '  </div>\n</div>\n\n\n<div id="chapters"',
        "<ul><li>Inspired by <a>An Older Work</a> by <a>someone</a></li></ul>"
        '  </div>\n</div>\n\n\n<div id="chapters"',
    )
    upload(author_client, changed)
    notes = html_to_text(Work.objects.get().notes)
    assert "Collections: Baker Street Bingo 2023" in notes
    assert "Inspired by An Older Work by someone" in notes


def test_an_anonymous_works_byline_is_kept_as_it_is(author_client):
    changed = re.sub(r'<div class="byline">.*?</div>', '<div class="byline">by Anonymous</div>',
                     THREE_CHAPTERS)  # fmt: skip
    upload(author_client, changed)
    assert html_to_text(Work.objects.get().notes).startswith(
        "Originally posted on AO3 by Anonymous on 2023-03-04"
    )


def test_the_language_is_read_in_its_own_name(author_client):
    upload(author_client, THREE_CHAPTERS.replace("<dd>English</dd>", "<dd>Español</dd>"))
    assert Work.objects.get().language == "es"


def test_scripts_and_event_handlers_are_removed_and_the_importer_is_told(author_client):
    hostile = THREE_CHAPTERS.replace(
        "<p>He read the ledger",
        '<script>alert("text")</script><img src="x" onerror="alert(1)"><p>He read the ledger',
    ).replace(
        "<p>A clock that runs",
        '<p><a href="javascript:alert(2)">A clock</a> that runs',
    )
    response = upload(author_client, hostile)
    work = Work.objects.get()
    second = work.chapters.get(position=2)
    for html in (second.text, work.summary):
        assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert html_to_text(second.text).strip().startswith("He read the ledger")
    page = author_client.get(response["Location"]).content.decode()
    assert "Scripts in the file were removed" in page


def test_a_windows_1252_download_is_read_with_a_warning(author_client):
    data = THREE_CHAPTERS.replace("tea ☕", "tea").encode("cp1252")
    response = upload(author_client, data)
    work = Work.objects.get()
    assert "“One doesn’t <em>wind</em> it, Doctor." in work.chapters.get(position=1).text
    page = author_client.get(response["Location"]).content.decode()
    assert "read as Windows-1252" in page


def test_broken_markup_in_a_chapter_is_mended(author_client):
    broken = THREE_CHAPTERS.replace(
        "<p>The last one was dated", "<p><em>Unclosed <b>tags<p>The last one was dated"
    )
    upload(author_client, broken)
    text = Work.objects.get().chapters.get(position=2).text
    assert "The last one was dated" in html_to_text(text)
    assert text.count("<em>") == text.count("</em>")


def test_an_html_file_that_is_not_an_ao3_download_is_imported_as_html(author_client):
    upload(author_client, b"<title>Plain</title><h1>Plain</h1><p>Just a story.</p>", "p.html",
           fandoms="Original Work")  # fmt: skip
    work = Work.objects.get()
    assert work.title == "Plain"
    assert stored(work.chapters.get().text) == "<p>Just a story.</p>"
    assert WorkImport.objects.get().file_format == "html"


def cut(document: str, start: str, end: str) -> str:
    before, _, rest = document.partition(start)
    _, _, after = rest.partition(end)
    return before + after


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            cut(THREE_CHAPTERS, '<dl class="tags">', "</dl>"),
            "its list of tags (rating, fandoms, …) is missing",
        ),
        (THREE_CHAPTERS.partition('<div id="chapters"')[0], "no chapter text was found"),
        (
            cut(THREE_CHAPTERS, "<p>He read the ledger", "good tea.</p></blockquote>"),
            "Chapter 2 has no text",
        ),
        (
            THREE_CHAPTERS.replace("<p>Watson hit him", "<div>" * 150 + "<p>Watson hit him"),
            "Chapter 3 (“High Water &amp; After”): The text’s HTML is nested more than",
        ),
    ],
    ids=["no-tags", "cut-short", "empty-chapter", "nested-too-deep"],
)
def test_a_broken_download_is_refused_on_the_form_and_nothing_is_made(
    author_client, document, message
):
    response = upload(author_client, document)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Work.objects.exists()
    assert not WorkImport.objects.exists()


def test_a_download_over_the_size_limit_is_refused(author_client):
    padding = "<p>" + "word " * 2_200_000 + "</p>"
    response = upload(author_client, THREE_CHAPTERS.replace("<p>He read", padding + "<p>He read"))
    assert response.status_code == 400
    assert "Ficshelf imports files of up to 10 MiB" in response.content.decode()
    assert not Work.objects.exists()


def test_an_html_file_over_2_mib_that_is_not_a_download_is_refused(author_client):
    response = upload(author_client, "<p>" + "word " * 500_000 + "</p>", "big.html")
    assert response.status_code == 400
    assert "Ficshelf imports files of up to 2 MiB" in response.content.decode()


def test_the_import_command_imports_a_download_with_its_chapters(author, tmp_path):
    path = tmp_path / "The_TideClocks_Ledger.html"
    path.write_text(THREE_CHAPTERS)
    out = StringIO()
    call_command("import_work", str(path), "--as", "author", stdout=out)
    work = Work.objects.get()
    assert "Title: The Tide-Clock's Ledger" in out.getvalue()
    assert "Chapters: 3" in out.getvalue()
    assert work.chapters.count() == 3
    assert names(work.fandoms)[0] == "Sherlock Holmes - Arthur Conan Doyle"


def test_the_import_command_refuses_a_broken_download_with_its_message(author, tmp_path):
    path = tmp_path / "cut.html"
    path.write_text(THREE_CHAPTERS.partition('<div id="chapters"')[0])
    with pytest.raises(CommandError, match="no chapter text was found"):
        call_command("import_work", str(path), "--as", "author", stdout=StringIO())
    assert not Work.objects.exists()


def test_ficshelfs_own_html_download_imports_back_as_the_same_work(author_client, author):
    """Our HTML download follows AO3's (a preface with the same labels, chapter headings and
    texts), so a work downloaded here imports anywhere that reads AO3's."""
    from ficshelf.downloads.books import build_html

    original = Work.objects.get(pk=upload(author_client, THREE_CHAPTERS)["Location"].split("/")[-1])
    response = upload(author_client, build_html(original), "ledger.html")
    copy = Work.objects.get(pk=response["Location"].split("/")[-1])
    assert copy.pk != original.pk
    for name in ("title", "rating", "language", "summary", "end_notes", "expected_chapters"):
        assert getattr(copy, name) == getattr(original, name), name
    for kind in ("warnings", "categories", "fandoms", "relationships", "characters", "freeforms"):
        assert names(getattr(copy, kind)) == names(getattr(original, kind)), kind
    pairs = zip(
        copy.chapters.order_by("position"), original.chapters.order_by("position"), strict=True
    )
    for mine, theirs in pairs:
        for name in ("title", "summary", "notes", "text", "end_notes"):
            assert stored(getattr(mine, name)) == stored(getattr(theirs, name)), name
    assert copy.chapters.count() == 3
    notes = html_to_text(copy.notes)
    assert notes.startswith(
        f"Originally posted on Ficshelf by author on {original.published_at:%Y-%m-%d}"
    )
    assert "Originally posted on AO3 by Quill (inkwell), moth_lamp" in notes
