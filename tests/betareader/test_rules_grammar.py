"""The grammar rules for learners' and writers' slips: noun number, verb forms after modals
and plural subjects, the linking-adverb comma, a/an, and the spelling layer's corrections.
Each has a case it finds and a case of a story's voice it leaves alone."""

import pytest

from ficshelf.betareader.engine.checker import check_text, correct_text
from ficshelf.betareader.engine.document import Document
from ficshelf.betareader.engine.findings import Severity
from ficshelf.betareader.engine.rules import mechanics, number, verbs
from ficshelf.betareader.engine.spelling import one_edit_correction


def fixes(findings):
    return [(f.text, f.suggestions[0]) for f in findings]


# --- Noun number -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Many student are waiting outside.", [("student", "students")]),
        ("Each students has a locker.", [("students", "student")]),
        ("She met several person in the hall.", [("person", "people")]),
        ("These information are useful.", [("These", "This")]),
        ("He ate less candies and cookies.", [("less", "fewer")]),
    ],
)
def test_noun_number_after_determiners(text, expected):
    assert fixes(number.find(Document(text))) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Many believe that the war is over.",  # "many" as a pronoun, then a verb
        "These help to keep the door shut.",
        "Two mile down the road, the truck stopped.",  # no phrase end after "mile"
        "No one knows, and every one of them lies.",
        "Both male and female guards stood there.",
        "The news was bad; a series of storms had come.",
    ],
)
def test_noun_number_leaves_the_right_ones_alone(text):
    assert number.find(Document(text)) == []


def test_uncountable_nouns_have_no_plural_but_a_verb_is_fine():
    assert fixes(number.find(Document("He gave me advices and informations."))) == [
        ("advices", "advice"),
        ("informations", "information"),
    ]
    assert number.find(Document("She researches old maps for a living.")) == []


# --- Verb forms ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It may indicates a problem.", [("indicates", "indicate")]),
        ("It could caused a stir.", [("caused", "cause")]),
        ("He might ended up alone.", [("ended", "end")]),
        ("It will just adding to the mess.", [("adding", "add")]),
        ("She did went home.", [("went", "go")]),
        ("It could possibly causes trouble.", [("causes", "cause")]),
    ],
)
def test_a_modal_takes_the_plain_verb(text, expected):
    assert fixes(verbs.modal_forms(Document(text))) == expected


@pytest.mark.parametrize(
    "text",
    [
        "He could feel the cold, and she would know why.",
        "The can opener was gone; his will was read in May.",
        "You must be joking. We can do this.",
        "He could indeed, and she would succeed.",
    ],
)
def test_modal_forms_leave_right_verbs_and_nouns_alone(text):
    assert verbs.modal_forms(Document(text)) == []


def test_a_plural_subject_takes_no_s_in_narration_only():
    assert fixes(verbs.plural_subject_verbs(Document("They wants the money back."))) == [
        ("wants", "want")
    ]
    assert verbs.plural_subject_verbs(Document('"They wants it," he said. They eyes us.')) == []


# --- Mechanics -------------------------------------------------------------------------------


def test_a_linking_adverb_opening_a_sentence_takes_a_comma():
    found = mechanics.linking_commas(Document("It rained. However we went out. Therefore I won."))
    assert fixes(found) == [("However", "However,"), ("Therefore", "Therefore,")]


@pytest.mark.parametrize(
    "text",
    [
        "However hard he tried, the door held.",
        "Thus began the longest night of her life.",
        "And then she left. But he stayed. So it goes. Finally he slept.",
        "However, she smiled.",
    ],
)
def test_fiction_openers_and_adverbs_of_degree_want_no_comma(text):
    assert mechanics.linking_commas(Document(text)) == []


def test_a_or_an_by_the_sound_of_the_next_word():
    found = mechanics.articles(Document("It was a apple, an house, an user and a hour."))
    assert fixes(found) == [("a", "an"), ("a", "an"), ("an", "a"), ("an", "a")]


@pytest.mark.parametrize(
    "text",
    [
        "His parents have gene A and gene B.",  # letters, not articles
        "An FBI agent, a NASA badge, an honest man, a unique find, a one-off, an hour.",
        "It was plan a and plan b, then a-hunting we went.",
    ],
)
def test_a_an_leaves_letters_initialisms_and_silent_h_alone(text):
    assert mechanics.articles(Document(text)) == []


def test_the_comma_before_but_is_a_style_note_only():
    text = "There was a fence to the other side but it was too high to climb."
    assert [f.severity for f in mechanics.but_commas(Document(text))] == [Severity.STYLE]
    assert check_text(text).findings == []


# --- Spelling --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "word"),
    [("creats", "create"), ("stong", "strong"), ("cousine", "cousin"), ("Belive", "Believe")],
)
def test_the_likeliest_one_typo_correction(typo, word):
    assert one_edit_correction(typo) == word


def test_a_lower_case_proper_noun_is_capitalized():
    assert correct_text("She posted it on facebook from singapore.") == (
        "She posted it on Facebook from Singapore."
    )


def test_an_unknown_name_inside_a_sentence_gets_no_guessed_fix():
    [finding] = [f for f in check_text("She waved at Slughorn and left.").findings]
    assert finding.text == "Slughorn" and finding.suggestions == ()


def test_words_run_together_are_split():
    assert correct_text("She went withthe dog.") == "She went with the dog."


def test_a_short_english_text_with_typos_is_still_checked():
    result = check_text("This covenience can be percieved as almost in realtime.")
    assert result.skipped_reason is None
    assert {f.text for f in result.findings} >= {"covenience", "percieved"}


def test_have_takes_the_participle_before_an_object():
    found = verbs.have_participles(Document("It has allow us in. I have take the car."))
    assert fixes(found) == [("allow", "allowed"), ("take", "taken")]
    assert verbs.have_participles(Document("We have access to it and have control of it.")) == []


def test_everyone_takes_a_singular_verb_but_a_plea_is_left_alone():
    assert fixes(verbs.everyone_verbs(Document("Everyone know that he lied."))) == [
        ("know", "knows")
    ]
    text = 'Somebody help me, she thought. Everybody get down! "Nobody move."'
    assert verbs.everyone_verbs(Document(text)) == []


def test_people_who_take_a_plural_verb():
    assert fixes(verbs.plural_subject_verbs(Document("People who knows him left."))) == [
        ("knows", "know")
    ]
    assert verbs.plural_subject_verbs(Document("The man who knows him left.")) == []


def test_regularized_plurals_and_set_phrases():
    found = number.find(Document("Their lifes changed. They love each other and a lots of cake."))
    assert fixes(found) == [("lifes", "lives"), ("lots", "lot")]


def test_however_meaning_in_whatever_way_takes_no_comma():
    assert mechanics.linking_commas(Document("However you looked at it, she was screwed.")) == []


def test_there_is_news_is_singular():
    assert [f for f in check_text("There is news about the ship.").findings] == []


def test_a_lower_case_name_in_the_works_vocabulary_is_left_alone():
    assert check_text("She met him on facebook.", vocabulary=["facebook"]).findings == []


def test_a_short_ing_word_after_a_modal_does_not_crash_the_checker():
    """A stem of one letter before -ing ("ping", "ding") has no last letter doubled."""
    assert check_text("You could ping me, or they would ding the bell.").word_count == 10
