"""The report: findings marked in the chapter's HTML where they stand, and nowhere else."""

import re

from ficshelf.betareader.engine.findings import Category, CheckResult, Finding, Severity
from ficshelf.betareader.report import build_report, describe_counts


def found(html, text, *, severity=Severity.SUGGESTION, nth=0, suggestions=("x",), **kw):
    start = [m.start() for m in re.finditer(re.escape(text), html)][nth]
    values = {
        "category": Category.GRAMMAR,
        "rule": "test:rule",
        "message": f"About {text}.",
        "suggestions": suggestions,
    }
    values.update(kw)
    return Finding(start=start, end=start + len(text), text=text, severity=severity, **values)


def unmarked(html: str) -> str:
    html = re.sub(r'<sup class="finding-ref">.*?</sup>', "", html)
    return re.sub(r"</?mark[^>]*>", "", html)


def test_each_finding_is_marked_in_the_text_and_the_text_is_otherwise_unchanged():
    html = "<p>We was <em>suppose</em> to go &amp; see.</p>"
    findings = [found(html, "was", severity=Severity.ERROR), found(html, "&amp; see")]
    report = build_report(html, CheckResult(findings=findings))
    marked = str(report.highlighted)
    assert '<mark class="finding severity-error" id="finding-1" ' in marked
    assert 'aria-describedby="finding-2-message">&amp; see</mark>' in marked
    assert '<a href="#finding-note-1" aria-label="Finding 1: error">1</a>' in marked
    assert unmarked(marked) == html
    assert all(entry.marked for entry in report.entries)


def test_a_finding_across_tags_is_listed_but_not_marked():
    html = "<p>She <em>should</em> of known.</p>"
    start = html.index("should")
    crossing = Finding(
        start=start,
        end=start + len("should</em> of"),
        text="should</em> of",
        severity=Severity.SUGGESTION,
        category=Category.MODAL_OF,
        rule="test:modal",
        message="Use have.",
    )
    report = build_report(html, CheckResult(findings=[crossing]))
    assert str(report.highlighted) == html
    assert not report.entries[0].marked
    assert report.entries[0].flagged == "should of"
    assert len(report.groups[0].entries) == 1


def test_overlapping_findings_are_marked_once():
    html = "<p>the the cat</p>"
    first = found(html, "the the")
    second = found(html, "the", nth=1)
    report = build_report(html, CheckResult(findings=[first, second]))
    assert str(report.highlighted).count("<mark") == 1
    assert [e.marked for e in report.entries] == [True, False]


def test_findings_are_grouped_by_severity_errors_first():
    html = "<p>one two three</p>"
    findings = [
        found(html, "one", severity=Severity.STYLE),
        found(html, "two", severity=Severity.SUGGESTION),
        found(html, "three", severity=Severity.ERROR),
    ]
    report = build_report(html, CheckResult(findings=findings))
    assert [g.label for g in report.groups] == ["Errors", "Suggestions", "Style"]
    assert report.summary == "1 error, 1 suggestion, 1 style note"


def test_each_finding_shows_the_words_around_it_as_plain_text():
    html = "<p>It was a dark and stormy night.</p><p>She recieved the <em>letter</em> at dawn.</p>"
    report = build_report(html, CheckResult(findings=[found(html, "recieved")]))
    entry = report.entries[0]
    assert entry.before.endswith("stormy night. She ")
    assert entry.after == " the letter at dawn. "
    assert entry.flagged == "recieved"


def test_the_same_finding_with_the_same_fix_counts_as_one_kind():
    html = "<p>recieved, recieved and recieved</p>"
    findings = [found(html, "recieved", nth=n, suggestions=("received",)) for n in range(3)]
    findings.append(found(html, "and", suggestions=("or",)))
    report = build_report(html, CheckResult(findings=findings))
    assert [e.kind_count for e in report.entries] == [3, 3, 3, 1]


def test_only_a_single_misspelt_word_is_offered_for_the_dictionary():
    html = "<p>Zorb went to the Zorb Place.</p>"
    word = found(html, "Zorb", category=Category.SPELLING)
    phrase = found(html, "Zorb Place", category=Category.SPELLING)
    grammar = found(html, "went")
    report = build_report(html, CheckResult(findings=[word, grammar, phrase]))
    assert [e.dictionary_word for e in report.entries] == ["Zorb", None, None]


def test_counts_read_as_a_sentence():
    assert describe_counts({"error": 1, "suggestion": 0, "style": 0}) == "1 error, 0 suggestions"
    assert describe_counts({"error": 2, "suggestion": 1}) == "2 errors, 1 suggestion"
