"""The context layer (engine/context.py): real words in the wrong place, found by what the
words around them make likely, on sentences written for these tests (not the seed's)."""

import pytest

from ficshelf.betareader.engine import apply_fix, check_text
from ficshelf.betareader.engine.context import candidates
from ficshelf.betareader.engine.findings import Category, Severity

RULE = "fiction:context"


def context_findings(text, **options):
    return [f for f in check_text(text, **options).findings if f.rule == RULE]


# Each: a sentence with a real word one edit away from the right one, the word, the fix.
SLIPS = [
    # A small word a letter off, as the seed's "known it something" (for "if").
    ("I wonder it he knows the way home.", "it", "if"),
    ("Tell him he of she can drive the car tonight.", "of", "or"),
    # A letter changed, as the seed's "tying" (for "trying").
    ("There were a log of people at the party.", "log", "lot"),
    # The wrong form of the right word, as the seed's "populate" (for "populated").
    ("We must be careful to avoiding getting lost.", "avoiding", "avoid"),
]

# The same words, rightly used.
RIGHT = [
    "I wonder if he knows the way home.",
    "Tell him he or she can drive the car tonight.",
    "There were a lot of people at the party.",
    "We must be careful to avoid getting lost.",
    "He threw a log on the fire, and it caught at once.",
    "She was avoiding him, and he knew it.",
    "Of all the things he said, it was the last that stung.",
]


@pytest.mark.parametrize(("sentence", "word", "fix"), SLIPS)
def test_a_real_word_that_its_neighbours_reject_is_flagged_with_the_likelier_word(
    sentence, word, fix
):
    found = context_findings(sentence)
    assert [f.text for f in found] == [word]
    finding = found[0]
    assert finding.category == Category.REAL_WORD_TYPO
    assert finding.suggestions == (fix,)
    fixed = apply_fix(
        sentence,
        start=finding.start,
        end=finding.end,
        expected=finding.text,
        replacement=finding.suggestions[0],
    )
    assert context_findings(fixed) == []


@pytest.mark.parametrize("sentence", RIGHT)
def test_the_same_words_rightly_used_are_not_flagged(sentence):
    assert context_findings(sentence) == []


def test_a_capitalised_slip_keeps_its_capital_in_the_fix():
    found = context_findings("Fine. I wonder it he knows the way home.")
    assert [f.suggestions for f in found] == [("if",)]


def test_the_layer_can_be_left_out():
    assert context_findings(SLIPS[0][0], context=False) == []


def test_the_work_s_own_terms_are_never_replaced():
    assert context_findings("There were a log of people.", vocabulary=["Log"]) == []


def test_weak_evidence_is_never_an_error():
    """Only a very large likelihood ratio with both neighbours in the model is an error; the
    slips above are suggestions."""
    for sentence, _, _ in SLIPS:
        assert {f.severity for f in context_findings(sentence)} <= {Severity.SUGGESTION}


def test_candidates_are_one_edit_away_or_another_form_of_the_word():
    assert "populated" in candidates("populate")
    assert "trying" in candidates("tying")
    assert "if" in candidates("it")
    assert "so" in candidates("no")
    assert "populate" not in candidates("populate")


@pytest.mark.parametrize(
    "text",
    [
        "I wonder it he knows 😀 the way home. 👍🏽 مرحبا بالعالم שלום עולם",
        "\u202eI wonder it he knows\u202c the way.",
        "مرحبا بالعالم " * 200,
        "she said 😀 it 😀 he",
    ],
)
def test_emoji_and_right_to_left_text_do_not_break_the_layer(text):
    result = check_text(text)
    for finding in result.findings:
        assert text[finding.start : finding.end] == finding.text


def test_a_very_long_chapter_is_checked_and_its_findings_stay_few():
    paragraph = (
        "She had walked a long way that morning, and the wind was cold against her face. "
        "There were a lot of people at the market, more than she had expected. "
        "I wonder it he knows the way home.\n\n"
    )
    text = paragraph * 800  # about 150,000 characters
    found = context_findings(text)
    assert len(found) == 800
    assert all(text[f.start : f.end] == "it" for f in found)
