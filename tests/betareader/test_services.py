"""Checking a chapter for its creators: names they use, words they add, findings they ignore."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ficshelf.betareader import services
from ficshelf.betareader.engine.findings import Category
from ficshelf.betareader.models import DictionaryWord
from ficshelf.works.services import ChapterContent, add_chapter
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db

TEXT = "<p>We were suppose to meet Zorblaxian at noon. She should of known.</p>"


def flagged(result) -> list[str]:
    return [finding.text for finding in result.findings]


def test_names_in_tags_are_words_whole_and_by_their_parts():
    words = services.names_in(["Jean-Luc Picard/Q", "Law & Order: Special Victims Unit"])
    assert {"Jean-Luc", "Jean", "Luc", "Picard", "Q", "Law", "Order", "Victims"} <= words
    assert "&" not in words and ":" not in words


def test_the_vocabulary_is_the_works_names_and_the_authors_dictionary(author):
    work = make_work(
        author,
        fandoms=["Star Trek: The Next Generation"],
        characters=["Xanthelia Vorn"],
        relationships=["Xanthelia Vorn/Beverly Crusher"],
        freeforms=["Slowburnish"],
    )
    DictionaryWord.objects.create(user=author, word="Quenya")
    words = services.vocabulary_for(work, author)
    assert {"Xanthelia", "Vorn", "Beverly", "Crusher", "Trek", "Quenya"} <= words
    assert "Slowburnish" not in words  # an additional tag is not a name
    assert "Quenya" not in services.vocabulary_for(work, make_user())


def test_a_chapter_is_checked_with_its_findings_in_order(author):
    chapter = make_work(author, post=False, text=TEXT).chapters.get()
    result = services.check_chapter(chapter=chapter, user=author)
    texts = flagged(result)
    assert "suppose to" in texts and "should of" in texts and "Zorblaxian" in texts
    assert texts.index("suppose to") < texts.index("should of")
    for finding in result.findings:
        assert chapter.text[finding.start : finding.end] == finding.text


def test_a_characters_name_is_not_a_spelling_mistake(author):
    work = make_work(author, post=False, text=TEXT, characters=["Zorblaxian the Bold"])
    result = services.check_chapter(chapter=work.chapters.get(), user=author)
    assert "Zorblaxian" not in flagged(result)
    assert "suppose to" in flagged(result)


def test_only_creators_may_check_a_chapter(author, reader):
    work = make_work(author, text=TEXT)
    with pytest.raises(PermissionDenied):
        services.check_chapter(chapter=work.chapters.get(), user=reader)


def test_a_word_added_to_the_dictionary_is_no_longer_flagged(author):
    work = make_work(author, post=False, text=TEXT)
    chapter = work.chapters.get()
    spelling = [
        f
        for f in services.check_chapter(chapter=chapter, user=author).findings
        if f.text == "Zorblaxian"
    ]
    assert spelling and spelling[0].category == Category.SPELLING
    services.add_to_dictionary(user=author, word="zorblaxian")
    services.add_to_dictionary(user=author, word="Zorblaxian")
    assert DictionaryWord.objects.filter(user=author).count() == 1
    assert "Zorblaxian" not in flagged(services.check_chapter(chapter=chapter, user=author))


def test_the_dictionary_takes_one_word_at_a_time(author):
    with pytest.raises(ValidationError):
        services.add_to_dictionary(user=author, word="two words")


def test_ignoring_a_finding_here_leaves_it_in_other_chapters(author):
    work = make_work(author, post=False, text=TEXT)
    first = work.chapters.get()
    second = add_chapter(work=work, editor=author, content=ChapterContent(text=TEXT), post=False)
    services.ignore_finding(chapter=first, user=author, rule=_rule(first, author), text="should of")
    assert "should of" not in flagged(services.check_chapter(chapter=first, user=author))
    assert "should of" in flagged(services.check_chapter(chapter=second, user=author))


def test_ignoring_a_finding_everywhere_leaves_it_out_of_every_chapter(author):
    work = make_work(author, post=False, text=TEXT)
    first = work.chapters.get()
    second = add_chapter(work=work, editor=author, content=ChapterContent(text=TEXT), post=False)
    rule = _rule(first, author)
    for _ in range(2):
        services.ignore_finding(
            chapter=first, user=author, rule=rule, text="should of", everywhere=True
        )
    assert "should of" not in flagged(services.check_chapter(chapter=first, user=author))
    assert "should of" not in flagged(services.check_chapter(chapter=second, user=author))
    assert work.ignored_findings.count() == 1


def test_stop_ignoring_brings_a_finding_back(author):
    work = make_work(author, post=False, text=TEXT)
    chapter = work.chapters.get()
    ignored = services.ignore_finding(
        chapter=chapter, user=author, rule=_rule(chapter, author), text="should of"
    )
    services.stop_ignoring(chapter=chapter, user=author, ignored_id=ignored.pk)
    assert "should of" in flagged(services.check_chapter(chapter=chapter, user=author))


def test_only_creators_may_ignore_a_finding(author, reader):
    work = make_work(author, post=False, text=TEXT)
    with pytest.raises(PermissionDenied):
        services.ignore_finding(
            chapter=work.chapters.get(), user=reader, rule="harper:Usage", text="suppose to"
        )


def test_typed_text_is_checked_with_the_names_typed_into_the_form(author):
    html, result = services.check_typed_text(
        user=author,
        text="We were suppose to meet Zorblaxian.",
        text_format="plain",
        tag_names=["Zorblaxian"],
    )
    assert html == "<p>We were suppose to meet Zorblaxian.</p>"
    assert flagged(result) == ["suppose to"]


def _rule(chapter, user) -> str:
    result = services.check_chapter(chapter=chapter, user=user)
    return next(f.rule for f in result.findings if f.text == "should of")
