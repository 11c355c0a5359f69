"""The checker's corrections on the CoNLL-2014 test set, beside LanguageTool's and plain Harper's.

    uv run python benchmarks/conll2014.py [--write] [--breakdown] [--examples N] [--save DIR]

Every system is scored by benchmarks/m2score.py (the M2 scorer's method) against
official-2014.combined.m2, in the same run, after the same processing: a corrected text is split
into tokens by `conll_tokens.retokenize`, against the source's tokens. The checker and plain
Harper read each source sentence detokenized (`conll_tokens.detokenize`); LanguageTool's output,
already tokenized by whoever ran it, is detokenized first, so its tokenizer's habits ("his / her")
do not count as edits.

--write puts the table into benchmarks/README.md; --breakdown prints, per rule, the checker's
(and plain Harper's) proposed edits and how many of them the annotators did not make; --save
writes each system's tokenized output, one sentence a line.
"""

import argparse
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.conll_tokens import detokenize, retokenize  # noqa: E402
from benchmarks.m2score import (  # noqa: E402
    Edit,
    M2Sentence,
    Score,
    annotators,
    read_m2,
    score,
    shrink,
    single_annotator,
)
from benchmarks.readme import replace_section  # noqa: E402

DATA = ROOT.parent / "shared" / "gec" / "conll2014"
UNATTRIBUTED = "(no finding there)"


@dataclass
class Run:
    """One system's output on every sentence, and which rule made which change where."""

    name: str
    tokens: list[list[str]]  # the corrected sentences, retokenized
    seconds: float | None  # None: read from a file
    # Per sentence: (start, end, rule) in the detokenized source, for the breakdown.
    spans: list[list[tuple[int, int, str]]] = field(default_factory=list)
    result: Score | None = None  # best of the annotators, sentence by sentence
    single: dict[int, Score] = field(default_factory=dict)  # against each annotator alone


def run_checker(sentences: list[M2Sentence]) -> Run:
    from ficshelf.betareader.engine.checker import check_text, correct_text

    tokens, spans = [], []
    started = time.perf_counter()
    for sentence in sentences:
        source = sentence.source.split()
        text, _ = detokenize(source)
        tokens.append(retokenize(source, correct_text(text)))
    seconds = time.perf_counter() - started
    for sentence in sentences:
        text, _ = detokenize(sentence.source.split())
        findings = check_text(text).findings
        spans.append([(f.start, f.end, f.rule) for f in findings if f.suggestions])
    return Run("Ficshelf checker", tokens, seconds, spans)


def run_plain_harper(sentences: list[M2Sentence]) -> Run:
    from harper import Language, Linter, SuggestionKind

    linter = Linter()
    tokens, spans = [], []
    started = time.perf_counter()
    for sentence in sentences:
        source = sentence.source.split()
        text, _ = detokenize(source)
        lints = linter.lint(text, language=Language.PLAINTEXT)
        lints = [lint for lint in lints if lint.suggestions]
        pieces, last, used = [], 0, []
        for lint in sorted(lints, key=lambda lint: lint.span.start):
            start, end = lint.span.start, lint.span.end
            if start < last:
                continue  # overlaps a fix already applied
            suggestion = lint.suggestions[0]
            pieces.append(text[last:start])
            if suggestion.kind == SuggestionKind.INSERT_AFTER:
                pieces.append(text[start:end] + suggestion.replacement_text)
            elif suggestion.kind == SuggestionKind.REPLACE:
                pieces.append(suggestion.replacement_text)
            last = end
            used.append((start, end, f"harper:{lint.lint_kind}"))
        pieces.append(text[last:])
        tokens.append(retokenize(source, "".join(pieces)))
        spans.append(used)
    return Run("Harper, default rules", tokens, time.perf_counter() - started, spans)


def run_languagetool(sentences: list[M2Sentence], path: Path) -> Run:
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) != len(sentences):
        raise SystemExit(f"{path}: {len(lines)} lines for {len(sentences)} sentences.")
    tokens = []
    for sentence, line in zip(sentences, lines, strict=True):
        text, _ = detokenize(line.split())
        tokens.append(retokenize(sentence.source.split(), text))
    return Run("LanguageTool", tokens, None)


def score_run(run: Run, sentences: list[M2Sentence]) -> None:
    """Best-of-annotators figures (the usual ones), and the figures against each annotator."""
    hypotheses = [" ".join(tokens) for tokens in run.tokens]
    run.result = score(hypotheses, sentences)
    for annotator in annotators(sentences):
        run.single[annotator] = score(hypotheses, single_annotator(sentences, annotator))


def table(runs: list[Run], who: str = "annotator") -> str:
    """One row per system against the best of the annotators, then one per annotator alone."""
    rows = [
        "| System | scored against | P | R | F0.5 | proposed | correct | gold |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        scored = [(f"best of {len(run.single)} {who}s", run.result, True)] if run.single else []
        scored = scored or [("all", run.result, True)]
        scored += [(f"{who} {k} alone", r, False) for k, r in sorted(run.single.items())]
        for label, r, main in scored:
            name = run.name if main else ""
            p, rc, f = f"{r.precision:.1%}", f"{r.recall:.1%}", f"{r.f_score:.1%}"
            if main:
                p, rc, f = f"**{p}**", f"**{rc}**", f"**{f}**"
            rows.append(
                f"| {name} | {label} | {p} | {rc} | {f} | {r.proposed} | {r.correct} | {r.gold} |"
            )
    return "\n".join(rows)


def verdict(runs: list[Run]) -> str:
    """Whether the checker beats LanguageTool as the issue asks: higher F0.5 and precision."""
    ours = next(run.result for run in runs if run.name == "Ficshelf checker")
    theirs = next(run.result for run in runs if run.name == "LanguageTool")
    f_met = ours.f_score > theirs.f_score
    p_met = ours.precision > theirs.precision
    return (
        f"Target, F0.5 above LanguageTool's: **{'met' if f_met else 'missed'}** "
        f"({ours.f_score:.1%} against {theirs.f_score:.1%}); "
        f"with higher precision: **{'met' if p_met else 'missed'}** "
        f"({ours.precision:.1%} against {theirs.precision:.1%})."
    )


def breakdown(run: Run, sentences: list[M2Sentence], examples: int) -> str:
    """Per rule: proposed edits, those the annotators also made, and examples of the others."""
    proposed, correct = Counter(), Counter()
    wrong_examples: dict[str, list[str]] = {}
    for sentence, spans, detail in zip(sentences, run.spans, run.result.sentences, strict=True):
        source = sentence.source.split()
        text, token_spans = detokenize(source)
        matched = Counter(detail.correct)
        for edit in detail.proposed:
            rule = _rule_for(shrink(edit), spans, token_spans, len(text))
            proposed[rule] += 1
            if matched[edit] > 0:
                matched[edit] -= 1
                correct[rule] += 1
            elif len(wrong_examples.setdefault(rule, [])) < examples:
                start, end, original, correction = shrink(edit)
                before = " ".join(source[max(0, start - 4) : start])
                after = " ".join(source[end : end + 4])
                wrong_examples[rule].append(f"…{before} [{original} → {correction}] {after}…")
    lines = [
        f"{run.name}: edits the annotators did not make, by rule",
        f"{'rule':<44} {'wrong':>6} {'proposed':>9} {'correct':>8} {'precision':>9}",
    ]
    for rule in sorted(proposed, key=lambda r: (correct[r] - proposed[r], r)):
        wrong = proposed[rule] - correct[rule]
        lines.append(
            f"{rule:<44} {wrong:>6} {proposed[rule]:>9} {correct[rule]:>8} "
            f"{correct[rule] / proposed[rule]:>9.0%}"
        )
        lines.extend(f"    {example}" for example in wrong_examples.get(rule, []))
    return "\n".join(lines)


def _rule_for(
    edit: Edit, spans: list[tuple[int, int, str]], token_spans: list[tuple[int, int]], length: int
) -> str:
    """The rule whose finding overlaps the edit most in the detokenized source; failing that, one
    that touches it, or one on a neighbouring token (the scorer may split a change differently)."""
    start, end = edit[0], edit[1]
    last = len(token_spans) - 1
    if start < end:
        a, b = token_spans[start][0], token_spans[end - 1][1]
    else:  # an insertion: the gap between two tokens
        a = token_spans[start - 1][1] if start > 0 else 0
        b = token_spans[start][0] if start <= last else length
    wide_a = token_spans[max(0, start - 1)][0] if token_spans else 0
    wide_b = token_spans[min(last, end)][1] if token_spans else length
    best, best_rank = UNATTRIBUTED, None
    for s, e, rule in spans:
        overlap = min(e, b) - max(s, a)
        if overlap > 0:
            rank = (2, overlap)
        elif overlap == 0:
            rank = (1, 0)
        elif min(e, wide_b) - max(s, wide_a) > 0:
            rank = (0, 0)
        else:
            continue
        if best_rank is None or rank > best_rank:
            best, best_rank = rule, rank
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the conll2014 folder")
    parser.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    parser.add_argument("--breakdown", action="store_true", help="wrong edits per rule")
    parser.add_argument("--examples", type=int, default=2, help="examples per rule (breakdown)")
    parser.add_argument("--save", type=Path, help="write each system's tokenized output here")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficshelf.settings")
    import django

    django.setup()

    started = time.perf_counter()
    sentences = read_m2(args.data / "official-2014.combined.m2")
    sources = (args.data / "source.txt").read_text(encoding="utf-8").splitlines()
    if [s.source for s in sentences] != [line.strip() for line in sources]:
        raise SystemExit("source.txt and the M2 file disagree.")
    # The pipeline itself must add no edit: an unchanged sentence comes back token for token.
    for sentence in sentences:
        tokens = sentence.source.split()
        if retokenize(tokens, detokenize(tokens)[0]) != tokens:
            raise SystemExit(f"Retokenizing changes an unchanged sentence: {sentence.source}")

    runs = [
        run_checker(sentences),
        run_languagetool(sentences, args.data / "languagetool-output.txt"),
        run_plain_harper(sentences),
    ]
    for run in runs:
        score_run(run, sentences)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            name = run.name.split(",")[0].lower().replace(" ", "-")
            lines = [" ".join(tokens) for tokens in run.tokens]
            (args.save / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = f"{table(runs)}\n\n{verdict(runs)}"
    print(f"CoNLL-2014 test set, {len(sentences)} sentences, M2 scorer method (beta 0.5)\n")
    print(result)
    print()
    for run in runs:
        if run.seconds is not None:
            print(f"{run.name}: corrected {len(sentences)} sentences in {run.seconds:.1f} s")
    print(f"Whole run: {time.perf_counter() - started:.0f} s")
    if args.breakdown:
        for run in runs:
            if run.spans:
                print()
                print(breakdown(run, sentences, args.examples))
    if args.write:
        replace_section("conll2014", f"{result}\n\nLast run: {date.today().isoformat()}.")
        print("\nbenchmarks/README.md updated.")


if __name__ == "__main__":
    main()
