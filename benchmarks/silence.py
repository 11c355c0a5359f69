"""Silence on good prose: the checker's error-level findings per 10,000 words of edited,
published fiction (Jane Austen's six novels, benchmarks/novels.py), beside plain Harper's lints.

    .venv/bin/python benchmarks/silence.py [--write] [--breakdown] [--words N]

The novels are split in two, fixed before any of the held-out three was looked at: the
checker's policy is tuned on DEVELOPMENT (Emma, Mansfield Park, Sense and Sensibility) only,
and HELD_OUT (Northanger Abbey, Persuasion, Pride and Prejudice) is reported apart, in the
same run. --breakdown prints examples from the development novels only, so that tuning never
sees a held-out finding.

Every finding on these novels is taken as false: they are edited, published text, and what a
modern reader might call a mistake in them (Austen's "chuse", "her's") is the period's spelling.
Each novel is checked chapter by chapter, as a work in British English would be (`en-GB`:
the checker's UK variant); plain Harper is `Linter().lint(text)` (American, default rules).
--words checks only the first N words of each novel; --breakdown prints, per rule, how many
error-level findings and an example of each.
"""

import argparse
import re
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.readme import replace_section  # noqa: E402

TARGET = 1.0  # error-level findings per 10,000 words
DEVELOPMENT = ("Emma", "Mansfield Park", "Sense and Sensibility")
HELD_OUT = ("Northanger Abbey", "Persuasion", "Pride and Prejudice")
_CHAPTER = re.compile(r"^\s*CHAPTER\s+[IVXLC\d]+\.?\s*$", re.M | re.I)


def chapters(text: str, words: int | None = None) -> list[str]:
    """The novel's chapters (cut at its CHAPTER headings), up to about `words` words."""
    pieces = [piece.strip() for piece in _CHAPTER.split(text) if piece.strip()]
    if words is None:
        return pieces
    kept, count = [], 0
    for piece in pieces:
        if count >= words:
            break
        kept.append(piece)
        count += len(piece.split())
    return kept


def measure(
    novels: dict[str, str], *, words: int | None, examples: dict, variant: str = "en-GB"
) -> list[dict]:
    from harper import Language, Linter

    from ficshelf.betareader.engine import Severity, check_text

    linter = Linter()
    rows = []
    for title, text in novels.items():
        row = {"novel": title, "words": 0, "errors": 0, "suggestions": 0, "harper": 0}
        row["split"] = "development" if title in DEVELOPMENT else "held out"
        for chapter in chapters(text, words):
            result = check_text(chapter, variant=variant)
            row["words"] += result.word_count
            for finding in result.findings:
                if finding.severity == Severity.ERROR:
                    row["errors"] += 1
                    if title not in DEVELOPMENT:
                        continue  # held out: counted, never shown
                    context = chapter[max(0, finding.start - 40) : finding.end + 40]
                    examples[finding.rule].append(" ".join(context.split()))
                elif finding.severity == Severity.SUGGESTION:
                    row["suggestions"] += 1
            row["harper"] += len(linter.lint(chapter, language=Language.PLAINTEXT))
        rows.append(row)
    return rows


def _total(name: str, rows: list[dict]) -> dict:
    keys = ("words", "errors", "suggestions", "harper")
    return {"novel": name, "split": "", **{k: sum(r[k] for r in rows) for k in keys}}


def _rate(row: dict) -> float:
    return row["errors"] * 10_000 / max(1, row["words"])


def table(rows: list[dict]) -> str:
    development = [r for r in rows if r["split"] == "development"]
    held_out = [r for r in rows if r["split"] != "development"]
    lines = [
        "| Novel | split | words | errors | errors per 10,000 words "
        "| suggestions per 10,000 words | plain Harper's lints per 10,000 words |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    totals = [_total("**development (tuned on)**", development)]
    if held_out:
        totals.append(_total("**held out (never tuned on)**", held_out))
    totals.append(_total("**all**", rows))
    for row in [*development, *held_out, *totals]:
        per = 10_000 / max(1, row["words"])
        lines.append(
            f"| {row['novel']} | {row['split']} | {row['words']:,} | {row['errors']} "
            f"| {_rate(row):.2f} | {row['suggestions'] * per:.1f} | {row['harper'] * per:.1f} |"
        )
    lines.append("")
    for row in totals[:-1]:
        rate = _rate(row)
        lines.append(
            f"Target, at most {TARGET:g} error-level finding per 10,000 words, "
            f"{row['novel'].strip('*')}: **{'met' if rate <= TARGET else 'missed'}** "
            f"({rate:.2f})."
        )
        lines.append("")
    return "\n".join(lines).rstrip()


def main(argv: list[str] | None = None) -> None:
    from benchmarks.novels import read_novels

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, help="check only the first N words of each novel")
    parser.add_argument("--breakdown", action="store_true", help="error findings per rule")
    parser.add_argument("--variant", default="en-GB", help="the works' language tag")
    parser.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    parser.add_argument(
        "--development-only", action="store_true", help="check the development novels only"
    )
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="also measure, in the same run, without checker.py's severity policy",
    )
    args = parser.parse_args(argv)

    examples: dict[str, list[str]] = defaultdict(list)
    novels = read_novels()
    if args.development_only:
        novels = {title: text for title, text in novels.items() if title in DEVELOPMENT}
    result = table(measure(novels, words=args.words, examples=examples, variant=args.variant))
    print(result)
    if args.baseline:
        from ficshelf.betareader.engine import checker

        policy = checker._calibrated
        checker._calibrated = lambda doc, known, finding: finding
        try:
            baseline = table(measure(novels, words=args.words, examples=defaultdict(list)))
        finally:
            checker._calibrated = policy
        print("\nWithout checker.py's severity policy (same run):\n")
        print(baseline)
    if args.breakdown:
        print()
        for rule, found in Counter({r: len(e) for r, e in examples.items()}).most_common():
            print(f"{rule}: {found}")
            for example in examples[rule][:40]:
                print(f"    {example}")
    if args.write:
        if args.development_only or args.words:
            parser.error("--write needs every word of all six novels")
        replace_section("silence", f"{result}\n\nLast run: {date.today().isoformat()}.")
        print("\nbenchmarks/README.md updated.")


if __name__ == "__main__":
    main()
