"""What the database itself refuses."""

import pytest
from django.db import IntegrityError, transaction

from ficshelf.betareader.models import DictionaryWord, IgnoredFinding
from tests.factories import make_work

pytestmark = pytest.mark.django_db


def test_a_dictionary_holds_a_word_once_whatever_its_case(author):
    DictionaryWord.objects.create(user=author, word="Xanthelia")
    with pytest.raises(IntegrityError), transaction.atomic():
        DictionaryWord.objects.create(user=author, word="xanthelia")


def test_two_authors_may_keep_the_same_word(author, reader):
    DictionaryWord.objects.create(user=author, word="Xanthelia")
    DictionaryWord.objects.create(user=reader, word="Xanthelia")
    assert DictionaryWord.objects.count() == 2


def test_a_finding_is_ignored_once_per_chapter(author):
    work = make_work(author, post=False)
    chapter = work.chapters.get()
    values = {"work": work, "chapter": chapter, "rule": "harper:Spelling", "text": "Zorb"}
    IgnoredFinding.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        IgnoredFinding.objects.create(**values)


def test_a_finding_is_ignored_once_everywhere_in_a_work(author):
    work = make_work(author, post=False)
    values = {"work": work, "chapter": None, "rule": "harper:Spelling", "text": "Zorb"}
    IgnoredFinding.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        IgnoredFinding.objects.create(**values)


def test_what_is_ignored_in_a_chapter_includes_what_is_ignored_in_its_work(author):
    work = make_work(author, post=False, chapters=2)
    first, second = work.chapters.order_by("position")
    here = IgnoredFinding.objects.create(work=work, chapter=first, rule="r", text="a")
    everywhere = IgnoredFinding.objects.create(work=work, chapter=None, rule="r", text="b")
    assert set(IgnoredFinding.objects.for_chapter(work, first)) == {here, everywhere}
    assert set(IgnoredFinding.objects.for_chapter(work, second)) == {everywhere}
    assert everywhere.everywhere and not here.everywhere
