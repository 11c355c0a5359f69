"""Rules that catch a class of errors, not one typo of one story: each is tried here on sentences
written for the test, none from the seed story. And two fixes that used to break good English."""

import pytest

from ficshelf.betareader.engine import check_text, correct_text, lexicon
from ficshelf.betareader.engine.document import Document
from ficshelf.betareader.engine.rules import confusables, usage


def fixes(text: str) -> dict[str, tuple[str, str]]:
    """Flagged text to (rule, first suggestion)."""
    return {
        f.text: (f.rule, f.suggestions[0] if f.suggestions else None)
        for f in check_text(text).findings
    }


# --- A real word where a verb of looking or moving wants a place word -------------------------


@pytest.mark.parametrize(
    ("sentence", "slip", "right"),
    [
        ("She peered bellow the surface of the lake.", "bellow", "below"),
        ("From the tower they glanced bellow at the crowd.", "bellow", "below"),
        ("Far bellow, the river ran on.", "bellow", "below"),
        ("The hawk dropped bellow the clouds.", "bellow", "below"),
        ("He walked threw the door without a word.", "threw", "through"),
        ("The cat crawled threw a gap in the fence.", "threw", "through"),
        ("They rushed thorough the hall to the stairs.", "thorough", "through"),
        ("The lamp hung above and bellow the stairs was dark.", "bellow", "below"),
    ],
)
def test_a_slip_for_a_place_word_after_a_verb_of_moving_is_found(sentence, slip, right):
    found = {f.text: f for f in confusables.place_slips(Document(sentence))}
    assert found[slip].suggestions == (right,)
    assert found[slip].rule == "fiction:place-slip"


@pytest.mark.parametrize(
    "sentence",
    [
        "He let out a bellow of rage and charged.",
        "They heard him bellow at the men in the yard.",
        "The bull gave a deep bellow and pawed the ground.",
        "I will bellow if I have to.",
        "She turned and threw the ball to her brother.",
        "He threw the keys on the table.",
        "They ran, threw stones, and fled.",
        "It was a thorough search of the house.",
        "The fall threw him across the room.",
        "He stomps about and bellows at the dogs.",
        "They stamp and bellow.",
    ],
)
def test_the_same_words_in_their_own_places_are_left_alone(sentence):
    assert confusables.place_slips(Document(sentence)) == []


# --- "went the store": a verb of going with no preposition before the place ------------------


@pytest.mark.parametrize(
    ("sentence", "verb"),
    [
        ("After work he went the pharmacy and bought aspirin.", "went"),
        ("The plate fell the tiles, and shattered.", "fell"),
        ("We came the village at dusk.", "came"),
        ("She is going the library again.", "going"),
    ],
)
def test_a_missing_to_is_found_whatever_the_place(sentence, verb):
    assert fixes(sentence)[verb] == ("fiction:missing-to", f"{verb} to")


@pytest.mark.parametrize(
    "sentence",
    [
        "She went the other way.",
        "We went the distance, all twelve rounds.",
        "Then came the dawn.",
        "He came the closest of them all.",
        "They went their own way.",
        "He went the length of the hall.",
        "Come the morning, we leave.",
        "They had to go the long way round.",
        "The sooner you go the better, I think.",
        "So far went his patience, and no further.",
        "But how came the letter to reach you?",
    ],
)
def test_what_these_verbs_take_without_to_is_left_alone(sentence):
    assert [f for f in check_text(sentence).findings if f.rule == "fiction:missing-to"] == []


def test_the_places_are_no_longer_a_list():
    # The rule asks where a noun stands, not which noun it is.
    assert not hasattr(usage, "_PLACES")


# --- Entries for one typo of one story are gone ----------------------------------------------


def test_one_story_entries_are_not_in_the_lexicon():
    pairs = {(word, c.other) for word, cs in lexicon.confusions().items() for c in cs}
    assert not {("tired", "tried"), ("bellow", "below"), ("hostler", "holster")} & pairs
    assert "man slaughter" not in lexicon.compounds()
    assert "payed" not in lexicon.past_forms()


def test_hostler_is_a_word_of_its_own():
    assert check_text("The hostler led the horses into the stable yard.").findings == []


def test_payed_out_is_the_sailors_past_and_payed_elsewhere_is_paid():
    assert check_text("The sailor payed out the rope slowly.").findings == []
    assert fixes("He payed the driver and got out.")["payed"][1] == "paid"


# --- Exceptions stated as classes, tried on new sentences ------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "He first noticed the smell at the door.",
        "She still hopes he will call.",
        "They never answered the letters.",
        "We only wanted to help.",
    ],
)
def test_an_adverb_after_a_pronoun_is_not_taken_for_its_verb(sentence):
    assert [f for f in check_text(sentence).findings if f.rule.endswith("Agreement")] == []


def test_a_question_with_be_and_new_is_not_taken_for_knew():
    assert check_text("Were they new recruits from the academy?").findings == []


# --- Two known wrong fixes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "fixed"),
    [
        ("Everyone have their reasons for it.", "Everyone has their reasons for it."),
        ("Everyone have been told twice.", "Everyone has been told twice."),
        ("Not everyone have the money for it.", "Not everyone has the money for it."),
        ("Everybody do what they can.", "Everybody does what they can."),
        ("Someone go and fetch the doctor now.", "Someone goes and fetch the doctor now."),
    ],
)
def test_everyone_with_an_irregular_verb_is_corrected_to_its_own_third_person(sentence, fixed):
    corrected = correct_text(sentence)
    assert "haves" not in corrected and "dos " not in corrected
    assert corrected.split()[:3] == fixed.split()[:3]


@pytest.mark.parametrize(
    "sentence",
    [
        "They live near to your home, on the hill above the town.",
        "Is there a chemist near to your house, or must we drive?",
        "Keep it close to your chest, and say nothing.",
        "She sent a card to your mother, and one to mine.",
    ],
)
def test_your_after_a_preposition_is_a_possessive_not_youre(sentence):
    assert correct_text(sentence) == sentence
    assert [f for f in check_text(sentence).findings if "you're" in f.suggestions] == []
