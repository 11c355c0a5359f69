"""The gain on real-word errors (issue 14, part 1): the checker in three configurations, in
one run: before the real-word rules (`engine/rules/real_words.py`) and the context layer
(`engine/context.py`), with the rules only, and with both.

    .venv/bin/python benchmarks/context.py [--words N] [--examples]

1. The seed's real-word errors the issue names ("said and dead", "wind tying", "highly
   populate", "known it something", "was no coiled"): whether a finding covers the word with
   the right fix in each configuration, and which rule gave it.
2. CoNLL-2014 (the development set): P, R and F0.5 of `correct_text` in each configuration,
   by benchmarks/m2score.py against both annotators (best of the two), after the same
   processing as benchmarks/conll2014.py.
3. The fixture passages (benchmarks/fixtures/passages.json): expected errors found, errors
   on the clean passages.
4. Jane Austen's novels (benchmarks/novels.py, as `en-GB`, --words words of each, default
   40,000, from after the first 300,000 characters the thresholds were chosen on):
   error-level and suggestion-level findings per 10,000 words in each configuration, and the
   real-word findings (the rules' and the layer's).

Every figure is measured here, all three ways, in the same process.
"""

import argparse
import contextlib
import json
import re
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.conll_tokens import detokenize, retokenize  # noqa: E402
from benchmarks.m2score import read_m2, score  # noqa: E402

PASSAGES = ROOT / "benchmarks" / "fixtures" / "passages.json"
SEED = ROOT.parent / "shared" / "seed" / "000_a100ff2d1837b2ec.txt"
CONLL = ROOT.parent / "shared" / "gec" / "conll2014" / "official-2014.combined.m2"
# The list: the words around the error (to find it in the seed), the error, the fix.
SEED_ERRORS = (
    ("said and dead", "dead", "done"),
    ("wind tying desperately", "tying", "trying"),
    ("highly populate area", "populate", "populated"),
    ("known it something", "it", "if"),
    ("was no coiled", "no", "so"),
)
RULE = "fiction:context"
RULES = "fiction:real-word"
# Label, context layer on, real-word rules on.
CONFIGURATIONS = (
    ("before the real-word rules and the layer", False, False),
    ("with the real-word rules", False, True),
    ("with the rules and the layer", True, True),
)


@contextlib.contextmanager
def real_word_rules(on: bool):
    """The checker with `rules/real_words.py` as it is, or silenced (for the "before" row)."""
    from ficshelf.betareader.engine.rules import real_words

    if on:
        yield
        return
    with mock.patch.object(real_words, "find", lambda doc: []):
        yield


def check(text: str, layer: bool, rules: bool, **options):
    from ficshelf.betareader.engine import check_text

    with real_word_rules(rules):
        return check_text(text, context=layer, **options)


def real_word_finding(finding) -> bool:
    return finding.rule in (RULE, RULES)


# The layer's thresholds were chosen on the first 300,000 characters of each novel (and on
# CoNLL-2014 and the fixtures): the novels' figures here come from after that part.
TUNED_CHARACTERS = 300_000


def seed_rows(text: str) -> tuple[list[dict], list]:
    runs = {label: check(text, layer, rules).findings for label, layer, rules in CONFIGURATIONS}
    rows = []
    for phrase, word, fix in SEED_ERRORS:
        match = re.search(re.escape(phrase), text)
        row = {"phrase": phrase, "fix": fix}
        if match is None:
            rows.append(row)
            continue
        start = match.start() + phrase.index(word)
        end = start + len(word)
        for label, findings in runs.items():
            right = [
                f
                for f in findings
                if f.start <= start and end <= f.end and any(fix in s for s in f.suggestions)
            ]
            row[label] = right[0].rule if right else None
        rows.append(row)
    real_word_findings = [f for f in runs[CONFIGURATIONS[-1][0]] if real_word_finding(f)]
    return rows, real_word_findings


def passage_rows(path: Path) -> dict:
    """The fixture passages: expected errors found in `injected`, and the findings on `clean`
    (which has no errors), in each configuration."""
    from ficshelf.betareader.engine import Severity

    cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
    rows = {}
    for label, layer, rules in CONFIGURATIONS:
        row = rows[label] = {"expected": 0, "found": 0, "clean_errors": 0, "context": 0}
        for case in cases:
            vocabulary = case.get("vocabulary", [])
            clean = check(case["clean"], layer, rules, vocabulary=vocabulary).findings
            row["clean_errors"] += sum(f.severity == Severity.ERROR for f in clean)
            injected = check(case["injected"], layer, rules, vocabulary=vocabulary)
            row["context"] += sum(real_word_finding(f) for f in clean + injected.findings)
            for expected in case["expected"]:
                row["expected"] += 1
                match = re.search(rf"\b{re.escape(expected['text'])}\b", case["injected"])
                if match and any(
                    f.start < match.end()
                    and match.start() < f.end
                    and (
                        not expected.get("fix") or any(expected["fix"] in s for s in f.suggestions)
                    )
                    for f in injected.findings
                ):
                    row["found"] += 1
    return rows


def conll_scores(path: Path) -> dict:
    from ficshelf.betareader.engine import correct_text

    sentences = read_m2(path)
    results = {}
    # No times here: the second pass would read Harper's cache (benchmarks/speed.py times).
    for label, layer, rules in CONFIGURATIONS:
        hypotheses = []
        for sentence in sentences:
            source = sentence.source.split()
            text, _ = detokenize(source)
            with real_word_rules(rules):
                corrected = correct_text(text, context=layer)
            hypotheses.append(" ".join(retokenize(source, corrected)))
        results[label] = score(hypotheses, sentences)
    return results


def novel_rates(words: int, skip: int, examples: list) -> dict:
    from benchmarks.novels import read_novels
    from benchmarks.silence import chapters
    from ficshelf.betareader.engine import Severity

    totals = {
        label: {"words": 0, "errors": 0, "suggestions": 0, "context_errors": 0, "context": 0}
        for label, _, _ in CONFIGURATIONS
    }
    last = CONFIGURATIONS[-1][0]
    for title, text in read_novels().items():
        for chapter in chapters(text[skip:], words):
            for label, layer, rules in CONFIGURATIONS:
                result = check(chapter, layer, rules, variant="en-GB")
                row = totals[label]
                row["words"] += result.word_count
                for finding in result.findings:
                    if finding.severity == Severity.ERROR:
                        row["errors"] += 1
                    elif finding.severity == Severity.SUGGESTION:
                        row["suggestions"] += 1
                    if real_word_finding(finding):
                        row["context"] += 1
                        row["context_errors"] += finding.severity == Severity.ERROR
                        if label != last:
                            continue
                        around = chapter[max(0, finding.start - 40) : finding.end + 40]
                        examples.append(
                            (title, finding.rule, str(finding.severity), finding.text,
                             finding.suggestions, " ".join(around.split()))
                        )  # fmt: skip
    return totals


def layer_cost(words: int, skip: int) -> tuple[float, float, int]:
    """CPU milliseconds per 1,000 words of the context layer alone and of the real-word rules
    alone on the novels' chapters, their per-word memos emptied first (what a fresh worker
    pays)."""
    from benchmarks.novels import read_novels
    from benchmarks.silence import chapters
    from ficshelf.betareader.engine import context
    from ficshelf.betareader.engine.document import Document
    from ficshelf.betareader.engine.rules import real_words
    from ficshelf.betareader.engine.spelling import Lexicon

    context.model()
    context.candidates.cache_clear()
    context.weigh.cache_clear()
    for memo in (real_words.participle_of, real_words.is_adjective):
        memo.cache_clear()
    known, layer, rules, counted = Lexicon(), 0.0, 0.0, 0
    for text in read_novels().values():
        for chapter in chapters(text[skip:], words):
            doc = Document(chapter)
            _ = doc.words, doc.words_by_lower  # the document's own work is the checker's
            started = time.process_time()
            context.find(doc, known)
            layer += time.process_time() - started
            started = time.process_time()
            real_words.find(doc)
            rules += time.process_time() - started
            counted += len(chapter.split())
    return layer * 1_000_000 / counted, rules * 1_000_000 / counted, counted


def per_10k(count: int, words: int) -> str:
    return f"{10_000 * count / words:.2f}" if words else "—"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=40_000, help="words of each novel")
    parser.add_argument("--examples", action="store_true", help="list the layer's findings")
    parser.add_argument(
        "--skip",
        type=int,
        default=TUNED_CHARACTERS,
        help="characters of each novel to pass over (default: those the thresholds were chosen on)",
    )
    args = parser.parse_args(argv)
    started = time.time()

    seed_text = SEED.read_text(encoding="utf-8")
    rows, seed_findings = seed_rows(seed_text)
    labels = [label for label, _, _ in CONFIGURATIONS]
    print("## The seed's real-word errors (issue 14)\n")
    print("| Error | fix | " + " | ".join(f"found {label}" for label in labels) + " |")
    print("| --- | --- |" + " --- |" * len(labels))
    for row in rows:
        cells = [
            "not in the seed" if label not in row else f"yes ({row[label]})" if row[label] else "no"
            for label in labels
        ]
        print(f"| {row['phrase']} | {row['fix']} | " + " | ".join(cells) + " |")
    print()
    for label in labels:
        print(f"Found {label}: {sum(bool(r.get(label)) for r in rows)} of {len(rows)}.")
    print(f"The real-word findings (rules and layer) on the whole seed: {len(seed_findings)}")
    for finding in seed_findings:
        print(f"  {finding.rule} {finding.severity}: {finding.text!r} -> {finding.suggestions}")

    print("\n## The fixture passages (benchmarks/fixtures/passages.json)\n")
    print("| Checker | expected errors found | errors on the clean passages | real-word findings |")
    print("| --- | ---: | ---: | ---: |")
    for label, row in passage_rows(PASSAGES).items():
        print(
            f"| {label} | {row['found']} of {row['expected']} | {row['clean_errors']} | "
            f"{row['context']} |"
        )

    print("\n## CoNLL-2014 (development set), correct_text, best of both annotators\n")
    print("| Checker | P | R | F0.5 | proposed | correct | gold |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, result in conll_scores(CONLL).items():
        print(
            f"| {label} | {result.precision:.1%} | {result.recall:.1%} | {result.f_score:.1%} | "
            f"{result.proposed} | {result.correct} | {result.gold} |"
        )

    examples: list = []
    totals = novel_rates(args.words, args.skip, examples)
    print(
        f"\n## Jane Austen's six novels, {args.words:,} words of each after its first "
        f"{args.skip:,} characters, as en-GB\n"
    )
    print(
        "| Checker | words | errors per 10,000 words | suggestions per 10,000 words "
        "| real-word errors | real-word suggestions |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, row in totals.items():
        print(
            f"| {label} | {row['words']:,} | {per_10k(row['errors'], row['words'])} | "
            f"{per_10k(row['suggestions'], row['words'])} | {row['context_errors']} | "
            f"{row['context'] - row['context_errors']} |"
        )
    layer, rules, counted = layer_cost(args.words, args.skip)
    print(
        f"\nMemos emptied first, ms of CPU per 1,000 words ({counted:,} words): the layer "
        f"alone {layer:.1f}, the real-word rules alone {rules:.1f}."
    )
    if args.examples:
        for example in examples:
            print("  ", example)
    print(f"\nWhole run: {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
