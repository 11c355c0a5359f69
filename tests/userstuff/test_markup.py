"""Reading creators' HTML in one pass, as a browser reads and nests it."""

import time

import pytest

from ficshelf.userstuff import clean_html
from ficshelf.userstuff.markup import MAX_DEPTH, TextRefused, balanced_html, tokens


def test_tags_text_and_where_they_are():
    found = [(t.kind, t.name, t.text, t.start, t.end) for t in tokens('Hi <b class="x">you</b>')]
    assert found == [
        ("text", "", "Hi ", 0, 3),
        ("start", "b", "", 3, 16),
        ("text", "", "you", 16, 19),
        ("end", "b", "", 19, 23),
    ]


def test_attributes_as_html_reads_them():
    (tag,) = tokens("<P TITLE='a \"quote\"' Lang=en title=second hidden>")
    assert tag.name == "p"
    assert tag.attributes == (("title", 'a "quote"'), ("lang", "en"), ("hidden", ""))


def test_comments_doctypes_and_marked_sections_are_skipped():
    text = "<!DOCTYPE html><!-- a --><![foo[bar]]><![if !supportLists]>1.<![endif]><?xml x?>ok"
    assert balanced_html(text) == "1.ok"


def test_a_less_than_sign_that_starts_no_tag_is_text():
    assert balanced_html("x < y, <3, a</ b") == "x &lt; y, &lt;3, a"


def test_a_tag_the_text_never_finishes_is_dropped_with_the_rest():
    assert balanced_html('Kept <a title="never closed>lost') == "Kept "


def test_scripts_styles_and_titles_go_with_their_content():
    html = "<title>T</title><style>p{}</style><p>Kept<script>alert('<p>')</script></p>"
    assert balanced_html(html) == "<p>Kept</p>"


def test_what_html_closes_implicitly_is_closed():
    assert balanced_html("<p>One<p>Two<div>Three</div>") == ("<p>One</p><p>Two</p><div>Three</div>")
    assert balanced_html("<ul><li>a<li>b<ul><li>c</ul></ul>") == (
        "<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul>"
    )
    assert balanced_html("<table><tr><td>a<td>b<tr><td>c</table>") == (
        "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"
    )


def test_italics_cut_short_by_a_paragraphs_end_are_reopened_as_browsers_do():
    assert balanced_html("<p><i>One</p><p>Two</i></p>") == "<p><i>One</i></p><p><i>Two</i></p>"
    assert balanced_html("<b><i>bold italic</b> italic</i>") == (
        "<b><i>bold italic</i></b><i> italic</i>"
    )


def test_page_structure_becomes_divs_and_unknown_tags_go():
    assert balanced_html("<html><body><section>One</section><o:p>Two</o:p></body></html>") == (
        "<div>One</div>Two"
    )


def test_the_sanitizer_reads_the_text_as_the_balancer_does():
    text = "<p>One<p><em>Two</p>Three<ul><li>Four</ul>"
    assert clean_html(balanced_html(text)) == clean_html(text)


def test_nesting_deeper_than_the_limit_is_refused():
    assert balanced_html("<div>" * MAX_DEPTH).count("<div>") == MAX_DEPTH
    with pytest.raises(TextRefused, match="nested more than 100 levels deep"):
        balanced_html("<div>" * (MAX_DEPTH + 1))


def test_repeated_formatting_that_html_reopens_stays_shallow():
    # HTML's "Noah's ark": the same <font> reopened in each paragraph nests at most 3 deep.
    assert balanced_html("<p><font face=x>a</p>" * 1_000).count("<p>") == 1_000


@pytest.mark.parametrize(
    "worst",
    [
        "<" * 500_000,
        '<a title="' * 80_000,
        "<!--" * 120_000,
        "<![foo[bar]]>" * 40_000,
        "<p>x" * 120_000,
        "<a " + "b=c " * 120_000 + ">",
        "<div>x</div>" * 40_000,
    ],
    ids=[
        "less-than",
        "open-quotes",
        "open-comments",
        "marked",
        "paragraphs",
        "attributes",
        "divs",
    ],  # fmt: skip
)
def test_reading_is_linear(worst):
    # CPU time: what the code costs, however busy the shared machine is.
    started = time.process_time()
    balanced_html(worst)
    assert time.process_time() - started < 5
