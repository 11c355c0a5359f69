"""Accepted fixes change a draft's text, only the text that was checked, never a posted one."""

import pytest
from django.core.exceptions import ValidationError

from ficshelf.betareader import services
from ficshelf.betareader.services import Fix, StaleCheck, text_hash
from ficshelf.works.services import ChapterContent, add_chapter, edit_chapter
from tests.factories import make_work

pytestmark = pytest.mark.django_db

TEXT = "<p>We were suppose to meet her at noon. She should of known.</p>"


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
    assert chapter.text == (
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
    assert chapter.text == "<p>We were supposed to meet her at noon. She should have known.</p>"


def test_a_fix_on_a_chapter_that_changed_since_it_was_checked_changes_nothing(author):
    work = make_work(author, post=False, text=TEXT)
    chapter = work.chapters.get()
    found = finding(chapter, author, "should of")
    checked = text_hash(chapter.text)
    # Meanwhile, in another tab, the author adds a sentence at the start.
    edit_chapter(
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
            chapter=chapter, user=author, fixes=[wrong], checked_text_hash=text_hash(TEXT)
        )
    chapter.refresh_from_db()
    assert chapter.text == TEXT


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
    assert chapter.text == TEXT


def test_a_draft_chapter_of_a_posted_work_can_be_fixed(author):
    work = make_work(author, post=True)
    chapter = add_chapter(work=work, editor=author, content=ChapterContent(text=TEXT), post=False)
    services.apply_fixes(
        chapter=chapter,
        user=author,
        fixes=[fix_for(finding(chapter, author, "should of"))],
        checked_text_hash=text_hash(TEXT),
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
        checked_text_hash=text_hash(TEXT),
    )
    chapter.refresh_from_db()
    assert "She &lt;b&gt;should&lt;/b&gt; &amp; have known." in chapter.text


def test_a_fix_across_formatting_is_refused(author):
    text = "<p>She <em>should</em> of known.</p>"
    work = make_work(author, post=False, text=text)
    chapter = work.chapters.get()
    start = text.index("should")
    end = text.index(" of") + 3
    with pytest.raises(ValidationError, match="formatting"):
        services.apply_fixes(
            chapter=chapter,
            user=author,
            fixes=[Fix(start, end, text[start:end], "should have")],
            checked_text_hash=text_hash(text),
        )
    chapter.refresh_from_db()
    assert chapter.text == text


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
        checked_text_hash=text_hash(text),
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
    assert chapter.text == text
