"""Text pasted from Google Docs, Microsoft Word and LibreOffice becomes clean paragraphs.

The samples in clipboard/ are the HTML each program puts on the clipboard for the same four
paragraphs, a centred divider and a heading: Google Docs (Chrome) with its non-bold <b>
wrapper and styled spans, Word for Windows with its head, conditional comments and
MsoNormal paragraphs (CRLF line ends, as Word writes them), LibreOffice with its <font> tags
and paragraphs wrapped across source lines.
"""

from pathlib import Path

import pytest

from ficshelf.userstuff import TextFormat, to_html
from ficshelf.userstuff.clipboard import clipboard_to_html, is_clipboard_html

SAMPLES = Path(__file__).parent / "clipboard"
PROGRAMS = ["google_docs", "word", "libreoffice"]
# Google Docs wraps what it copies in a <b> that says it is not bold.
GOOGLE_DOCS_WRAPPER = '<b style="font-weight:normal;" id="docs-internal-guid-5e0d7a31">'


def sample(name: str) -> str:
    return (SAMPLES / f"{name}.html").read_text(encoding="utf-8")


def pasted(name: str) -> str:
    return to_html(sample(name), TextFormat.HTML)


@pytest.mark.parametrize("program", PROGRAMS)
def test_each_programs_clipboard_html_is_recognized(program):
    assert is_clipboard_html(sample(program))


def test_html_written_by_hand_is_not_taken_for_a_paste():
    assert not is_clipboard_html('<p class="note">Written <em>by hand</em>.</p>')


@pytest.mark.parametrize("program", PROGRAMS)
def test_a_paste_keeps_its_paragraphs_italics_and_bold(program):
    html = pasted(program)
    assert html.startswith(
        "<p>The precinct was quiet. Olivia read the file <em>twice</em>, then a third time.</p>"
    )
    assert (
        "<p>“You’re still here,” Alex said. It was <strong>not</strong> a question. "
        "She had <u>promised</u> to go home.</p>"
    ) in html
    assert "<p><strong><em>Three weeks later</em></strong></p>" in html


@pytest.mark.parametrize("program", PROGRAMS)
def test_a_paste_loses_its_styles_classes_spans_and_fonts(program):
    html = pasted(program)
    for leftover in ("style=", "class=", "<span", "<font", "<o:p", "mso-", "docs-internal",
                     "<b>", "dir=", "<meta", "Cambria"):  # fmt: skip
        assert leftover not in html


@pytest.mark.parametrize("program", PROGRAMS)
def test_a_centred_divider_becomes_a_scene_break_and_spacers_go(program):
    html = pasted(program)
    blocks = html.split("\n")
    assert blocks[2] == "<hr>"
    assert "<p></p>" not in html and "&nbsp;" not in html and "\xa0" not in html


def test_google_docs_whole_paste_reads_as_five_blocks_with_its_link():
    assert pasted("google_docs").split("\n") == [
        "<p>The precinct was quiet. Olivia read the file <em>twice</em>, then a third time.</p>",
        "<p>“You’re still here,” Alex said. It was <strong>not</strong> a question. "
        "She had <u>promised</u> to go home.</p>",
        "<hr>",
        "<p><strong><em>Three weeks later</em></strong></p>",
        '<p>The verdict came in on a Tuesday. More on <a href="https://archiveofourown.org/" '
        'rel="noopener noreferrer nofollow">AO3</a>.</p>',
    ]


def test_word_list_markers_stay_as_text_and_space_runs_fold():
    html = pasted("word")
    assert "<p>1. Coffee</p>" in html
    assert "<p>The verdict came in on a Tuesday. Nobody cheered.</p>" in html


def test_libreoffice_source_line_wrapping_is_not_a_line_break():
    html = pasted("libreoffice")
    assert "<br>" not in html
    assert "<p>The verdict came in on a Tuesday. Nobody cheered.</p>" in html


def test_text_typed_around_a_paste_keeps_its_own_paragraphs():
    typed = "A note typed first.\nSecond line.\n\n* * *\n\n"
    html = to_html(typed + sample("google_docs") + "\n\nTyped after.", TextFormat.HTML)
    assert html.startswith("<p>A note typed first.<br>Second line.</p>\n<hr>\n<p>The precinct")
    assert html.endswith("<p>Typed after.</p>")


def test_google_docs_bold_is_a_style_and_its_wrapper_is_not_bold():
    html = clipboard_to_html(
        GOOGLE_DOCS_WRAPPER + '<p dir="ltr"><span style="font-weight:400">plain </span>'
        '<span style="font-weight:700">bold</span>'
        '<span style="font-style:italic;font-weight:400"> italic</span></p></b>'
    )
    assert html == "<p>plain <strong>bold</strong><em> italic</em></p>"


def test_word_bold_and_italics_with_mso_styles_are_still_bold_and_italic():
    html = clipboard_to_html(
        "<p class=MsoNormal><b style='mso-bidi-font-weight:normal'>Bold</b> and "
        "<i style='mso-bidi-font-style:normal'>italic</i><o:p></o:p></p>"
    )
    assert html == "<p><strong>Bold</strong> and <em>italic</em></p>"


def test_a_line_break_inside_a_pasted_paragraph_is_kept():
    html = clipboard_to_html(
        GOOGLE_DOCS_WRAPPER + '<p dir="ltr"><span>Roses are red,<br>violets</span></p></b>'
    )
    assert html == "<p>Roses are red,<br>violets</p>"


def test_centred_text_stays_centred():
    html = clipboard_to_html(
        "<p class=MsoNormal align=center style='text-align:center'>The End<o:p></o:p></p>"
    )
    assert html == '<p align="center">The End</p>'


def test_pasted_headings_lists_and_tables_keep_their_shape():
    html = clipboard_to_html(
        GOOGLE_DOCS_WRAPPER + '<h2 dir="ltr"><span>Chapter One</span></h2>'
        '<ul><li dir="ltr"><p dir="ltr"><span>An item</span></p></li></ul>'
        "<table><tr><td><p><span>A cell</span></p></td></tr></table></b>"
    )
    assert html == (
        "<h2>Chapter One</h2>\n<ul>\n<li>\n<p>An item</p>\n</li>\n</ul>\n"
        "<table>\n<tr>\n<td>\n<p>A cell</p>\n</td>\n</tr>\n</table>"
    )
