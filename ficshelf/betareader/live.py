"""Checking text while it is typed into a posting form (the findings panel beside the text).

Nothing is saved. Two things make this different from the report:

- Offsets are into the text as typed (the textarea's own text: HTML, plain text or
  Markdown), not into the clean HTML the checker reads, and in UTF-16 code units, as a
  browser counts them. A finding's text is found in both by its occurrences, the k-th in the
  HTML being the k-th in the typed text (& < > may be written as entities or escapes); when
  the counts differ nothing is guessed and the finding has no one-click fix.
- Only what changed is checked. The clean HTML is cut into runs of paragraphs (where to cut
  depends on the paragraphs themselves, so an edit moves no cut far from it), and each run's
  findings are kept for the next check in one cache entry per author and form. A request
  checks the runs it has no findings for, nearest the caret first, for at most
  LIVE_BUDGET_SECONDS, and says how many are left: the panel asks again at once.
  Each run is checked on its own: a finding that needs a paragraph of the run before it (a
  quotation left open across paragraphs that are cut apart) can differ from the full report.
- What each request does for the whole text is kept cheap: words are counted per run (kept
  with its findings), and a finding's occurrences in the clean HTML are looked for run by run,
  each run's kept in this process by its digest, so an edit reads only the runs it changed.
"""

import bisect
import hashlib
import html
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.core.cache import cache

from ficshelf.userstuff import TextFormat, count_words, to_html

from .engine.findings import CheckResult, Finding
from .engine.html_text import extract
from .models import CHECKER_VERSION
from .services import (
    check_chapter_html,
    ignored_findings,
    in_text,
    require_creator,
    source_pattern,
    source_replacement,
    variant_of,
    vocabulary_for,
)

# Over this many characters of HTML (some 20,000 words) a chapter is not checked while it is
# typed: even with only the changed paragraphs checked, each pause would cost the server the
# extraction and mapping of the whole text. The saved chapter's report checks it.
LIVE_CHARACTERS_MAX = 120_000
TOO_LONG_MESSAGE = (
    "This chapter is too long to check while you type. Save it, then open its beta reader "
    "report (long chapters are checked in the background)."
)
# The panel lists at most this many findings, those nearest the caret (all are counted).
LISTED_MAX = 60
# What one request may spend checking paragraphs it has not seen, those by the caret first (so
# they show within a few hundred milliseconds); the rest waits for the next request.
LIVE_BUDGET_SECONDS = 0.3
# A run of paragraphs is cut after a paragraph once it holds RUN_MIN characters and the
# paragraph's opening says so (one in four), or in any case at RUN_MAX: big enough that the
# checker sees a short paragraph with what is around it, small enough to re-check quickly.
RUN_MIN = 600
RUN_MAX = 3_000
# How much of a paragraph's opening decides a cut after it: an edit further in, the common
# case, leaves the cuts where they were, so only its own run is checked again.
CUT_BY = 48
_BLOCK_END = re.compile(r"(?:</p>|<hr>|</blockquote>|</li>|</pre>|</h[1-6]>)\n?")
MEMO_SECONDS = 60 * 60
# What the cache entry holds per run; a change here drops the entries kept in the old form.
MEMO_FORM = "2"
# Occurrences of a finding's text in one run, by (run digest, text), kept in this process for
# the next request: at most this many, then they are all forgotten (no order kept, no lock).
_OCCURRENCES_MAX = 20_000
_occurrences: dict[tuple[str, str], tuple[tuple[int, int], ...]] = {}


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def runs_of(clean: str) -> list[tuple[int, str]]:
    """The clean HTML cut into runs of whole top-level blocks: (offset, html) each."""
    runs, start, block_start = [], 0, 0
    for block_end in _BLOCK_END.finditer(clean):
        position = block_end.end()
        # Whether to cut after a block depends on that block's opening alone, so the runs
        # after an edit are cut where they were before it.
        opening = clean[block_start : min(block_start + CUT_BY, position)]
        block_start = position
        size = position - start
        if size >= RUN_MAX or (size >= RUN_MIN and _digest(opening)[0] in "0123"):
            runs.append((start, clean[start:position]))
            start = position
    if start < len(clean):
        runs.append((start, clean[start:]))
    return runs


@dataclass(frozen=True)
class SourceFix:
    """Replace the typed text's [start, end) (UTF-16 offsets), which must still read
    `expected`, with `replacement` (as typed: escaped for Markdown or HTML)."""

    start: int
    end: int
    expected: str
    replacement: str
    suggestion: str  # as the author reads it, for the button


@dataclass
class LiveFinding:
    finding: Finding  # offsets into the clean HTML
    span: tuple[int, int] | None = None  # UTF-16 offsets into the typed text, when found
    fixes: list[SourceFix] = field(default_factory=list)


@dataclass
class LiveCheck:
    clean: str  # the HTML the text would be stored as
    result: CheckResult
    findings: dict[tuple[int, int, str], LiveFinding]  # by (start, end, rule)
    runs: int = 0
    runs_left: int = 0  # not checked yet: the panel asks again
    near: int = 0  # where the caret is, in the clean HTML

    def of(self, finding: Finding) -> LiveFinding | None:
        return self.findings.get((finding.start, finding.end, finding.rule))

    def listed(self, limit: int = LISTED_MAX) -> CheckResult:
        """The result with only the `limit` findings nearest the caret, in text order."""
        findings = self.result.findings
        if len(findings) > limit:
            nearest = sorted(findings, key=lambda f: abs(f.start - self.near))[:limit]
            findings = sorted(nearest, key=lambda f: (f.start, f.end))
        return replace(self.result, findings=findings)


# --- Finding the typed text's span for each finding --------------------------------------------


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class _Utf16:
    """Offsets in a str (code points) as a browser counts them (UTF-16 code units)."""

    def __init__(self, text: str):
        self.astral = [m.start() for m in _ASTRAL.finditer(text)] if not text.isascii() else []

    def __call__(self, offset: int) -> int:
        return offset + bisect.bisect_left(self.astral, offset) if self.astral else offset


def _runs_of_text(html_text: str):
    """Occurrences of a visible text within one run of text of `html_text` (never across
    markup), from one extraction of it."""
    extracted = extract(html_text)

    def spans(visible: str) -> list[tuple[int, int]]:
        found, at = [], extracted.text.find(visible)
        while at != -1:
            start, end, plain = extracted.html_span(at, at + len(visible))
            # Plain: the very characters, between tags (the common case, and quick to tell).
            if plain or (
                in_text(html_text, start, end) and html.unescape(html_text[start:end]) == visible
            ):
                found.append((start, end))
            at = extracted.text.find(visible, at + len(visible))
        return found

    return spans


def _runs_of_text_by_run(clean: str, runs: list[tuple[int, str]], digests: list[str]):
    """The same as _runs_of_text(clean), from the runs of `clean` (runs_of), each run's
    occurrences kept in this process by its digest (`digests`, one a run). The runs end after
    a block's end tag, where the extracted text ends in a paragraph break, so the clean's
    extracted text is its runs' one after another; only a text with a line break could stand
    across two runs."""
    whole = None
    extracted: dict[int, object] = {}

    def spans(visible: str) -> list[tuple[int, int]]:
        nonlocal whole
        if "\n" in visible:
            whole = whole or _runs_of_text(clean)
            return whole(visible)
        found = []
        for number, (offset, run) in enumerate(runs):
            # Without "&" the HTML of an occurrence is the very text: a quick test of most runs.
            if visible not in run and "&" not in run:
                continue
            key = (digests[number], visible)
            local = _occurrences.get(key)
            if local is None:
                if number not in extracted:
                    extracted[number] = _runs_of_text(run)
                local = tuple(extracted[number](visible))
                if len(_occurrences) >= _OCCURRENCES_MAX:
                    _occurrences.clear()
                _occurrences[key] = local
            found += [(offset + start, offset + end) for start, end in local]
        return found

    return spans


class SourceMap:
    """Where each finding of the clean HTML stands in the text as it was typed."""

    def __init__(
        self,
        source: str,
        text_format: str,
        clean: str,
        runs: list[tuple[int, str]] | None = None,
        digests: list[str] | None = None,
    ):
        self.source, self.text_format = source, text_format
        # With the runs the check cut it into (and their digests), the clean HTML is read run by
        # run; without, whole.
        if runs is None or digests is None:
            self.in_clean = _runs_of_text(clean)
        else:
            self.in_clean = _runs_of_text_by_run(clean, runs, digests)
        self.in_html_source = None
        if text_format == TextFormat.HTML:
            # HTML typed as the archive keeps it (the edit form of a saved chapter): the same.
            self.in_html_source = self.in_clean if source == clean else _runs_of_text(source)
        self.utf16 = _Utf16(source)
        self._memo: dict[str, tuple[list, list]] = {}

    def _occurrences(self, visible: str) -> tuple[list, list]:
        if visible not in self._memo:
            if self.in_html_source is not None:
                typed = self.in_html_source(visible)
            else:
                pattern = source_pattern(visible, self.text_format)
                typed = [m.span() for m in pattern.finditer(self.source)]
            self._memo[visible] = (self.in_clean(visible), typed)
        return self._memo[visible]

    def span_of(self, finding: Finding) -> tuple[int, int] | None:
        """The finding's span in the typed text (code points), or None when it cannot be told."""
        visible = html.unescape(finding.text)
        if not visible or not visible.strip():
            return None
        in_clean, typed = self._occurrences(visible)
        if (finding.start, finding.end) not in in_clean or len(in_clean) != len(typed):
            return None
        return typed[in_clean.index((finding.start, finding.end))]

    def replacement(self, suggestion: str) -> str:
        if self.text_format == TextFormat.HTML:
            return html.escape(suggestion, quote=False)
        return source_replacement(suggestion, self.text_format)

    def locate(self, finding: Finding) -> LiveFinding:
        span = self.span_of(finding)
        if span is None:
            return LiveFinding(finding)
        start, end = span
        located = LiveFinding(finding, span=(self.utf16(start), self.utf16(end)))
        for suggestion in finding.suggestions:
            located.fixes.append(
                SourceFix(
                    start=located.span[0],
                    end=located.span[1],
                    expected=self.source[start:end],
                    replacement=self.replacement(suggestion),
                    suggestion=suggestion,
                )
            )
        return located


# --- Checking only what changed ----------------------------------------------------------------


def _memo_key(user, work, chapter) -> str:
    return f"betareader:live:{user.pk}:{getattr(work, 'pk', 0)}:{getattr(chapter, 'pk', 0)}"


def _signature(vocabulary: set[str], ignored: set, variant: str) -> str:
    parts = [CHECKER_VERSION, MEMO_FORM, variant, *sorted(vocabulary), "\x00"]
    parts += map(repr, sorted(ignored))
    return _digest("\x01".join(parts))


def _check_runs(
    runs: list[tuple[int, str]], digests: list[str], *, memo: dict, near: int, check_run
) -> tuple[list[Finding], set[str], int, int]:
    """The findings of every run already known or checked now (offsets into the whole HTML),
    the skipped reasons, how many runs are left for the next request, and how many runs were
    checked now."""
    todo = sorted(
        (i for i, digest in enumerate(digests) if digest not in memo),
        key=lambda i: abs(runs[i][0] - near),
    )
    deadline = time.perf_counter() + LIVE_BUDGET_SECONDS
    left = checked = 0
    for number, index in enumerate(todo):
        if number and time.perf_counter() > deadline:
            left = len(todo) - number
            break
        run = runs[index][1]
        result = check_run(run)
        found = [f.as_json() for f in result.findings]
        memo[digests[index]] = (found, result.skipped_reason, result.word_count, count_words(run))
        checked += 1
    findings, reasons, english_runs = [], set(), 0
    for (offset, _), digest in zip(runs, digests, strict=True):
        known = memo.get(digest)
        if known is None:
            continue
        found, skipped, words, _ = known
        if skipped:
            reasons.add(skipped)
        elif words:
            english_runs += 1
        for data in found:
            finding = Finding.from_json(data)
            findings.append(
                replace(finding, start=finding.start + offset, end=finding.end + offset)
            )
    # Skipped only when no run was English: a paragraph in another language is left out quietly.
    return findings, (reasons if not english_runs else set()), left, checked


def check_while_typing(
    *,
    user,
    text: str,
    text_format: str,
    work=None,
    chapter=None,
    language: str = "",
    tag_names: Iterable[str] = (),
    caret: int | None = None,
) -> LiveCheck:
    """Check text typed into a posting form, saving nothing; each finding located in `text`.

    `text` is the textarea's own text (line ends as LF); `language` is the form's language
    when the work is not saved yet (else the work's); `caret` says where the author is typing,
    whose paragraphs are checked first. Raises TextRefused for text the archive would refuse."""
    if work is not None:
        require_creator(work, user)
    clean = to_html(text, text_format)
    if len(clean) > LIVE_CHARACTERS_MAX:
        result = CheckResult(findings=[], skipped_reason=TOO_LONG_MESSAGE)
        result.word_count = count_words(clean)
        return LiveCheck(clean=clean, result=result, findings={})
    vocabulary = vocabulary_for(work, user, tag_names=tag_names)
    ignored = ignored_findings(work, chapter)
    variant = variant_of(work) if work is not None else (language or "en")
    signature = _signature(vocabulary, ignored, variant)

    key = _memo_key(user, work, chapter)
    stored = cache.get(key)
    memo = stored["runs"] if stored and stored.get("signature") == signature else {}
    runs = runs_of(clean)
    digests = [_digest(run) for _, run in runs]
    near = round(len(clean) * caret / max(1, len(text))) if caret is not None else 0

    def check_run(run: str) -> CheckResult:
        return check_chapter_html(
            run, vocabulary=vocabulary, ignored=ignored, include_style=False, variant=variant
        )

    findings, skipped, left, checked_now = _check_runs(
        runs, digests, memo=memo, near=near, check_run=check_run
    )
    # Only the runs of this text are kept: the entry stays the size of one chapter's findings.
    # Written only when that changes (a run checked, or a run of the entry gone from the text).
    current = set(digests)
    kept = {digest: value for digest, value in memo.items() if digest in current}
    if checked_now or not stored or stored.get("signature") != signature or len(kept) < len(memo):
        cache.set(key, {"signature": signature, "runs": kept}, MEMO_SECONDS)
    findings.sort(key=lambda f: (f.start, f.end))
    # Runs not checked yet count as they will when they are: words are counted per run.
    words = sum(
        memo[digest][3] if digest in memo else count_words(run)
        for digest, (_, run) in zip(digests, runs, strict=True)
    )
    result = CheckResult(
        findings=findings, skipped_reason=" ".join(sorted(skipped)) or None, word_count=words
    )
    checked = LiveCheck(
        clean=clean, result=result, findings={}, runs=len(runs), runs_left=left, near=near
    )
    # Only the findings the panel lists are looked for in the typed text.
    source_map = SourceMap(text, text_format, clean, runs, digests)
    for finding in checked.listed().findings:
        checked.findings[(finding.start, finding.end, finding.rule)] = source_map.locate(finding)
    return checked
