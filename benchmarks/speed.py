"""Time per 1,000 words on text neither linter has seen: the checker beside plain Harper.

    .venv/bin/python benchmarks/speed.py [--write] [--runs N] [--seed N]

Harper keeps what it found for a piece of text it has read before, so timing the same text
over and over mostly times its cache. Here every timed call gets a chapter made afresh for it:
sentences drawn, without replacement, from a pool of some tens of thousands of distinct
sentences (Jane Austen's six novels where they are installed, see benchmarks/novels.py; the
seed story; the CoNLL-2014 test sentences), shuffled with a random seed chosen for the run (or
--seed). No sentence is given to either linter twice in a process, so neither can have a
cached answer for any of it: unseen by construction. The last rows show what a cache hit
looks like: the same chapter checked a second time.

Plain Harper is `Linter().lint(text, language=Language.PLAINTEXT)` with its default rules;
the checker is `check_text(text)` with its defaults. Each is warmed up first on a chapter of
its own (building the linter and loading the word lists is not what is timed), then the two
take turns, each on its own new chapter; the figure is the median, in milliseconds per 1,000
words (words split on whitespace).
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.readme import replace_section  # noqa: E402

SEED = ROOT.parent / "shared" / "seed" / "000_a100ff2d1837b2ec.txt"
CONLL = ROOT.parent / "shared" / "gec" / "conll2014" / "source.txt"
TARGET_RATIO = 1.5
TARGET_MS = 50.0
CHAPTER_WORDS = 3_000
LONG_CHARACTERS = 500_000
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’']?\s+(?=[\"“‘']?[A-Z])")
_SPACE = re.compile(r"\s+")


def seed_body(path: Path = SEED) -> str:
    from ficshelf.imports.parsing import split_header

    _, body = split_header(path.read_text(encoding="utf-8"))
    return body.strip()


def sentences_of(text: str) -> list[str]:
    """The sentences of a prose text, each on one line (hard-wrapped lines joined)."""
    found = []
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = _SPACE.sub(" ", paragraph).strip()
        found += [s.strip() for s in _SENTENCE_END.split(paragraph) if len(s.split()) >= 3]
    return found


def sentence_pool(*, seed: Path = SEED, conll: Path = CONLL) -> dict[str, list[str]]:
    """Each source's distinct sentences (a sentence in two sources is kept in the first)."""
    from benchmarks.conll_tokens import detokenize
    from benchmarks.novels import NotInstalled, read_novels

    sources: dict[str, list[str]] = {}
    try:
        sources["Jane Austen's six novels"] = [
            s for text in read_novels().values() for s in sentences_of(text)
        ]
    except NotInstalled:
        pass
    if seed.exists():
        sources["the seed story"] = sentences_of(seed_body(seed))
    if conll.exists():
        lines = conll.read_text(encoding="utf-8").splitlines()
        sources["CoNLL-2014 sentences"] = [detokenize(line.split())[0] for line in lines]
    seen: set[str] = set()
    pool = {}
    for name, sentences in sources.items():
        pool[name] = [s for s in sentences if not (s in seen or seen.add(s))]
    return pool


class Chapters:
    """New chapters, none sharing a sentence with another: sentences are drawn without
    replacement, in an order shuffled by `seed`, into paragraphs of 2 to 6 sentences."""

    def __init__(self, sentences: list[str], seed: int):
        self._rng = random.Random(seed)
        self._sentences = list(dict.fromkeys(sentences))
        self._rng.shuffle(self._sentences)
        self._next = 0

    @property
    def words_left(self) -> int:
        return sum(len(s.split()) for s in self._sentences[self._next :])

    def make(self, *, words: int = 0, characters: int = 0) -> str:
        """A chapter of at least `words` words or `characters` characters."""
        paragraphs, count, length = [], 0, 0
        while count < words or length < characters:
            size = self._rng.randint(2, 6)
            paragraph = self._sentences[self._next : self._next + size]
            if not paragraph:
                raise LookupError("The pool of sentences is used up.")
            self._next += size
            paragraphs.append(" ".join(paragraph))
            count += sum(len(s.split()) for s in paragraph)
            length += len(paragraphs[-1]) + 2
        return "\n\n".join(paragraphs)


@dataclass
class Row:
    text: str
    words: int  # per call (mean)
    runs: int
    harper: float  # ms per 1,000 words
    checker: float

    @property
    def ratio(self) -> float:
        return self.checker / self.harper

    @property
    def met(self) -> bool:
        return self.ratio <= TARGET_RATIO and self.checker < TARGET_MS


def _ms_per_thousand(function, text: str) -> tuple[float, int]:
    words = len(text.split())
    # Processor time of this process, not the clock: on a machine shared with other work the
    # clock also counts the time others had the cores. (Harper runs in this process.)
    started = time.process_time()
    function(text)
    return (time.process_time() - started) * 1000 / (words / 1000), words


def measure(chapters: Chapters, *, runs: int, long_runs: int = 1) -> list[Row]:
    from harper import Language, Linter

    from ficshelf.betareader.engine import check_text, harper_lints

    linter = Linter()

    def checker(text: str):
        # The engine keeps Harper's verdict on each word it has spelt; forgotten here, so that
        # every word of the chapter is new to it too.
        harper_lints.forget_spellings()
        return check_text(text)

    def plain_harper(text: str):
        return linter.lint(text, language=Language.PLAINTEXT)

    plain_harper(chapters.make(words=500))  # warm-up, each on a text of its own
    checker(chapters.make(words=500))
    rows, cached = [], None
    plans = [
        (f"new {CHAPTER_WORDS:,}-word chapter", {"words": CHAPTER_WORDS}, runs),
        (f"new {LONG_CHARACTERS:,}-character chapter", {"characters": LONG_CHARACTERS}, long_runs),
    ]
    for number, (name, size, count) in enumerate(plans):
        harper_times, checker_times, words = [], [], []
        last = {}
        for run in range(count):
            try:
                texts = chapters.make(**size), chapters.make(**size)
            except LookupError:
                break
            order = [(plain_harper, harper_times), (checker, checker_times)]
            for (function, times), text in zip(order[:: 1 if run % 2 else -1], texts, strict=True):
                ms, count_words = _ms_per_thousand(function, text)
                times.append(ms)
                words.append(count_words)
                last[function] = text
        if not (harper_times and checker_times):
            continue
        rows.append(
            Row(
                name,
                round(statistics.mean(words)),
                len(checker_times),
                statistics.median(harper_times),
                statistics.median(checker_times),
            )
        )
        if number == 0:
            # The caches at work: each linter given, once more, the last chapter it read
            # (at once: a long text afterwards would push it out of Harper's cache).
            harper_again, _ = _ms_per_thousand(plain_harper, last[plain_harper])
            checker_again, again_words = _ms_per_thousand(check_text, last[checker])
            cached = Row(
                "the same chapter again (cached)", again_words, 1, harper_again, checker_again
            )
    if cached is not None:
        rows.append(cached)
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| Text | words | runs | plain Harper, ms per 1,000 words | check_text, ms per 1,000 words "
        "| ratio | targets (≤ 1.5×, < 50 ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        target = "—" if "cached" in row.text else ("met" if row.met else "missed")
        lines.append(
            f"| {row.text} | {row.words:,} | {row.runs} | {row.harper:.1f} "
            f"| {row.checker:.1f} | {row.ratio:.2f}× | {target} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="new chapters per linter")
    parser.add_argument("--long-runs", type=int, default=1, help="new 500,000-character ones")
    parser.add_argument("--seed", type=int, help="the shuffle's random seed (default: new)")
    parser.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficshelf.settings")
    import django

    django.setup()  # for the importer's header parser (the seed's header)

    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    pool = sentence_pool()
    sentences = [s for group in pool.values() for s in group]
    chapters = Chapters(sentences, seed)
    sources = "; ".join(f"{name}: {len(group):,} sentences" for name, group in pool.items())
    print(f"Pool: {sources}; {chapters.words_left:,} words. Random seed {seed}.")
    rows = measure(chapters, runs=args.runs, long_runs=args.long_runs)
    result = table(rows)
    print(f"{os.cpu_count()} cores\n")
    print(result)
    if args.write:
        replace_section(
            "speed",
            f"{result}\n\nPool: {sources}. Random seed {seed}. "
            f"Last run: {date.today().isoformat()}.",
        )
        print("\nbenchmarks/README.md updated.")


if __name__ == "__main__":
    main()
