"""A check result as an author reads it: findings in order, grouped by severity, each with the
words around it, and the chapter's HTML with every finding marked where it stands."""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ficshelf.userstuff import html_to_text

from .engine.findings import Category, CheckResult, Finding, Severity
from .services import in_text

SEVERITY_LABELS = {
    Severity.ERROR: "Errors",
    Severity.SUGGESTION: "Suggestions",
    Severity.STYLE: "Style",
}
CONTEXT_CHARS = 60
_SPACE = re.compile(r"\s+")


@dataclass
class Entry:
    number: int
    finding: Finding
    flagged: str  # the flagged text as the reader sees it
    before: str
    after: str
    kind_count: int = 1  # findings of the same rule on the same text that share a fix
    marked: bool = False  # highlighted in the chapter text

    @property
    def severity(self) -> str:
        return str(self.finding.severity)

    @property
    def first_suggestion(self) -> str | None:
        return self.finding.suggestions[0] if self.finding.suggestions else None

    @property
    def dictionary_word(self) -> str | None:
        """The word to offer for the author's dictionary, for spelling findings."""
        word = self.flagged.strip()
        if self.finding.category != Category.SPELLING or not word or " " in word:
            return None
        return word


@dataclass
class Group:
    severity: str
    label: str
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Report:
    result: CheckResult
    entries: list[Entry]
    groups: list[Group]
    highlighted: SafeString | None = None

    @property
    def omitted(self) -> int:
        """Findings beyond the first REPORTED_MAX, counted but not listed."""
        return max(0, len(self.result.findings) - len(self.entries))

    @property
    def counts(self) -> dict[str, int]:
        return self.result.counts()

    @property
    def total(self) -> int:
        return len(self.result.findings)

    @property
    def summary(self) -> str:
        return describe_counts(self.counts)


def _context(html_text: str, start: int, end: int) -> tuple[str, str]:
    before = html_text[max(0, start - CONTEXT_CHARS * 2) : start]
    if ">" in before and ("<" not in before or before.index(">") < before.index("<")):
        before = before[before.index(">") + 1 :]  # a tag cut in half
    after = html_text[end : end + CONTEXT_CHARS * 2]
    if "<" in after and ">" not in after[after.rindex("<") :]:
        after = after[: after.rindex("<")]
    before = _SPACE.sub(" ", html_to_text(before))
    after = _SPACE.sub(" ", html_to_text(after))
    if len(before) > CONTEXT_CHARS:
        before = "…" + before[-CONTEXT_CHARS:].split(" ", 1)[-1]
    if len(after) > CONTEXT_CHARS:
        after = after[:CONTEXT_CHARS].rsplit(" ", 1)[0] + "…"
    return before, after


def highlight(html_text: str, entries: list[Entry]) -> SafeString:
    """The (already sanitized) HTML with a <mark> around each finding that lies within one
    run of text, followed by a link to its explanation. Nothing else is changed."""
    pieces, last = [], 0
    for entry in sorted(entries, key=lambda e: (e.finding.start, e.finding.end)):
        start, end = entry.finding.start, entry.finding.end
        if start < last or not in_text(html_text, start, end):
            continue
        entry.marked = True
        pieces.append(html_text[last:start])
        pieces.append(
            format_html(
                '<mark class="finding severity-{}" id="finding-{}" '
                'aria-describedby="finding-{}-message">{}</mark>'
                '<sup class="finding-ref"><a href="#finding-note-{}" '
                'aria-label="Finding {}: {}">{}</a></sup>',
                entry.severity,
                entry.number,
                entry.number,
                # Sanitized HTML from between two tags: text and character references only.
                mark_safe(html_text[start:end] or "‸"),  # noqa: S308
                entry.number,
                entry.number,
                entry.severity,
                entry.number,
            )
        )
        last = end
    pieces.append(html_text[last:])
    return mark_safe("".join(pieces))  # noqa: S308 - sanitized HTML plus our own marks


# A page lists at most this many findings: text that is nothing but errors (a paste gone wrong)
# would otherwise make a page of hundreds of thousands. The counts still cover all of them.
REPORTED_MAX = 500


def build_report(html_text: str, result: CheckResult, *, highlight_text: bool = True) -> Report:
    """`result` must come from checking `html_text`: the findings' offsets are into it. Lists
    the first REPORTED_MAX findings; `Report.omitted` says how many more there are."""
    # What "fix all of this kind" would change: the same rule on the same text, offering the
    # same replacement (as services.fix_all_of_kind picks them).
    kinds = Counter((f.rule, f.text, s) for f in result.findings for s in set(f.suggestions))
    entries = []
    for number, finding in enumerate(result.findings[:REPORTED_MAX], start=1):
        before, after = _context(html_text, finding.start, finding.end)
        entries.append(
            Entry(
                number=number,
                finding=finding,
                flagged=html_to_text(finding.text),
                before=before,
                after=after,
                kind_count=(
                    kinds[(finding.rule, finding.text, finding.suggestions[0])]
                    if finding.suggestions
                    else 1
                ),
            )
        )
    groups = []
    for severity, label in SEVERITY_LABELS.items():
        members = [e for e in entries if e.finding.severity == severity]
        if members:
            groups.append(Group(severity=str(severity), label=label, entries=members))
    report = Report(result=result, entries=entries, groups=groups)
    if highlight_text:
        report.highlighted = highlight(html_text, entries)
    return report


def describe_counts(counts: dict[str, int]) -> str:
    """ "2 errors, 1 suggestion" (style only when there is some)."""

    def count(number: int, noun: str) -> str:
        return f"{number} {noun}{'' if number == 1 else 's'}"

    parts = [
        count(counts.get("error", 0), "error"),
        count(counts.get("suggestion", 0), "suggestion"),
    ]
    if counts.get("style"):
        parts.append(count(counts["style"], "style note"))
    return ", ".join(parts)
