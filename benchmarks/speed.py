"""Warm time per 1,000 words: the checker's check_text beside plain Harper, in the same run.

    uv run python benchmarks/speed.py [--write] [--repeats N]

Plain Harper is `Linter().lint(text, language=Language.PLAINTEXT)` with its default rules.
Texts: the seed story's body (the file less its `Key : value` header), and a 100,000-word text
made from that body: its paragraphs again and again, each round with the paragraphs and the
sentences inside each paragraph shuffled (a fixed random seed), cut at exactly 100,000 words.
Each function is called once before timing (the first call builds what it caches); then the
two are called in turn, `--repeats` times on the seed body and a third as often (at least 3) on
the long text, and the median of each is reported.
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.readme import replace_section  # noqa: E402

SEED = ROOT.parent / "shared" / "seed" / "000_a100ff2d1837b2ec.txt"
LONG_WORDS = 100_000
TARGET_RATIO = 1.5
TARGET_MS = 50.0
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’']?\s+(?=\S)")


def seed_body(path: Path = SEED) -> str:
    from ficshelf.imports.parsing import split_header

    _, body = split_header(path.read_text(encoding="utf-8"))
    return body.strip()


def long_text(body: str, words: int = LONG_WORDS, seed: int = 2014) -> str:
    """`words` words of the body's prose, its paragraphs and sentences shuffled round by round."""
    rng = random.Random(seed)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    out: list[str] = []
    count = 0
    while count < words:
        order = paragraphs[:]
        rng.shuffle(order)
        for paragraph in order:
            sentences = _SENTENCE_END.split(paragraph)
            rng.shuffle(sentences)
            paragraph = " ".join(sentences)
            paragraph_words = paragraph.split()
            if count + len(paragraph_words) >= words:
                out.append(" ".join(paragraph_words[: words - count]))
                count = words
                break
            out.append(paragraph)
            count += len(paragraph_words)
    return "\n\n".join(out)


def timed(function, text: str) -> float:
    started = time.perf_counter()
    function(text)
    return time.perf_counter() - started


def measure(texts: dict[str, str], repeats: int) -> list[dict]:
    from harper import Language, Linter

    from ficshelf.betareader.checker import check_text

    linter = Linter()

    def plain_harper(text: str):
        return linter.lint(text, language=Language.PLAINTEXT)

    rows = []
    for name, text in texts.items():
        words = len(text.split())
        rounds = repeats if words < 20_000 else max(3, repeats // 3)
        plain_harper(text)  # warm-up, not timed
        check_text(text)
        harper_times, checker_times = [], []
        for _ in range(rounds):
            harper_times.append(timed(plain_harper, text))
            checker_times.append(timed(check_text, text))
        harper_ms = statistics.median(harper_times) * 1000 / (words / 1000)
        checker_ms = statistics.median(checker_times) * 1000 / (words / 1000)
        rows.append(
            {
                "text": name,
                "words": words,
                "rounds": rounds,
                "harper": harper_ms,
                "checker": checker_ms,
                "ratio": checker_ms / harper_ms,
            }
        )
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| Text | words | runs | plain Harper, ms per 1,000 words | check_text, ms per 1,000 words "
        "| ratio | targets (≤ 1.5×, < 50 ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        met = row["ratio"] <= TARGET_RATIO and row["checker"] < TARGET_MS
        lines.append(
            f"| {row['text']} | {row['words']:,} | {row['rounds']} | {row['harper']:.1f} "
            f"| {row['checker']:.1f} | {row['ratio']:.2f}× | {'met' if met else 'missed'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=Path, default=SEED, help="the seed story file")
    parser.add_argument("--repeats", type=int, default=15, help="timed runs on the seed body")
    parser.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficshelf.settings")
    import django

    django.setup()

    body = seed_body(args.seed)
    texts = {"seed body": body, "100,000-word text": long_text(body)}
    result = table(measure(texts, args.repeats))
    print(f"Warm time, median of the timed runs; {os.cpu_count()} cores\n")
    print(result)
    if args.write:
        replace_section("speed", f"{result}\n\nLast run: {date.today().isoformat()}.")
        print("\nbenchmarks/README.md updated.")


if __name__ == "__main__":
    main()
