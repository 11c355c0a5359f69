"""A reader's text becomes words and phrases, never query syntax."""

from ficshelf.search.fulltext import parse_query


def test_quoted_words_are_one_phrase_and_the_rest_single_words():
    assert parse_query('Olivia "fire  escapes" stakeout') == ["fire escapes", "Olivia", "stakeout"]


def test_an_unbalanced_quote_is_dropped():
    assert parse_query('"fire escapes') == ["fire", "escapes"]


def test_search_syntax_is_only_words_or_nothing():
    assert parse_query('* - ( ) : " NEAR OR') == ["NEAR", "OR"]


def test_a_word_is_kept_once():
    assert parse_query("fire fire") == ["fire"]
