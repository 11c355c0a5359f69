"""Turning what a creator types (plain text, Markdown, HTML) into clean HTML."""

import pytest

from ficshelf.userstuff import TextFormat, to_html
from ficshelf.userstuff.formatting import is_scene_break, plain_text_to_html


def plain(text: str) -> str:
    return to_html(text, TextFormat.PLAIN)


# --- Plain text -----------------------------------------------------------------------------


def test_blank_lines_separate_paragraphs():
    assert plain("First paragraph.\n\nSecond paragraph.") == (
        "<p>First paragraph.</p>\n<p>Second paragraph.</p>"
    )


def test_a_single_newline_is_a_line_break():
    assert plain("Roses are red,\nViolets are blue.") == (
        "<p>Roses are red,<br>\nViolets are blue.</p>"
    )


def test_windows_and_old_mac_line_endings_are_understood():
    assert plain("One.\r\n\r\nTwo.\rThree.") == "<p>One.</p>\n<p>Two.<br>\nThree.</p>"


def test_two_or_more_blank_lines_are_a_scene_break():
    assert plain("Before.\n\n\nAfter.") == "<p>Before.</p>\n<hr>\n<p>After.</p>"
    assert plain("Before.\n\n\n\n\n\nAfter.") == "<p>Before.</p>\n<hr>\n<p>After.</p>"


def test_a_blank_line_holding_only_spaces_is_still_blank():
    assert plain("One.\n   \nTwo.") == "<p>One.</p>\n<p>Two.</p>"


@pytest.mark.parametrize(
    "divider", ["***", "* * *", "---", "~~~", "#", "o0o", "oOo", "xXx", "=+=", "  ***  ", "-"]
)
def test_a_divider_line_is_a_scene_break(divider):
    assert plain(f"Before.\n\n{divider}\n\nAfter.") == "<p>Before.</p>\n<hr>\n<p>After.</p>"
    # Even without blank lines around it.
    assert plain(f"Before.\n{divider}\nAfter.") == "<p>Before.</p>\n<hr>\n<p>After.</p>"


@pytest.mark.parametrize("line", ["1", "42", "2024", "xoxo", "XOXO", "Oooo", "Love, xoxo", "#1"])
def test_a_short_line_of_words_or_numbers_is_text_not_a_divider(line):
    """Numbers (chapter numbers, dates) and words like a letter's "xoxo" are kept."""
    assert not is_scene_break(line)
    assert plain(f"Before.\n\n{line}\n\nAfter.") == f"<p>Before.</p>\n<p>{line}</p>\n<p>After.</p>"


def test_there_is_no_scene_break_at_the_start_or_end_or_twice_in_a_row():
    assert plain("***\n\nText.\n\n* * *\n\n\n\n---\n\nMore.\n\n~~~\n\n\n") == (
        "<p>Text.</p>\n<hr>\n<p>More.</p>"
    )
    assert plain("\n\n\n\nText.\n\n\n\n") == "<p>Text.</p>"


def test_plain_text_is_escaped_not_read_as_html():
    assert plain("I <3 you & <b>bold</b> <script>alert(1)</script>") == (
        "<p>I &lt;3 you &amp; &lt;b&gt;bold&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )


def test_lines_are_trimmed_inside_a_paragraph():
    assert plain("   Indented.\n  Also indented.   ") == "<p>Indented.<br>\nAlso indented.</p>"


def test_empty_plain_text_is_empty_html():
    assert plain("") == ""
    assert plain(" \n\n \n") == ""
    assert plain_text_to_html("***\n---") == ""


# --- Markdown -------------------------------------------------------------------------------


def markdown(text: str) -> str:
    return to_html(text, TextFormat.MARKDOWN)


def test_markdown_becomes_html():
    assert markdown("*Hello* **world**\n\nSecond paragraph.") == (
        "<p><em>Hello</em> <strong>world</strong></p>\n<p>Second paragraph.</p>"
    )


def test_markdown_keeps_tables_strikethrough_lists_and_breaks():
    html = markdown("~~gone~~\n\n- one\n- two\n\n***\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<s>gone</s>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<hr>" in html
    assert "<table>" in html and "<td>2</td>" in html


def test_raw_html_in_markdown_is_shown_as_text_not_rendered():
    html = markdown('Hi <b>there</b> <span class="x">span</span>\n\n<div onclick="x">block</div>')
    assert html == (
        '<p>Hi &lt;b&gt;there&lt;/b&gt; &lt;span class="x"&gt;span&lt;/span&gt;</p>\n'
        '<p>&lt;div onclick="x"&gt;block&lt;/div&gt;</p>'
    )


def test_a_script_in_markdown_never_runs():
    html = markdown("<script>alert(1)</script>\n\ntext")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_markdown_links_are_cleaned():
    assert markdown("[site](https://example.org)") == (
        '<p><a href="https://example.org" rel="noopener noreferrer nofollow">site</a></p>'
    )
    html = markdown("[click](javascript:alert(1)) and ![img](javascript:alert(2))")
    assert "href=" not in html
    assert "src=" not in html


# --- HTML -----------------------------------------------------------------------------------


def test_html_is_cleaned_and_kept_as_written():
    assert to_html('<p class="x">Hi <em>there</em><script>x</script></p>', TextFormat.HTML) == (
        '<p class="x">Hi <em>there</em></p>'
    )
