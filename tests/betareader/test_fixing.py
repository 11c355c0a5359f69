"""Accepted fixes change a draft's text, only the text that was checked, never a posted one."""

import re

import pytest
from django.core.exceptions import ValidationError

from ficshelf.betareader import services
from ficshelf.betareader.services import Fix, StaleCheck, text_hash
from ficshelf.works.services import ChapterContent, add_chapter, edit_chapter
from tests.factories import make_work

pytestmark = pytest.mark.django_db

TEXT = "<p>We were suppose to meet her at noon. She should of known.</p>"


def bare(html: str) -> str:
    """The chapter's HTML without the paragraph ids works gives it (data-p)."""
    return re.sub(r' data-p="\d+"', "", html)


def finding(chapter, user, text):
    result = services.check_chapter(chapter=chapter, user=user)
    return next(f for f in result.findings if f.text == text)


def fix_for(found, replacement=None) -> Fix:
    replacement = found.suggestions[0] if replacement is None else replacement
    return Fix(found.start, found.end, found.text, replacement)


def test_a_fix_changes_a_drafts_text_and_word_count(author):
    work = make_work(author, post=False, text=TEXT)
    chapter = work.chapters.get()
    found = finding(chapter, author, "suppose to")
    applied = services.apply_fixes(
        chapter=chapter,
        user=author,
        fixes=[fix_for(found, "had been supposed to")],
        checked_text_hash=text_hash(chapter.text),
    )
    chapter.refresh_from_db()
    assert applied == 1
    assert bare(chapter.text) == (
        "<p>We were had been supposed to meet her at noon. She should of known.</p>"
    )
    assert chapter.word_count == 14


def test_several_fixes_are_applied_from_the_end_so_offsets_stay_right(author):
    work = make_work(author, post=False, text=TEXT)
    chapter = work.chapters.get()
    fixes = [fix_for(finding(chapter, author, t)) for t in ("suppose to", "should of")]
    services.apply_fixes(
        chapter=chapter, user=author, fixes=fixes, checked_text_hash=text_hash(chapter.text)
    )
    chapter.refresh_from_db()
    assert bare(chapter.text) == (
        "<p>We were supposed to meet her at noon. She should have known.</p>"
    )


def test_a_fix_on_a_chapter_that_changed_since_it_was_checked_changes_nothing(author):
    work = make_work(author, post=False, text=TEXT)
    chapter = work.chapters.get()
    found = finding(chapter, author, "should of")
    checked = text_hash(chapter.text)
    # Meanwhile, in another tab, the author adds a sentence at the start.
    chapter = edit_chapter(
        chapter=chapter, editor=author, content=ChapterContent(text="<p>Rain. " + TEXT[3:])
    )
    changed = chapter.text
    with pytest.raises(StaleCheck):
        services.apply_fixes(
            chapter=chapter, user=author, fixes=[fix_for(found)], checked_text_hash=checked
        )
    chapter.refresh_from_db()
    assert chapter.text == changed


def test_a_fix_whose_text_is_not_where_it_says_changes_nothing(author):
    work = make_work(author, post=False, text=TEXT)
    chapter = work.chapters.get()
    found = finding(chapter, author, "should of")
    wrong = Fix(found.start - 1, found.end - 1, found.text, "should have")
    with pytest.raises(StaleCheck):
        services.apply_fixes(
            chapter=chapter, user=author, fixes=[wrong], checked_text_hash=text_hash(chapter.text)
        )
    chapter.refresh_from_db()
    assert bare(chapter.text) == TEXT


def test_a_posted_chapter_never_changes_behind_its_authors_back(author):
    work = make_work(author, post=True, text=TEXT)
    chapter = work.chapters.get()
    found = finding(chapter, author, "should of")
    with pytest.raises(ValidationError, match="posted chapter never changes"):
        services.apply_fixes(
            chapter=chapter,
            user=author,
            fixes=[fix_for(found)],
            checked_text_hash=text_hash(chapter.text),
        )
    chapter.refresh_from_db()
    assert bare(chapter.text) == TEXT


def test_a_draft_chapter_of_a_posted_work_can_be_fixed(author):
    work = make_work(author, post=True)
    chapter = add_chapter(work=work, editor=author, content=ChapterContent(text=TEXT), post=False)
    services.apply_fixes(
        chapter=chapter,
        user=author,
        fixes=[fix_for(finding(chapter, author, "should of"))],
        checked_text_hash=text_hash(chapter.text),
    )
    chapter.refresh_from_db()
    assert "should have known" in chapter.text


def test_a_replacement_is_text_never_markup(author):
    work = make_work(author, post=False, text=TEXT)
    chapter = work.chapters.get()
    found = finding(chapter, author, "should of")
    services.apply_fixes(
        chapter=chapter,
        user=author,
        fixes=[fix_for(found, "<b>should</b> & have")],
        checked_text_hash=text_hash(chapter.text),
    )
    chapter.refresh_from_db()
    assert "She &lt;b&gt;should&lt;/b&gt; &amp; have known." in chapter.text


def test_a_fix_across_formatting_is_refused(author):
    text = "<p>She <em>should</em> of known.</p>"
    work = make_work(author, post=False, text=text)
    chapter = work.chapters.get()
    start = chapter.text.index("should")
    end = chapter.text.index(" of") + 3
    with pytest.raises(ValidationError, match="formatting"):
        services.apply_fixes(
            chapter=chapter,
            user=author,
            fixes=[Fix(start, end, chapter.text[start:end], "should have")],
            checked_text_hash=text_hash(chapter.text),
        )
    chapter.refresh_from_db()
    assert bare(chapter.text) == text


def test_fix_all_of_a_kind_fixes_every_same_finding(author):
    # Twice: an unknown word used again and again reads as a name, not a typo.
    text = "<p>She recieved it.</p><p>They all recieved it.</p>"
    work = make_work(author, post=False, text=text)
    chapter = work.chapters.get()
    found = finding(chapter, author, "recieved")
    assert "received" in found.suggestions
    fixed = services.fix_all_of_kind(
        chapter=chapter,
        user=author,
        rule=found.rule,
        text="recieved",
        replacement="received",
        checked_text_hash=text_hash(chapter.text),
    )
    chapter.refresh_from_db()
    assert fixed == 2
    assert chapter.text.count("received") == 2 and "recieved" not in chapter.text


def test_fix_all_on_a_changed_chapter_changes_nothing(author):
    text = "<p>She recieved it. He recieved it too.</p>"
    work = make_work(author, post=False, text=text)
    chapter = work.chapters.get()
    found = finding(chapter, author, "recieved")
    with pytest.raises(StaleCheck):
        services.fix_all_of_kind(
            chapter=chapter,
            user=author,
            rule=found.rule,
            text="recieved",
            replacement="received",
            checked_text_hash=text_hash("<p>Something else.</p>"),
        )
    chapter.refresh_from_db()
    assert bare(chapter.text) == text


# --- Plain-text and Markdown chapters keep their format -------------------------------------


def written_in(author, text_format: str, source: str):
    chapter = make_work(author, post=False).chapters.get()
    return edit_chapter(
        chapter=chapter,
        editor=author,
        content=ChapterContent(text=source, text_format=text_format),
    )


def nth_finding(chapter, user, text, n):
    result = services.check_chapter(chapter=chapter, user=user)
    return [f for f in result.findings if f.text == text][n]


def test_a_fix_on_a_markdown_chapter_changes_the_same_place_in_its_source(author):
    source = (
        "She *knew* it. She should of known.\n\n"
        "> He should of run, and **fast**.\n\n"
        "They should of stayed & talked."
    )
    chapter = written_in(author, "markdown", source)
    second = nth_finding(chapter, author, "should of", 1)
    services.apply_fixes(
        chapter=chapter,
        user=author,
        fixes=[fix_for(second, "should have")],
        checked_text_hash=text_hash(chapter.text),
    )
    chapter.refresh_from_db()
    assert chapter.text_format == "markdown"
    assert chapter.text_source == source.replace("He should of", "He should have")
    assert "<blockquote>" in chapter.text and "He should have run" in chapter.text
    assert "She should of known" in chapter.text and "They should of stayed" in chapter.text


def test_fix_all_on_a_plain_text_chapter_fixes_its_source(author):
    source = "She recieved it.\n\nThey all recieved it & smiled.\n\n* * *\n\nHe recieved none."
    chapter = written_in(author, "plain", source)
    found = finding(chapter, author, "recieved")
    fixed = services.fix_all_of_kind(
        chapter=chapter,
        user=author,
        rule=found.rule,
        text="recieved",
        replacement="received",
        checked_text_hash=text_hash(chapter.text),
    )
    chapter.refresh_from_db()
    assert fixed == 3
    assert chapter.text_format == "plain"
    assert chapter.text_source == source.replace("recieved", "received")
    assert "<hr" in chapter.text


def test_an_escaped_character_is_matched_in_a_markdown_source(author):
    source = "Cats &amp; dogs should of known. Cats & dogs should of run."
    chapter = written_in(author, "markdown", source)
    start = chapter.text.rindex("Cats &amp; dogs")
    fix = Fix(start, start + len("Cats &amp; dogs"), "Cats &amp; dogs", "Mice & rats")
    services.apply_fixes(
        chapter=chapter, user=author, fixes=[fix], checked_text_hash=text_hash(chapter.text)
    )
    chapter.refresh_from_db()
    assert chapter.text_source == "Cats &amp; dogs should of known. Mice \\& rats should of run."
    assert "Mice &amp; rats should of run." in chapter.text


def test_a_replacement_never_becomes_markdown_markup(author):
    chapter = written_in(author, "markdown", "She should of known.")
    found = finding(chapter, author, "should of")
    services.apply_fixes(
        chapter=chapter,
        user=author,
        fixes=[fix_for(found, "*should* have")],
        checked_text_hash=text_hash(chapter.text),
    )
    chapter.refresh_from_db()
    assert chapter.text_source == "She \\*should\\* have known."
    assert "She *should* have known." in chapter.text and "<em>" not in chapter.text


def test_a_fix_that_cannot_be_found_in_the_source_sends_the_author_to_the_editor(author):
    # The image's alt text is in the source but not in the chapter's visible text, so the
    # k-th "should of" of the text is not the k-th of the source.
    source = "![She should of known](https://example.org/a.png)\n\nShe should of known."
    chapter = written_in(author, "markdown", source)
    found = finding(chapter, author, "should of")
    with pytest.raises(ValidationError, match="change it in the editor") as refused:
        services.apply_fixes(
            chapter=chapter,
            user=author,
            fixes=[fix_for(found, "should have")],
            checked_text_hash=text_hash(chapter.text),
        )
    assert "Markdown" in refused.value.messages[0]
    chapter.refresh_from_db()
    assert chapter.text_source == source


def test_an_html_chapter_is_fixed_as_html(author):
    chapter = make_work(author, post=False, text=TEXT).chapters.get()
    services.apply_fixes(
        chapter=chapter,
        user=author,
        fixes=[fix_for(finding(chapter, author, "should of"))],
        checked_text_hash=text_hash(chapter.text),
    )
    chapter.refresh_from_db()
    assert chapter.text_format == "html" and chapter.text_source == ""
    assert "She should have known." in chapter.text
