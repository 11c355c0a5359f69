"""Rules written as regular expressions over the normalized text (straight quotes).

A pattern flags its group `x` (or `y`, or the whole match) and proposes `fix`, a format string
over the match's named groups, put in the case of the flagged text. Each pattern names its
`anchors`, words one of which every match contains: the regex only runs in a small window
around those words, which keeps a hundred patterns fast on a long chapter.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..document import Document, match_case
from ..findings import Category, Finding, Severity

Check = Callable[[Document, re.Match], bool]


@dataclass(frozen=True)
class Pattern:
    rule: str
    category: Category
    severity: Severity
    regex: re.Pattern
    fix: str | tuple[str, ...] | Callable[[re.Match], tuple[str, ...]]
    message: str
    anchors: frozenset[str]
    narration_only: bool = False  # dialogue may use the form on purpose ("I seen it")
    check: Check | None = None


def pattern(
    rule: str,
    anchors: Iterable[str] | str,
    category: Category,
    severity: Severity,
    regex: str,
    fix: str | tuple[str, ...] | Callable[[re.Match], tuple[str, ...]],
    message: str,
    *,
    narration_only: bool = False,
    check: Check | None = None,
) -> Pattern:
    return Pattern(
        rule=f"fiction:{rule}",
        category=category,
        severity=severity,
        regex=re.compile(regex, re.IGNORECASE),
        fix=fix,
        message=message,
        anchors=frozenset(
            word.lower() for word in (anchors.split() if isinstance(anchors, str) else anchors)
        ),
        narration_only=narration_only,
        check=check,
    )


def words_alternation(words: Iterable[str]) -> str:
    """A regex alternation of `words`, longest first, spaces matching any run of spaces."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


# A match starts at most this many words before its anchor, and may look this far after it.
_WORDS_BEFORE, _AFTER = 3, 160


def _matches(doc: Document, rule: Pattern) -> Iterable[re.Match]:
    """Matches that contain an anchor word, tried only at the starts of the few words before
    it (and at their apostrophes, for "he'd", "they're")."""
    text, words = doc.normalized, doc.words
    seen = set()
    for anchor in rule.anchors:
        for word, index in doc.words_by_lower.get(anchor, ()):
            endpos = min(len(text), word.end + _AFTER)
            for before in words[max(0, index - _WORDS_BEFORE) : index + 1]:
                starts = [before.start]
                if "'" in before.text:
                    starts.append(before.start + before.text.index("'"))
                for start in starts:
                    match = rule.regex.match(text, start, endpos)
                    if match and word.start < match.end() and match.span() not in seen:
                        seen.add(match.span())
                        yield match


def run_patterns(doc: Document, patterns: Iterable[Pattern]) -> list[Finding]:
    findings = []
    for rule in patterns:
        for match in _matches(doc, rule):
            group = next(
                (g for g in ("x", "y") if g in rule.regex.groupindex and match.start(g) >= 0), 0
            )
            start, end = match.span(group)
            if start < 0 or start == end:
                continue
            if rule.narration_only and doc.in_dialogue(start):
                continue
            if rule.check is not None and not rule.check(doc, match):
                continue
            original = match.group(group)
            fields = {key: value or "" for key, value in match.groupdict().items()}
            if callable(rule.fix):
                fixes = rule.fix(match)
            else:
                templates = (rule.fix,) if isinstance(rule.fix, str) else rule.fix
                fixes = tuple(template.format(**fields) for template in templates)
            fixes = tuple(match_case(original, " ".join(fix.split())) for fix in fixes)
            findings.append(
                doc.finding(
                    start,
                    end,
                    severity=rule.severity,
                    category=rule.category,
                    rule=rule.rule,
                    message=rule.message.format(text=" ".join(original.split()), **fields),
                    suggestions=fixes,
                )
            )
    return findings
