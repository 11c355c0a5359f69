"""Real words in the wrong place that a grammatical frame gives away (engine/rules/real_words.py),
on sentences written for these tests (not the seed's): each rule finds its class of slip and
stays silent on the same words rightly used."""

import pytest

from ficshelf.betareader.engine import apply_fix, check_text
from ficshelf.betareader.engine.findings import Category, Severity

RULE = "fiction:real-word"


def real_word_findings(text, **options):
    return [f for f in check_text(text, **options).findings if f.rule == RULE]


# Each: a sentence, the real word written by mistake, the fix.
SLIPS = {
    "a set phrase but for one word": [
        ("All we wanted after the wedding was some peace and quite.", "quite", "quiet"),
        ("She fell head over heals for the new doctor.", "heals", "heels"),
        ("He arrived in the neck of time to catch the last train.", "neck", "nick"),
        ("Sooner or latter, somebody will notice the missing money.", "latter", "later"),
        ("They cleared the whole table in one fall swoop.", "fall", "fell"),
        ("We waited with baited breath for the verdict.", "baited", "bated"),
        ("I am sick and tried of waiting for you.", "tried", "tired"),
        ("Once it was all said and dome, we drove home.", "dome", "done"),
    ],
    "a degree adverb before a bare verb before a noun": [
        ("They moved to a densely populate region last year.", "populate", "populated"),
        ("The newly elect mayor gave a short speech.", "elect", "elected"),
        ("He lives in a heavily guard compound outside town.", "guard", "guarded"),
        ("It was a well design plan from the start.", "design", "designed"),
    ],
    "was no <quality> and a clause of result": [
        ("She was no tired she could barely stand.", "no", "so"),
        ("He was no angry that he shook.", "no", "so"),
    ],
    "a verb in -ing a letter from one that takes to": [
        ("He kept tying desperately to reach the rope.", "tying", "trying"),
        ("She was tying hard to open the jar.", "tying", "trying"),
        ("I am hopping to see you at the party.", "hopping", "hoping"),
    ],
    "it for if after a verb of knowing": [
        ("I asked it the train was running late.", "it", "if"),
        ("She wondered it anyone had seen him leave.", "it", "if"),
        ("He could not tell it the man was lying.", "it", "if"),
    ],
}

# The same frames and words, rightly used.
RIGHT = {
    "a set phrase but for one word": [
        "She wanted peace and quite a lot of sleep.",  # the phrase does not end there
        "They made peace and quit the field.",
        "He said and did nothing at all.",
        "He was sick and tired of it.",
        "The nick of time came and went.",
        "She kept the secret safe and sacred as a vow.",  # only the outline is alike
        "He stood in the first palace he saw.",
        "There were more then enough chances for the scum of the earth to walk free.",
    ],
    "a degree adverb before a bare verb before a noun": [
        "It was a perfectly clean room.",  # the word is an adjective too
        "She walked into a completely empty hall.",
        "He opened a highly secure door.",
        "The well water pump broke in the night.",  # "well" the noun
        "A well house stood behind the barn.",
        "They lived in densely populated areas.",
    ],
    "was no <quality> and a clause of result": [
        "He was no fool he knew it.",  # a noun after "no"
        "It was no wonder she left.",
        "There was no doubt they would win.",
        "He was no longer sure.",
        "He was so tired he fell asleep.",
    ],
    "a verb in -ing a letter from one that takes to": [
        "I'm writing to tell you the news.",  # "writing to" is common English
        "She was waiting to see him.",
        "He was tying the boat to the dock.",
        "She was hopping to the door on one foot.",
        "She was trying desperately to reach him.",
    ],
    "it for if after a verb of knowing": [
        "She knew it the moment she saw him.",
        "I had seen it a hundred times.",
        "He knew it was late.",
        "He wanted to know it all.",
    ],
}


@pytest.mark.parametrize(
    ("sentence", "word", "fix"),
    [slip for slips in SLIPS.values() for slip in slips],
)
def test_a_real_word_its_frame_rejects_is_flagged_with_the_meant_word(sentence, word, fix):
    found = real_word_findings(sentence)
    assert [f.text for f in found] == [word]
    finding = found[0]
    assert finding.category == Category.REAL_WORD_TYPO
    assert finding.severity == Severity.SUGGESTION  # a frame is evidence, not proof
    assert finding.suggestions == (fix,)
    fixed = apply_fix(
        sentence,
        start=finding.start,
        end=finding.end,
        expected=finding.text,
        replacement=finding.suggestions[0],
    )
    assert real_word_findings(fixed) == []


@pytest.mark.parametrize("sentence", [right for rights in RIGHT.values() for right in rights])
def test_the_same_frames_rightly_used_are_not_flagged(sentence):
    assert real_word_findings(sentence) == []


def test_every_rule_has_two_slips_and_near_misses():
    assert SLIPS.keys() == RIGHT.keys()
    assert all(len(SLIPS[rule]) >= 2 and len(RIGHT[rule]) >= 2 for rule in SLIPS)


def test_a_capitalised_word_in_the_slip_s_place_is_a_name_and_left_alone():
    assert real_word_findings("They named the boat Peace and Quite.") == []
    assert real_word_findings("They named the boat Peace and quite.") != []


def test_the_rules_run_without_the_context_layer():
    found = real_word_findings("We waited with baited breath for the verdict.", context=False)
    assert [f.suggestions for f in found] == [("bated",)]


def test_the_rules_and_the_context_layer_each_flag_their_own_slip_once():
    text = "I wonder it he knows. She wondered it anyone had seen him leave."
    found = [f for f in check_text(text).findings if f.text == "it"]
    assert [(f.rule, f.suggestions) for f in found] == [
        ("fiction:context", ("if",)),
        (RULE, ("if",)),
    ]
