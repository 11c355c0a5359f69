"""The checker's corrections on JFLEG, held-out text nobody tuned on, beside plain Harper's.

    uv run python benchmarks/jfleg.py --jfleg DIR [--split test|dev] [--write] [--breakdown]

DIR holds JFLEG's `dev/` and `test/` folders as in its repository (github.com/keisks/jfleg,
CC BY-NC-SA 4.0; evaluation data, never copied into this repository; benchmarks/README.md says
how to get it). Tune on `--split dev` only; report `--split test` (the default).

Each of the four references becomes one annotator's M2 edits (`jfleg_m2`), and every system is
scored by benchmarks/m2score.py after the same processing as on CoNLL-2014 (`conll2014.py`):
against the best of the four references sentence by sentence (the usual M2 figure), and against
each reference alone. --write puts the test half's table into benchmarks/README.md.
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.conll2014 import (  # noqa: E402
    breakdown,
    run_checker,
    run_plain_harper,
    score_run,
    table,
)
from benchmarks.conll_tokens import detokenize, retokenize  # noqa: E402
from benchmarks.jfleg_m2 import read_jfleg  # noqa: E402
from benchmarks.readme import replace_section  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jfleg", type=Path, required=True, help="folder with dev/ and test/")
    parser.add_argument("--split", choices=("test", "dev"), default="test")
    parser.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    parser.add_argument("--breakdown", action="store_true", help="wrong edits per rule")
    parser.add_argument("--examples", type=int, default=2, help="examples per rule (breakdown)")
    args = parser.parse_args(argv)
    if args.write and args.split != "test":
        raise SystemExit("--write reports the test half only; the dev half is for tuning.")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficshelf.settings")
    import django

    django.setup()

    started = time.perf_counter()
    sentences = read_jfleg(args.jfleg, args.split)
    # The pipeline itself must add no edit: an unchanged sentence comes back token for token.
    for sentence in sentences:
        tokens = sentence.source.split()
        if retokenize(tokens, detokenize(tokens)[0]) != tokens:
            raise SystemExit(f"Retokenizing changes an unchanged sentence: {sentence.source}")
    gold_edits = sum(len(edits) for s in sentences for edits in s.gold.values())

    runs = [run_checker(sentences), run_plain_harper(sentences)]
    for run in runs:
        score_run(run, sentences)

    result = table(runs, who="reference")
    title = (
        f"JFLEG {args.split} half, {len(sentences)} sentences, 4 references "
        f"({gold_edits:,} derived edits in all), M2 scorer method (beta 0.5)"
    )
    print(f"{title}\n\n{result}\n")
    for run in runs:
        print(f"{run.name}: corrected {len(sentences)} sentences in {run.seconds:.1f} s")
    print(f"Whole run: {time.perf_counter() - started:.0f} s")
    if args.breakdown:
        for run in runs:
            print()
            print(breakdown(run, sentences, args.examples))
    if args.write:
        replace_section(
            "jfleg",
            f"{title}.\n\n{result}\n\nLast run: {date.today().isoformat()}.",
        )
        print("\nbenchmarks/README.md updated.")


if __name__ == "__main__":
    main()
