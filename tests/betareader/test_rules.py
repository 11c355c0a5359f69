"""The fiction rules one by one: quotes and speech tags, the bigram layer, the lexicons and
Harper's fiction configuration."""

import pytest

from ficshelf.betareader.engine import harper_lints, lexicon
from ficshelf.betareader.engine.document import Document, match_case
from ficshelf.betareader.engine.findings import Category, Severity
from ficshelf.betareader.engine.rules import confusables, dialogue, style, usage
from ficshelf.betareader.engine.spelling import Lexicon, vocabulary_words


def texts(findings):
    return [f.text for f in findings]


# --- The document --------------------------------------------------------------------------


def test_quotes_are_classed_as_opening_or_closing():
    doc = Document('"Hi," she said, "how are you?" He was 6\'2" tall.')
    quotes = doc.paragraphs[0].quotes
    assert [q.opens for q in quotes] == [True, False, True, False]
    assert doc.in_dialogue(doc.text.index("how")) and not doc.in_dialogue(doc.text.index("He"))


def test_a_hard_wrapped_paragraph_is_one_paragraph():
    doc = Document('She said "the\nend" and left.\n\nNext.')
    assert len(doc.paragraphs) == 2
    assert dialogue.unpaired_quotes(doc) == []


def test_match_case_follows_the_original():
    assert match_case("Your", "you're") == "You're"
    assert match_case("ALOT", "a lot") == "A LOT"
    assert match_case("then", "than") == "than"


# --- Dialogue ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after_quote", "is_tag"),
    [
        (" she said.", True),
        (" said Olivia.", True),
        (" Olivia whispered.", True),
        (" she softly said.", True),
        (" she called.", True),
        (" she called the waiter over.", False),  # "called" is a tag only if the tag ends
        (" She smiled.", False),
        (" The door opened.", False),
        ("\nShe said nothing.", False),
    ],
)
def test_speech_tags_are_told_from_action_beats(after_quote, is_tag):
    text = '"Fine."' + after_quote
    assert (dialogue.speech_tag(text, len('"Fine."')) is not None) == is_tag


def test_an_action_beat_after_speech_keeps_its_period():
    doc = Document('"Fine." She smiled. "Stop!" He ran.')
    assert dialogue.tag_punctuation(doc) == []


def test_a_name_in_the_tag_is_a_suggestion_a_pronoun_an_error():
    named = dialogue.tag_punctuation(Document('"Be careful." Olivia said.'))
    pronoun = dialogue.tag_punctuation(Document('"Be careful." she said.'))
    assert [f.severity for f in named] == [Severity.SUGGESTION]
    assert [f.severity for f in pronoun] == [Severity.ERROR]


def test_a_tag_before_the_speech_takes_a_comma():
    findings = dialogue.stray_commas(Document('She said "Come here."'))
    assert [(f.text, f.suggestions) for f in findings] == [("said", ("said,",))]


def test_a_comma_outside_the_quote_before_a_tag():
    findings = dialogue.stray_commas(Document('"Hello", she said.'))
    assert [(f.text, f.suggestions) for f in findings] == [('",', (',"',))]


def test_a_stray_closing_quote_is_unpaired():
    doc = Document('He said hello." And left.')
    assert [f.category for f in dialogue.unpaired_quotes(doc)] == [Category.UNPAIRED_QUOTE]


# --- Usage ---------------------------------------------------------------------------------


def test_doubled_words_except_for_effect_and_grammar():
    doc = Document("She had had enough. That that was it. Very very cold. He went to to bed.")
    assert texts(usage.doubled_words(doc)) == ["to to"]


def test_a_doubled_word_across_a_line_break_is_found():
    assert texts(usage.doubled_words(Document("She opened the\nthe door."))) == ["the\nthe"]


def test_a_word_before_its_own_hyphenated_compound_is_no_doubling():
    assert usage.doubled_words(Document("She looked forward to to-night's dance.")) == []


def test_modal_of_is_a_misheard_have_only_before_a_past_form():
    assert usage.find(Document("It was done against the will of his friends.")) == []
    assert usage.find(Document("She added what she could of cheer.")) == []
    found = usage.find(Document("She could of easily gone. They would of known."))
    assert [(f.text, f.suggestions) for f in found] == [
        ("could of", ("could have",)),
        ("would of", ("would have",)),
    ]


def test_after_a_modal_do_is_the_verb_and_the_next_verb_starts_a_clause():
    assert usage.find(Document("What the law can do has been done.")) == []
    assert texts(usage.find(Document("She doesn't has a car."))) == ["has"]


def test_didnt_use_to_is_right_and_didnt_used_to_is_suggested():
    assert usage.find(Document("She didn't use to like him.")) == []
    found = usage.find(Document("She didn't used to like him."))
    assert [(f.text, f.suggestions, f.severity) for f in found] == [
        ("used to", ("use to",), Severity.SUGGESTION)
    ]


def test_use_to_after_an_object_is_not_a_habit():
    assert usage.find(Document("It was the knife he'd use to cut the rope.")) == []


def test_dialect_past_forms_are_left_to_dialogue():
    assert usage.find(Document('"I seen it," he said.')) == []
    assert texts(usage.find(Document("I seen it happen."))) == ["seen"]


def test_modal_of_before_its_own_phrase_is_fine():
    assert (
        usage.find(Document("He would of course deny it. We ate what we could of the food.")) == []
    )


# --- Confusables and the bigram layer ------------------------------------------------------


def test_the_bigram_layer_needs_both_neighbours_on_its_side():
    assert texts(confusables.bigram_findings(Document("He got a letter form his mother"))) == [
        "form"
    ]
    # "off the" is far likelier as "of the", but "slip of" is not: no finding.
    assert confusables.bigram_findings(Document("He watched her slip off the safety.")) == []


def test_then_after_a_comparative_only_when_the_next_word_allows_than():
    assert set(texts(confusables.find(Document("He was taller then me.")))) == {"then"}
    assert confusables.find(Document("She took one more step then stopped.")) == []


def test_clean_uses_of_pair_words_are_left_alone():
    clean = (
        "She was quite sure. It was quiet for a while. A form of magic. They form a line. "
        "Its eyes glowed. It's fine. Your eyes are red. The weather was bad. The causal link "
        "was clear. She passed the salt. In the past, she led them. Everyone except him came."
    )
    assert confusables.find(Document(clean)) == []


# --- Style ---------------------------------------------------------------------------------


def test_style_notes_are_style_severity():
    doc = Document("She felt cold. She saw the door. She heard a noise. She ran.")
    found = style.find(doc)
    assert found and all(f.severity == Severity.STYLE for f in found)
    assert "fiction:repeated-opening" in {f.rule for f in found}


# --- Lexicons and spelling -----------------------------------------------------------------


def test_lexicons_load_once_and_hold_what_the_rules_need():
    assert lexicon.word_counts() is lexicon.word_counts()
    assert {"perp", "gonna", "y'all", "fuck"} <= lexicon.slang()
    assert lexicon.past_forms()["brung"] == "brought"
    assert lexicon.past_only()["went"] == "gone"
    assert lexicon.participle_only()["seen"] == "saw"
    assert lexicon.compounds()["alot"] == "a lot"
    assert lexicon.speech_verbs()["said"] is False and lexicon.speech_verbs()["called"] is True
    assert ("than", "anything") in lexicon.bigram_counts()


def test_vocabulary_splits_tags_into_words():
    assert vocabulary_words(["Alex/Olivia", "Law & Order: SVU", "Olivia's"]) >= {
        "alex", "olivia", "law", "order", "svu",
    }  # fmt: skip


@pytest.mark.parametrize(
    "word",
    ["IAB", "1PP", "NYPD's", "perps", "Nooo", "unclenched", "y'all", "Kesh's", "fucking"],
)
def test_words_the_checker_knows(word):
    assert Lexicon(["Kesh Aldane"]).knows(word)


@pytest.mark.parametrize("word", ["recieve", "definately", "teh"])
def test_misspellings_stay_unknown(word):
    assert not Lexicon().knows(word)


# --- Harper for fiction --------------------------------------------------------------------


def test_harper_is_configured_for_fiction():
    config = harper_lints.linter().get_lint_config()
    for rule in ("AvoidCurses", "OxfordComma", "UseEllipsisCharacter", "LongSentences"):
        assert config[rule] is False
    # Spelling is asked of a linter of its own, once per distinct word.
    assert config["SpellCheck"] is False
    assert harper_lints.speller().get_lint_config()["SpellCheck"] is True


def test_every_kept_harper_rule_has_a_category_and_severity():
    linter = harper_lints.linter()
    for rule, state in linter.get_lint_config().items():
        if state is not False:
            category, severity = harper_lints.classify(rule, "")
            assert isinstance(category, Category) and isinstance(severity, Severity)
