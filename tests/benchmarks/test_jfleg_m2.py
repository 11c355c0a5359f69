"""JFLEG's references turned into M2 gold edits (benchmarks/jfleg_m2.py), and single-annotator
scoring (benchmarks/m2score.single_annotator)."""

import pytest

from benchmarks.jfleg_m2 import align, alike, read_jfleg, reference_edits, to_m2
from benchmarks.m2score import annotators, parse_m2, score, single_annotator


def edits(source: str, reference: str):
    return reference_edits(source.split(), reference.split())


def test_an_identical_reference_has_no_edits():
    assert edits("The cat sat on the mat .", "The cat sat on the mat .") == []


def test_a_misspelling_and_a_word_form_are_one_word_edits_each():
    assert edits(
        "Every person needs to know about sciences and arts .",
        "Every person needs to know about science and art .",
    ) == [
        (6, 7, "sciences", ("science",)),
        (8, 9, "arts", ("art",)),
    ]
    assert edits("He recieved it .", "He received it .") == [(1, 2, "recieved", ("received",))]


def test_an_inserted_article_stays_apart_from_the_recased_word_after_it():
    assert edits(
        "Disadvantage is parking their car .", "A disadvantage is parking their cars ."
    ) == [
        (0, 0, "", ("A",)),
        (0, 1, "Disadvantage", ("disadvantage",)),
        (4, 5, "car", ("cars",)),
    ]


def test_unlike_neighbouring_changes_are_one_edit():
    assert edits("People are busy at this time .", "People are busy now .") == [
        (3, 6, "at this time", ("now",)),
    ]


def test_deletions_and_insertions_have_the_right_spans():
    assert edits("It is introduced to the society .", "It is introduced to society .") == [
        (4, 5, "the", ("",)),
    ]
    assert edits("He wants go home .", "He wants to go home .") == [(2, 2, "", ("to",))]


def test_the_edits_applied_to_the_source_give_the_reference():
    pairs = [
        (
            "New and new technology has been introduced to the society .",
            "Newer and newer technology has been introduced into society .",
        ),
        (
            "becuse if i see some one did somthing to may safe me time",
            "Because if I see someone did something to save me time",
        ),
        ("a b c d e", "e d c b a"),
        ("", "Something ."),
        ("Nothing at all .", ""),
    ]
    for source, reference in pairs:
        tokens = source.split()
        rebuilt, position = [], 0
        for start, end, _, (correction,) in edits(source, reference):
            rebuilt += tokens[position:start] + correction.split()
            position = end
        rebuilt += tokens[position:]
        assert rebuilt == reference.split(), (source, reference)


def test_alignment_steps_cover_both_sentences():
    steps = align("a b c".split(), "a x c d".split())
    assert [kind for kind, _, _ in steps] == ["match", "sub", "match", "ins"]


def test_alike_means_same_word_or_close_spelling():
    assert alike("Disadvantage", "disadvantage")
    assert alike("recieved", "received")
    assert alike("car", "cars")
    assert not alike("is", "are")
    assert not alike("in", "nowadays")


def test_a_reference_in_another_tokenization_is_brought_to_the_sources():
    sentence = to_m2("It 's his/her book .", ["It's his / her book.", "It 's his/her books ."])
    assert sentence.gold == {0: [], 1: [(3, 4, "book", ("books",))]}


def test_scoring_against_references_as_annotators():
    sentence = to_m2(
        "She go to school yesterday .",
        ["She went to school yesterday .", "She goes to school ."],
    )
    result = score(["She went to school yesterday ."], [sentence])
    assert (result.correct, result.proposed, result.gold) == (1, 1, 1)
    assert result.sentences[0].annotator == 0
    alone = score(["She went to school yesterday ."], single_annotator([sentence], 1))
    assert (alone.correct, alone.proposed, alone.gold) == (0, 1, 2)


GOLD = """\
S The cat sat at mat .
A 3 4|||Prep|||on|||REQUIRED|||-NONE-|||0
A 4 4|||ArtOrDet|||the||a|||REQUIRED|||-NONE-|||0
A -1 -1|||noop|||-NONE-|||-NONE-|||-NONE-|||1

S Giant otters is an apex predator .
A 2 3|||SVA|||are|||REQUIRED|||-NONE-|||0
A 1 2|||NN|||otter|||REQUIRED|||-NONE-|||1
"""


def test_single_annotator_scores_against_that_annotator_only():
    gold = parse_m2(GOLD)
    system = ["The cat sat on the mat .", "Giant otters are an apex predator ."]
    assert annotators(gold) == [0, 1]
    best = score(system, gold)
    first = score(system, single_annotator(gold, 0))
    second = score(system, single_annotator(gold, 1))
    assert (first.correct, first.proposed, first.gold) == (3, 3, 3)
    # Unmatched, "at mat" -> "on the mat" is one edit (the scorer merges what matches nothing).
    assert (second.correct, second.proposed, second.gold) == (0, 2, 1)
    assert best.f_score >= max(first.f_score, second.f_score)


def test_an_annotator_without_a_line_for_a_sentence_wants_no_edit_there():
    gold = parse_m2("S A dog .\nA 1 2|||NN|||dogs|||REQUIRED|||-NONE-|||0\n")
    alone = single_annotator(gold, 1)
    assert alone[0].gold == {1: []}
    assert score(["A dogs ."], alone).proposed == 1


def test_reading_a_jfleg_folder(tmp_path):
    base = tmp_path / "dev"
    base.mkdir()
    (base / "dev.src").write_text("He go home .\nFine .\n", encoding="utf-8")
    for k, line in enumerate(
        ["He goes home .", "He went home .", "He goes home .", "He go home ."]
    ):
        (base / f"dev.ref{k}").write_text(f"{line}\nFine .\n", encoding="utf-8")
    sentences = read_jfleg(tmp_path, "dev")
    assert [s.source for s in sentences] == ["He go home .", "Fine ."]
    assert sentences[0].gold[1] == [(1, 2, "go", ("went",))]
    assert sentences[0].gold[3] == []
    assert all(edits == [] for edits in sentences[1].gold.values())
    with pytest.raises(ValueError):
        read_jfleg(tmp_path, "train")
