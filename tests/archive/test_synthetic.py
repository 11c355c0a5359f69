"""The synthetic archive (manage.py generate_archive) is what the services would have written:
recomputing filter tags or search documents changes nothing, stored HTML is already clean, and
the shapes are AO3's."""

import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from ficshelf.archive.synthetic import BROAD_TAG, PHRASE, generate
from ficshelf.search.fulltext import matching_works
from ficshelf.search.indexing import _document
from ficshelf.search.models import WorkSearchDocument
from ficshelf.tags.models import Tag, TagKind
from ficshelf.userstuff.paragraphs import clean_numbered_html
from ficshelf.userstuff.sanitizer import clean_html
from ficshelf.works.filtertags import refresh_filter_tags
from ficshelf.works.models import Chapter, FilterTagging, Tagging, Work

WORKS = 400


@pytest.fixture
def archive(transactional_db):
    return generate(works=WORKS, seed=7)


def test_recomputing_filter_tags_changes_nothing(archive):
    ids = list(Work.objects.values_list("pk", flat=True))
    assert len(ids) == WORKS
    assert FilterTagging.objects.count() >= Tagging.objects.count() > 15 * WORKS
    assert refresh_filter_tags(ids) == set()


def test_search_documents_are_the_indexers_own(archive):
    documents = {d.work_id: d for d in WorkSearchDocument.objects.all()}
    posted = list(Work.objects.filter(posted=True))
    assert set(documents) == {work.pk for work in posted}
    for work in posted:
        stored = documents[work.pk]
        expected = _document(work)
        assert {name: getattr(stored, name) for name in expected} == expected, work.pk


def test_stored_html_is_what_the_sanitizer_keeps(archive):
    for text in Chapter.objects.values_list("text", flat=True)[:500]:
        assert clean_numbered_html(text) == text
    for summary in Work.objects.values_list("summary", flat=True)[:200]:
        assert clean_html(summary) == summary


def test_word_counts_and_posting_agree_with_the_chapters(archive):
    for work in Work.objects.prefetch_related("chapters"):
        chapters = list(work.chapters.all())
        assert work.word_count == sum(c.word_count for c in chapters)
        assert [c.position for c in chapters] == list(range(1, len(chapters) + 1))
        assert all(c.posted == work.posted for c in chapters)
        if work.posted:
            assert work.revised_at >= work.published_at


def test_the_phrase_is_found_by_full_text_search(archive):
    found = set(Work.objects.filter(pk__in=matching_works([PHRASE])).values_list("pk", flat=True))
    # FTS reads words, not punctuation: the phrase may also span two sentences.
    having = {
        d.work_id
        for d in WorkSearchDocument.objects.all()
        if any(
            PHRASE in " ".join(re.findall(r"\w+", text.lower())) for text in (d.body, d.chapters)
        )
    }
    assert found == having
    assert 0 < len(found) < WORKS // 5


def test_the_shapes_are_ao3s(transactional_db):
    works = 3_000
    generate(works=works, seed=11)
    ratings = Counter(Work.objects.values_list("rating", flat=True))
    for rating, share in [("general", 28), ("teen", 30), ("mature", 15), ("explicit", 16)]:
        assert abs(ratings[rating] * 100 / works - share) < 3.5, rating
    assert abs(Work.objects.filter(is_complete=True).count() / works - 0.84) < 0.03
    assert abs(Work.objects.filter(language="en").count() / works - 0.90) < 0.03
    assert 17 <= Tagging.objects.count() / works <= 23
    broad = Tag.objects.get(name=BROAD_TAG)
    assert abs(FilterTagging.objects.filter(tag=broad).count() / works - 0.16) < 0.03
    fandom_sizes = Counter(
        FilterTagging.objects.filter(tag__kind=TagKind.FANDOM)
        .exclude(tag__name__endswith="All Media Types")
        .values_list("tag_id", flat=True)
    )
    assert 0.02 < max(fandom_sizes.values()) / works < 0.08
    assert Tag.objects.filter(merger__isnull=False).exists()


def test_the_same_seed_twice_is_refused(transactional_db):
    call_command("generate_archive", works=5, seed=2)
    with pytest.raises(CommandError, match="already here"):
        call_command("generate_archive", works=5, seed=2)
