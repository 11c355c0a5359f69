"""Turning what a creator types (plain text, Markdown, rich text) into clean HTML."""

import time

import pytest

from ficshelf.userstuff import TextFormat, TextRefused, notes_to_html, to_html
from ficshelf.userstuff.formatting import html_with_paragraphs, is_scene_break, plain_text_to_html


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


def test_a_divider_check_reads_a_long_line_once():
    """A chapter of one line of 500,000 asterisks and an "x" took minutes when the divider
    pattern backtracked; it is text, and it is read in well under a second."""
    started = time.process_time()
    assert not is_scene_break("*" * 500_000 + "x")
    assert not is_scene_break("0" * 500_000 + "a")
    assert is_scene_break("* " * 250_000)
    assert time.process_time() - started < 1


# --- Rich text ------------------------------------------------------------------------------


def rich(text: str) -> str:
    return to_html(text, TextFormat.HTML)


def test_rich_text_without_markup_gets_paragraphs_and_line_breaks():
    assert rich("First paragraph.\n\nSecond paragraph.") == (
        "<p>First paragraph.</p>\n<p>Second paragraph.</p>"
    )
    assert rich("Roses are red,\nViolets are blue.") == (
        "<p>Roses are red,<br>\nViolets are blue.</p>"
    )
    assert rich("One.\r\n\r\nTwo.") == "<p>One.</p>\n<p>Two.</p>"


@pytest.mark.parametrize("divider", ["***", "* * *", "---", "~~~", "#", "o0o", "xXx", "=+="])
def test_a_divider_line_in_rich_text_is_a_scene_break(divider):
    assert rich(f"Before.\n\n{divider}\n\nAfter.") == "<p>Before.</p>\n<hr>\n<p>After.</p>"
    assert rich(f"Before.\n{divider}\nAfter.") == "<p>Before.</p>\n<hr>\n<p>After.</p>"


def test_a_divider_written_with_entities_is_a_scene_break_too():
    assert rich("Before.\n\n*&nbsp;*&nbsp;*\n\nAfter.") == "<p>Before.</p>\n<hr>\n<p>After.</p>"


def test_loose_text_beside_block_markup_keeps_its_paragraphs():
    assert rich("<p>One</p>\n\nTwo\n\nThree") == "<p>One</p>\n<p>Two</p>\n<p>Three</p>"
    assert rich("<p>One</p>\n***\n<p>Two</p>") == "<p>One</p>\n<hr>\n<p>Two</p>"
    assert rich("<ul><li>An item</li></ul>\nThen prose.") == (
        "<ul><li>An item</li></ul>\n<p>Then prose.</p>"
    )


def test_text_in_block_markup_is_kept_as_written():
    assert rich("<p>A line\nwrapped by hand</p>") == "<p>A line\nwrapped by hand</p>"
    assert rich("<blockquote>A short quote</blockquote>") == (
        "<blockquote>A short quote</blockquote>"
    )


def test_a_div_of_loose_paragraphs_gets_paragraphs_inside_it():
    assert rich("<div>One\n\nTwo</div>") == "<div><p>One</p>\n<p>Two</p></div>"


def test_inline_markup_across_a_paragraph_break_is_closed_and_reopened():
    assert rich("One <em>two\n\nthree</em> four") == (
        "<p>One <em>two</em></p>\n<p><em>three</em> four</p>"
    )
    assert rich('<a href="https://example.org">A link\nover two lines</a>') == (
        '<p><a href="https://example.org" rel="noopener noreferrer nofollow">A link<br>\n'
        "over two lines</a></p>"
    )


def test_a_line_break_already_written_is_not_doubled():
    assert rich("Line<br>\nLine") == "<p>Line<br>\nLine</p>"


def test_markup_left_open_is_closed_where_html_closes_it():
    assert rich("<p>One<p>Two") == "<p>One</p><p>Two</p>"
    assert rich("<p><i>Italic</p><p>still italic</i></p>") == (
        "<p><i>Italic</i></p><p><i>still italic</i></p>"
    )


def test_a_less_than_sign_in_rich_text_stays_text():
    assert rich("I <3 you & me") == "<p>I &lt;3 you &amp; me</p>"


def test_rich_text_never_carries_paragraph_ids():
    assert rich('<p data-p="7">Forged</p>\n\nLoose') == "<p>Forged</p>\n<p>Loose</p>"


def test_rich_text_turned_into_html_twice_is_the_same():
    once = rich("One <em>two\n\nthree</em>\n\n***\n\n<p>Four</p>\nFive")
    assert rich(once) == once


def test_html_nested_deeper_than_any_story_is_refused_with_a_reason():
    with pytest.raises(TextRefused) as refusal:
        rich("<div>" * 101 + "Text")
    assert "nested more than 100 levels deep" in str(refusal.value)
    assert rich("<div>" * 100 + "Text").count("<div>") == 100


def test_pasted_word_processor_html_is_recognized_and_tidied():
    pasted = (
        '<b style="font-weight:normal;" id="docs-internal-guid-1">'
        '<p dir="ltr"><span style="font-weight:400">Hi</span></p></b>'
    )
    assert rich(pasted) == "<p>Hi</p>"


# --- Summaries and notes -----------------------------------------------------------------------


def test_notes_are_paragraphed_like_rich_text():
    assert notes_to_html("Thanks for reading!\n\nMore soon.") == (
        "<p>Thanks for reading!</p>\n<p>More soon.</p>"
    )
    assert html_with_paragraphs("Line one\nLine two") == "<p>Line one<br>\nLine two</p>"


def test_notes_nested_too_deep_are_refused():
    with pytest.raises(TextRefused):
        notes_to_html("<blockquote>" * 200)


def test_markdown_and_plain_text_never_reach_the_sanitizer_nested_too_deep():
    assert to_html("> " * 1_000 + "deep", TextFormat.MARKDOWN).count("<blockquote>") <= 100
    assert to_html("<div>" * 45_000, TextFormat.PLAIN).startswith("<p>&lt;div&gt;")
