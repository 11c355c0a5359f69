"""Silence on good prose: what edited, published fiction does on purpose is not an error."""

import pytest

from ficshelf.betareader import services
from ficshelf.betareader.engine import Severity, check_text
from ficshelf.betareader.engine.document import Document
from tests.factories import make_work


def errors(text: str, **options) -> list[str]:
    return [f.text for f in check_text(text, **options).findings if f.severity == Severity.ERROR]


def found(text: str, **options) -> dict[str, tuple]:
    return {f.text: (f.severity, f.suggestions) for f in check_text(text, **options).findings}


@pytest.mark.parametrize(
    "sentence",
    [
        "Mrs. Smith, née Jones, drove a coupé up to the château at noon.",
        "The post-mortem showed it, and the doctor adjusted his pince-nez.",
        "The gipsy leant on the gate and watched the kerb.",
        "She would take the barouche to town and buy muslins and a pelisse.",
        "She had warned against you months ago, and he laughed at her.",
        "It was too fine a day to stay in, so they walked to the river.",
        "Too fine a day to waste, she thought, and went out.",
        "You men are all so lazy, she told them, and left the room.",
        "There could be no doubt of your being a gentleman's daughter.",
        "He spoke of their being engaged, and of its being a secret.",
        "They live near to your home, on the hill above the town.",
    ],
)
def test_published_prose_has_no_error(sentence):
    assert errors(sentence) == []


def test_a_rare_word_without_a_likely_typo_is_a_suggestion_not_an_error():
    severity, _ = found("She stepped into the barouche and sat down.")["barouche"]
    assert severity == Severity.SUGGESTION


def test_a_typo_of_a_common_word_is_still_an_error():
    severity, suggestions = found("She walked into the kitchen and put the kettel on.")["kettel"]
    assert severity == Severity.ERROR
    assert suggestions[0] == "kettle"


def test_an_old_spelling_is_a_suggestion_with_todays_spelling():
    severity, suggestions = found("Harriet may pick and chuse, and she was surprized.")["chuse"]
    assert severity == Severity.SUGGESTION
    assert suggestions == ("choose",)


def test_everyone_have_is_corrected_to_everyone_has():
    assert found("Everyone have their reasons for it.")["have"][1] == ("has",)


def test_your_youre_is_still_found_where_a_contraction_is_meant():
    assert found("I think your going to love it.")["your"][1] == ("you're",)
    assert "Its" in errors("Its a trap, she said, and ran.")


@pytest.mark.parametrize("variant", ["en", "en-gb"])
def test_british_spellings_are_right_in_a_british_or_unnamed_english(variant):
    text = "The colour of her neighbour's door was grey; she realised it at once."
    assert check_text(text, variant=variant).findings == []


def test_a_british_work_is_told_of_american_spellings_as_suggestions():
    severity, suggestions = found("She realised the color had gone.", variant="en-GB")["color"]
    assert severity == Severity.SUGGESTION
    assert suggestions == ("colour",)


def test_an_american_work_is_told_of_british_spellings_as_suggestions():
    severity, suggestions = found("The colour had gone.", variant="en-US")["colour"]
    assert severity == Severity.SUGGESTION
    assert suggestions == ("color",)


def test_british_single_quote_dialogue_is_checked_like_double_quote_dialogue():
    double = found("\u201cI don\u2019t know\u201d she said. \u201cIt\u2019s late.\u201d")
    single = found("\u2018I don\u2019t know\u2019 she said. \u2018It\u2019s late.\u2019")
    assert double["\u201d"][1] == (",\u201d",)
    assert single["\u2019"][1] == (",\u2019",)
    assert (
        errors("\u2018I don\u2019t know,\u2019 she said. \u2018It\u2019s the boys\u2019 car.\u2019")
        == []
    )


def test_a_hard_wrapped_text_is_read_in_paragraphs_between_blank_lines():
    lines = [
        '"A house of her own!--But where is the advantage of a house of her own?',
        "This is three times as large.--And you have never any odd humours, my",
        'dear."',
        "",
    ]
    text = "\n".join(lines * 6)
    doc = Document(text)
    assert doc.hard_wrapped
    assert len(doc.paragraphs) == 6
    assert errors(text) == []


def test_one_line_paragraphs_are_not_taken_for_a_hard_wrapped_text():
    text = "\n".join(f"Line {n} ends here." for n in range(20))
    assert not Document(text).hard_wrapped
    assert len(Document(text).paragraphs) == 20


@pytest.mark.django_db
def test_a_work_in_british_english_is_checked_in_british_english(author):
    work = make_work(author, post=False, text="<p>She realised the color had gone.</p>")
    work.language = "en-gb"
    work.save(update_fields=["language"])
    chapter = work.chapters.get()
    result = services.check_chapter(chapter=chapter, user=author)
    assert [(f.text, f.suggestions) for f in result.findings] == [("color", ("colour",))]
    work.language = "en"
    work.save(update_fields=["language"])
    assert services.check_chapter(chapter=chapter, user=author).findings == []


@pytest.mark.parametrize(
    "sentence",
    [
        "She disliked their being so late, and said so at dinner.",
        "Nobody minded his coming, though they had broke the gate and spoke of it.",
        "He bowed and called her _ma chère amie_, and she laughed.",
        "She dropt her glove, and he wrapt it in paper for her.",
    ],
)
def test_what_period_prose_does_on_purpose_is_at_most_a_suggestion(sentence):
    assert errors(sentence, variant="en-GB") == []


def test_a_possessive_before_a_gerund_keeps_its_note_as_a_suggestion():
    severity, suggestions = found("She disliked their being so late.")["their"]
    assert severity == Severity.SUGGESTION
    assert suggestions[0].strip() == "they're"


def test_a_contraction_before_going_to_is_still_an_error():
    assert errors("I think your going to love it.") == ["your"]


def test_an_older_participle_is_a_suggestion_but_a_wrong_one_is_an_error():
    result = found("They have broke the window, and then they have went home.")
    assert result["broke"] == (Severity.SUGGESTION, ("broken",))
    assert result["went"][0] == Severity.ERROR


def test_a_typo_outside_italics_is_an_error_and_inside_them_a_suggestion():
    assert errors("She put the kettel on.") == ["kettel"]
    assert errors("She said _kettel_ was the word.") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "They owed to him their two best puzzles, and the others were pleased.",
        "Mr. Brown, their old friend, were the only persons asked to stay.",
        "I shall think of you four hours hence, as I told you yesterday.",
        "He was a generous thanker, and she was eligibly settled.",
    ],
)
def test_a_guess_of_a_contraction_or_a_rare_derivation_is_not_an_error(sentence):
    assert errors(sentence, variant="en-GB") == []


def test_a_contraction_before_not_and_a_typo_of_a_short_or_doubling_stem_are_errors():
    assert errors("I know their not coming.") == ["their"]
    assert set(errors("The begining was runing late.")) == {"begining", "runing"}


@pytest.mark.parametrize(
    "sentence",
    [
        # A word after an apostrophe with its first letters left out.
        "'Tis a fine evening, and 'twould be a pity to stay in.",
        "The boy was to be 'prenticed to a saddler in the spring.",
        # Period spellings, rare derivations of known words, older pasts in -t.
        "He doated on his nieces, and was never loth to say so.",
        "The house had sashed windows, and its owner was a great wonderer at everything.",
        "There was a certain significancy in the way he bowed.",
        "The maid stampt the parcel and popt it in the basket.",
        # A sound said twice; an unknown word beside a foreign one.
        "Phaw! phaw! What nonsense.",
        "She whispered tesoro mio to the child.",
    ],
)
def test_old_elided_and_foreign_words_are_not_spelling_errors(sentence):
    assert errors(sentence, variant="en-GB") == []


@pytest.mark.parametrize(
    "sentence", ["She was hopeing for rain.", "He keeped the change.", "He stoped the cart."]
)
def test_a_typo_that_looks_like_a_derivation_is_still_an_error(sentence):
    assert len(errors(sentence, variant="en-GB")) == 1


def test_a_spelling_harper_knows_only_in_the_other_english_is_a_variant_suggestion():
    result = check_text("The hard labor of the day centered on the harvest.", variant="en-GB")
    assert {(f.text, f.severity, f.rule) for f in result.findings} == {
        ("labor", Severity.SUGGESTION, "fiction:variant-spelling"),
        ("centered", Severity.SUGGESTION, "fiction:variant-spelling"),
    }
    assert check_text("The hard labor of the day centered on the harvest.").findings == []


@pytest.mark.parametrize(
    "sentence",
    [
        # "of" before no past form is a preposition, not a misheard "have".
        "The good will of his tenants was all he wanted.",
        "It was the last glimpse I ever had of him.",
        "She was told of the fears he had of falling.",
        "He added what he could of comfort to the room.",
        # Another reading of what the lint flags: a verb, a subjunctive, a question, a name.
        "She could easily suppose to have been mistaken.",
        "Hers are not the only doubts in the house.",
        "Whether, once begun, it were wise to go on, she could not say.",
        "Was there time enough to go? Were there letters for me?",
        "The girls' smiles were a comfort to him.",
        "The Parrys are coming tonight.",
        "I'd lay a wager on it.",
        "They looked forward to to-morrow's ball.",
        "All that money can do has been done.",
        "But their going to London was out of the question.",
    ],
)
def test_a_construction_with_another_reading_is_not_an_error(sentence):
    assert errors(sentence, variant="en-GB") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "She would of gone if asked.",
        "They are suppose to come.",
        "He were late.",
        "I think your going to love it.",
        "He had took the horse.",
    ],
)
def test_the_same_words_where_they_are_wrong_are_still_errors(sentence):
    assert len(errors(sentence, variant="en-GB")) == 1


def test_a_characters_nonstandard_verb_is_a_suggestion_in_dialogue_an_error_in_narration():
    speech = '"He had took the horse," said the groom, "and they was gone by noon."'
    assert errors(speech) == []
    assert found(speech)["took"] == (Severity.SUGGESTION, ("taken",))
    assert errors("He had took the horse, and they was gone by noon.") == ["took", "was"]


def test_in_hard_wrapped_text_a_line_break_does_not_end_the_comparison():
    lines = [
        "Her aunt seemed a good deal more",
        "of a burden now than when she came, and",
        "nobody else could keep the house in order.",
        "",
    ]
    text = "\n".join(lines * 4)
    assert Document(text).hard_wrapped
    assert errors(text, variant="en-GB") == []
