"""The benchmark's fixture passages: clean ones raise no error; every injected error is found."""

import json
import re
from pathlib import Path

import pytest

from ficshelf.betareader.engine.checker import check_text
from ficshelf.betareader.engine.findings import Category, Severity

FIXTURES = Path(__file__).resolve().parents[2] / "benchmarks" / "fixtures" / "passages.json"
CASES = json.loads(FIXTURES.read_text(encoding="utf-8"))["cases"]
COVERED = {
    Category.CONFUSABLE, Category.MODAL_OF, Category.USED_TO, Category.PAST_FORM,
    Category.REAL_WORD_TYPO, Category.COMPOUND, Category.AGREEMENT,
    Category.DIALOGUE_PUNCTUATION, Category.UNPAIRED_QUOTE, Category.DOUBLED_WORD,
    Category.MISSING_WORD,
}  # fmt: skip


def ids(cases):
    return [case["name"] for case in cases]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_a_clean_passage_raises_no_error(case):
    result = check_text(case["clean"], vocabulary=case["vocabulary"])
    errors = [(f.text, f.rule) for f in result.findings if f.severity == Severity.ERROR]
    assert errors == []


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_every_injected_error_is_found(case):
    text = case["injected"]
    result = check_text(text, vocabulary=case["vocabulary"])
    for expected in case["expected"]:
        match = re.search(rf"(?<!\w){re.escape(expected['text'])}(?!\w)", text)
        assert match, expected
        hits = [f for f in result.findings if f.start < match.end() and match.start() < f.end]
        assert any(
            f.category == expected["category"]
            and (expected["fix"] is None or any(expected["fix"] in s for s in f.suggestions))
            for f in hits
        ), (expected, [(f.text, f.category, f.suggestions) for f in hits])


def test_the_fixtures_cover_every_error_type_of_the_issue():
    categories = {e["category"] for case in CASES for e in case["expected"]}
    assert COVERED <= categories
    assert len(CASES) >= 12
