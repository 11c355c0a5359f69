import pytest

from benchmarks.m2score import parse_m2, score, shrink

# The example shipped with the NUS M2 scorer 3.2 (its README gives P = R = F0.5 = 0.8).
README_GOLD = """\
S The cat sat at mat .
A 3 4|||Prep|||on|||REQUIRED|||-NONE-|||0
A 4 4|||ArtOrDet|||the||a|||REQUIRED|||-NONE-|||0

S The dog .
A 1 2|||NN|||dogs|||REQUIRED|||-NONE-|||0
A -1 -1|||noop|||-NONE-|||-NONE-|||-NONE-|||1

S Giant otters is an apex predator .
A 2 3|||SVA|||are|||REQUIRED|||-NONE-|||0
A 3 4|||ArtOrDet|||-NONE-|||REQUIRED|||-NONE-|||0
A 5 6|||NN|||predators|||REQUIRED|||-NONE-|||0
A 1 2|||NN|||otter|||REQUIRED|||-NONE-|||1
"""
README_SYSTEM = ["A cat sat on the mat .", "The dog .", "Giant otters are apex predator ."]


def test_the_official_scorers_own_example_scores_as_its_readme_says():
    result = score(README_SYSTEM, parse_m2(README_GOLD))
    assert (result.correct, result.proposed, result.gold) == (4, 5, 5)
    assert result.precision == pytest.approx(0.8)
    assert result.recall == pytest.approx(0.8)
    assert result.f_score == pytest.approx(0.8)


def test_in_the_example_each_sentence_is_scored_against_the_annotator_that_suits_it():
    result = score(README_SYSTEM, parse_m2(README_GOLD))
    assert [s.annotator for s in result.sentences] == [0, 1, 0]
    first = result.sentences[0]
    # As in the official scorer, the unmatched edit takes in up to two unchanged words.
    assert first.proposed == [
        (0, 3, "The cat sat", "A cat sat"),
        (3, 4, "at", "on"),
        (4, 4, "", "the"),
    ]
    assert [shrink(edit) for edit in first.proposed][0] == (0, 1, "The", "A")
    assert first.correct == [(3, 4, "at", "on"), (4, 4, "", "the")]


def test_a_system_that_makes_exactly_the_gold_edits_is_perfect():
    gold = parse_m2(README_GOLD)
    perfect = ["The cat sat on the mat .", "The dog .", "Giant otters are apex predators ."]
    result = score(perfect, gold)
    assert (result.precision, result.recall, result.f_score) == (1.0, 1.0, 1.0)


def test_a_system_that_changes_nothing_has_precision_one_and_recall_zero():
    gold = parse_m2(README_GOLD)
    result = score([s.source for s in gold], gold)
    assert result.proposed == 0
    assert result.precision == 1.0
    assert result.recall == 0.0
    assert result.f_score == 0.0


def test_a_wrong_edit_lowers_precision_only():
    gold = parse_m2("S He go to school .\nA 1 2|||SVA|||goes|||REQUIRED|||-NONE-|||0\n")
    result = score(["He goes to college ."], gold)
    assert (result.correct, result.proposed, result.gold) == (1, 2, 1)
    assert result.precision == 0.5
    assert result.recall == 1.0
    assert result.f_score == pytest.approx(1.25 * 0.5 / (0.25 * 0.5 + 1))


def test_the_annotator_chosen_is_the_one_that_maximises_the_running_f_score():
    gold = parse_m2(
        "S He go to school .\n"
        "A 1 2|||SVA|||goes|||REQUIRED|||-NONE-|||0\n"
        "A 1 2|||Vt|||went|||REQUIRED|||-NONE-|||1\n"
    )
    result = score(["He went to school ."], gold)
    assert result.sentences[0].annotator == 1
    assert (result.correct, result.proposed, result.gold) == (1, 1, 1)


def test_a_noop_annotation_lets_an_unchanged_sentence_count_as_right():
    gold = parse_m2(
        "S The dog .\n"
        "A 1 2|||NN|||dogs|||REQUIRED|||-NONE-|||0\n"
        "A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||1\n"
    )
    result = score(["The dog ."], gold)
    assert result.sentences[0].annotator == 1
    assert (result.precision, result.recall) == (1.0, 1.0)


def test_any_of_the_alternative_corrections_matches():
    gold = parse_m2("S The cat sat at mat .\nA 4 4|||ArtOrDet|||the||a|||REQUIRED|||-NONE-|||0\n")
    assert score(["The cat sat at a mat ."], gold).correct == 1
    assert score(["The cat sat at the mat ."], gold).correct == 1
    assert score(["The cat sat at one mat ."], gold).correct == 0


def test_adjacent_changes_are_merged_when_that_matches_a_gold_edit():
    gold = parse_m2("S It is be done .\nA 1 3|||Vform|||has been|||REQUIRED|||-NONE-|||0\n")
    result = score(["It has been done ."], gold)
    assert result.sentences[0].proposed == [(1, 3, "is be", "has been")]
    assert (result.correct, result.proposed) == (1, 1)


def test_changes_are_kept_apart_when_that_matches_the_gold_edits():
    gold = parse_m2(
        "S It is be done .\n"
        "A 1 2|||Vt|||has|||REQUIRED|||-NONE-|||0\n"
        "A 2 3|||Vform|||been|||REQUIRED|||-NONE-|||0\n"
    )
    result = score(["It has been done ."], gold)
    assert (result.correct, result.proposed, result.gold) == (2, 2, 2)


def test_changes_with_more_than_two_unchanged_words_between_them_stay_two_edits():
    gold = parse_m2("S a b c d e f .\n")
    result = score(["x b c d y f ."], gold)
    assert [shrink(edit) for edit in result.sentences[0].proposed] == [
        (0, 1, "a", "x"),
        (4, 5, "e", "y"),
    ]


def test_parsing_keeps_annotators_alternatives_and_empty_corrections():
    sentences = parse_m2(
        "S Keeping the Secret .\n"
        "\n"
        "S People get certain disease .\n"
        "A 3 4|||Nn|||diseases||illnesses|||REQUIRED|||-NONE-|||0\n"
        "A 2 3|||ArtOrDet|||-NONE-|||REQUIRED|||-NONE-|||1\n"
        "A -1 -1|||noop|||-NONE-|||REQUIRED|||-NONE-|||2\n"
    )
    assert sentences[0].source == "Keeping the Secret ."
    assert sentences[0].gold == {0: []}
    assert sentences[1].gold == {
        0: [(3, 4, "disease", ("diseases", "illnesses"))],
        1: [(2, 3, "certain", ("",))],
        2: [],
    }


def test_hypotheses_and_sentences_must_pair_up():
    with pytest.raises(ValueError, match="2 hypotheses for 1 sentences"):
        score(["a", "b"], parse_m2("S a\n"))
