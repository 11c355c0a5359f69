from benchmarks.conll_tokens import detokenize, retokenize, tokenize

ODD = "Here , his/her ' genetic ' risk is the ''potential bomb' ' over decades,medical 1,000 ."


def test_detokenizing_changes_only_the_whitespace_between_tokens():
    tokens = "He said , \" We do n't go to the ( old ) place . \" It 's families ' land .".split()
    text, spans = detokenize(tokens)
    assert text == "He said, \"We don't go to the (old) place.\" It's families' land."
    assert [text[start:end] for start, end in spans] == tokens


def test_an_unchanged_sentence_comes_back_token_for_token():
    for sentence in [ODD, "Do n't you think so ?", '" This issue , " he said .']:
        tokens = sentence.split()
        assert retokenize(tokens, detokenize(tokens)[0]) == tokens


def test_a_corrected_word_changes_only_its_token():
    tokens = "When we are diagonosed out with certain disease , are we suppose to ?".split()
    text = "When we are diagnosed with certain diseases, are we supposed to?"
    assert retokenize(tokens, text) == (
        "When we are diagnosed with certain diseases , are we supposed to ?".split()
    )


def test_an_inserted_comma_and_a_contraction_are_split_as_conll_splits_them():
    tokens = "However it does not matter".split()
    assert retokenize(tokens, "However, it doesn't matter") == (
        "However , it does n't matter".split()
    )


def test_whitespace_changed_next_to_punctuation_is_not_an_edit():
    tokens = ODD.split()
    text = "Here, his / her 'genetic' risk is the '' potential bomb'' over decades, medical 1,000."
    assert retokenize(tokens, text) == tokens


def test_a_word_split_or_joined_is_an_edit():
    assert retokenize("periodic healthchecks .".split(), "periodic health checks.") == [
        "periodic",
        "health",
        "checks",
        ".",
    ]
    assert retokenize("in to the room .".split(), "into the room.") == "into the room .".split()


def test_tokenizing_a_chunk_splits_punctuation_and_clitics_but_not_abbreviations():
    assert tokenize("\"don't,") == ['"', "do", "n't", ","]
    assert tokenize("(parents').") == ["(", "parents", "'", ")", "."]
    assert tokenize("e.g.,") == ["e.g.", ","]
    assert tokenize("'s") == ["'s"]
    assert tokenize("well-known") == ["well-known"]
