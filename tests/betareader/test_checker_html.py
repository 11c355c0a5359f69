"""HTML chapters: findings point into the HTML; markup never splits a word or breaks a fix."""

from ficshelf.betareader.engine.checker import check_html
from ficshelf.betareader.engine.findings import Category
from ficshelf.betareader.engine.html_text import extract


def test_inline_markup_inside_a_word_does_not_split_it():
    html = "<p>She said the wo<i>rd</i> twice and it was quite for a moment.</p>"
    result = check_html(html)
    assert [f.category for f in result.findings] == [Category.REAL_WORD_TYPO]
    finding = result.findings[0]
    assert html[finding.start : finding.end] == finding.text == "quite"
    assert finding.suggestions == ("quiet",)


def test_a_finding_across_markup_keeps_its_place_but_offers_no_fix():
    html = "<p>You could <em>of</em> told me.</p>"
    result = check_html(html)
    finding = next(f for f in result.findings if f.category == Category.MODAL_OF)
    assert finding.text == "could <em>of"
    assert html[finding.start : finding.end] == finding.text
    assert finding.suggestions == ()


def test_blocks_never_merge_words_of_two_paragraphs():
    html = "<p>She ran</p><p>home again.</p><div>He walked</div>away.<br>Then&nbsp;stopped."
    extracted = extract(html)
    assert "ran\n\nhome" in extracted.text
    assert "walked\n\naway" in extracted.text
    assert "away.\nThen" in extracted.text


def test_entities_are_decoded_and_mapped_to_the_html():
    html = "<p>Rock &amp; roll, she said &mdash; it&#8217;s own song. Its &quot;fine&quot;.</p>"
    result = check_html(html)
    for finding in result.findings:
        assert html[finding.start : finding.end] == finding.text
    its = next(f for f in result.findings if f.text.startswith("it&#8217;s"))
    assert its.suggestions == ()  # the span holds an entity: no one-click fix


def test_odd_html_never_raises():
    for html in (
        "<p>Unclosed <b>bold and <i>italic",
        "a < b and c > d, she said.",
        "<!-- a comment that never ends",
        "<script>var x = 'should of';</script><p>Fine text.</p>",
        "<p title='x > y'>He could of gone.</p>",
        "&bogus; &#99999999; &#x110000; text",
        "",
    ):
        result = check_html(html)
        for finding in result.findings:
            assert html[finding.start : finding.end] == finding.text
    scripted = check_html("<script>var x = 'should of';</script><p>Fine text.</p>")
    assert scripted.findings == []
