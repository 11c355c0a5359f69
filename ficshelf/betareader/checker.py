"""The checker's public interface. (First cut: Harper passed through; fiction rules to come.)

- check_text(text, *, vocabulary=(), include_style=False) -> CheckResult, offsets into `text`.
- check_html(html, *, vocabulary=(), include_style=False) -> CheckResult, offsets into `html`;
  a finding whose span crosses markup has no suggestions (no one-click fix).
- apply_fix(text, *, start, end, expected, replacement) -> str; raises StaleText when
  text[start:end] != expected (the text changed since it was checked).
- correct_text(text) -> str: every error and suggestion fixed with its first suggestion
  (used by the benchmarks).
"""

import threading
from collections.abc import Iterable

from harper import Language, Linter

from .findings import Category, CheckResult, Finding, Severity

_local = threading.local()


class StaleText(ValueError):
    """The text changed since it was checked: check again before fixing."""


def _linter() -> Linter:
    # A Linter is expensive to build and not thread-safe: one per thread, reused.
    linter = getattr(_local, "linter", None)
    if linter is None:
        linter = _local.linter = Linter()
    return linter


def check_text(
    text: str, *, vocabulary: Iterable[str] = (), include_style: bool = False
) -> CheckResult:
    findings = []
    for lint in _linter().lint(text, language=Language.PLAINTEXT):
        findings.append(
            Finding(
                start=lint.span.start,
                end=lint.span.end,
                text=lint.problem_text,
                severity=Severity.SUGGESTION,
                category=Category.GRAMMAR,
                rule=f"harper:{lint.lint_kind}",
                message=lint.message,
                suggestions=tuple(s.replacement_text for s in lint.suggestions),
            )
        )
    return CheckResult(findings=findings, word_count=len(text.split()))


def check_html(
    html: str, *, vocabulary: Iterable[str] = (), include_style: bool = False
) -> CheckResult:
    raise NotImplementedError


def apply_fix(text: str, *, start: int, end: int, expected: str, replacement: str) -> str:
    if text[start:end] != expected:
        raise StaleText("The text changed since it was checked.")
    return text[:start] + replacement + text[end:]


def correct_text(text: str) -> str:
    result = check_text(text)
    corrected, last = [], 0
    for finding in sorted(result.findings, key=lambda f: f.start):
        if finding.severity == Severity.STYLE or not finding.suggestions or finding.start < last:
            continue
        corrected.append(text[last : finding.start])
        corrected.append(finding.suggestions[0])
        last = finding.end
    corrected.append(text[last:])
    return "".join(corrected)
