"""Word counts as AO3 counts them."""

import pytest

from ficshelf.userstuff import count_words, html_to_text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("<p>The quick brown fox jumps over the lazy dog.</p>", 9),
        ("<p>Don't stop. It's well-known, isn't it?</p>", 6),
        ("<p>Wait - what ... no!</p>", 3),
        ("<p>  spaced \n\t out   words  </p>", 3),
        ("<p>Numbers like 1,000 and 3.14 count.</p>", 6),
        ("", 0),
        ("<p></p><p>&nbsp;</p>", 0),
    ],
)
def test_english_words_are_counted_between_spaces(text, words):
    assert count_words(text) == words


def test_each_cjk_character_is_one_word():
    assert count_words("<p>日本語</p>") == 3
    assert count_words("<p>我爱你。</p>") == 3
    assert count_words("<p>ひらがなとカタカナ</p>") == 9


def test_cjk_and_english_are_counted_together():
    assert count_words("<p>Hello 世界 and 東京 again</p>") == 3 + 4


def test_html_tags_are_not_words():
    assert count_words('<p class="one two three">One <em>two</em> <a href="x">three</a></p>') == 3
    assert count_words('<img src="a.png" alt="many words here">') == 0


def test_inline_tags_do_not_split_a_word():
    assert count_words("<p>un<em>believ</em>able</p>") == 1


@pytest.mark.parametrize(
    "html",
    [
        "<p>a</p><p>b</p>",
        "a<br>b",
        "a<br/>b",
        "a<hr>b",
        "<div>a</div><div>b</div>",
        "<ul><li>a</li><li>b</li></ul>",
        "<h1>a</h1>b",
        "<table><tr><td>a</td><td>b</td></tr></table>",
        "<blockquote>a</blockquote>b",
        "<dl><dt>a</dt><dd>b</dd></dl>",
    ],
)
def test_block_boundaries_separate_words(html):
    assert count_words(html) == 2


def test_entities_are_text():
    assert count_words("<p>Tom&nbsp;&amp;&nbsp;Jerry</p>") == 2
    assert html_to_text("<p>Tom &amp; Jerry</p>") == "Tom & Jerry\n"


def test_plain_text_can_be_counted_without_reading_it_as_html():
    assert count_words("a <b> c", is_html=False) == 3
    assert count_words("a <b> c") == 2


def test_thai_characters_count_one_word_each_and_korean_counts_by_spaces():
    assert count_words("สวัสดี", is_html=False) == 6
    assert count_words("안녕하세요 세계", is_html=False) == 2
