"""Checking while writing (issue 14, part 5): what one check of the findings panel costs.

    .venv/bin/python benchmarks/live_check.py [--rounds N] [--format html|plain|markdown]
        [--breakdown] [--profile [--profile-out FILE]]

Through Django's test client, against a temporary SQLite database with a real author and a
draft work, each request is the one the panel sends from the edit-chapter form (the text as
typed, its format, the work, the chapter and the caret). Per round and chapter size:

- first check: a chapter the process has never seen (consecutive paragraphs of one of Jane
  Austen's novels, see benchmarks/novels.py, or the seed story where they are not installed),
  asked again while the answer says runs are left (HX-Trigger), as the panel does; the first
  request and all of them together are timed;
- one edit: the same chapter with one word of one paragraph near its middle changed, the caret
  there: the typical pause in typing. Timed three times per round, each edit made on the text
  the one before left, in another paragraph (so each is text the checker has not seen).

Wall time is the clock; CPU time is this process's processor time (Harper runs in it), which
on a shared, loaded machine is the fairer figure. Medians and 90th percentiles over all rounds.
--breakdown adds where the processor time of the one-edit requests goes (the parts of
live.py and the view, timed by wrapping them); --profile adds cProfile's view of the one-edit
requests of the longest chapter (its overhead inflates the Python parts).
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = ROOT.parent / "shared" / "seed" / "000_a100ff2d1837b2ec.txt"
SIZES = (3_000, 10_000)
EDITS_PER_ROUND = 3
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\b[a-z]{5,}\b")


def prose_paragraphs() -> tuple[str, list[str]]:
    """Paragraphs of published prose, in their order (hard-wrapped lines joined)."""
    from benchmarks.novels import NotInstalled, read_novels

    try:
        novels = read_novels()
        source = "Jane Austen's six novels"
        texts = list(novels.values())
    except NotInstalled:
        from benchmarks.speed import seed_body

        source, texts = "the seed story", [seed_body(SEED)]
    paragraphs = []
    for text in texts:
        for paragraph in re.split(r"\n\s*\n", text):
            paragraph = _SPACE.sub(" ", paragraph).strip()
            # Headings ("CHAPTER 3") and short lines are left out: prose only.
            if len(paragraph.split()) >= 8:
                paragraphs.append(paragraph)
    return source, paragraphs


class Passages:
    """Chapters of consecutive paragraphs, none sharing a paragraph with another."""

    def __init__(self, paragraphs: list[str]):
        self.paragraphs, self.next = paragraphs, 0

    def make(self, words: int) -> list[str]:
        chapter, count = [], 0
        while count < words:
            if self.next >= len(self.paragraphs):
                raise LookupError("The prose is used up: fewer rounds.")
            chapter.append(self.paragraphs[self.next])
            count += len(chapter[-1].split())
            self.next += 1
        return chapter


def typed(paragraphs: list[str], text_format: str) -> str:
    import html

    if text_format == "html":
        return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    return "\n\n".join(paragraphs)


def edited(paragraphs: list[str], number: int) -> tuple[list[str], int]:
    """One word changed in a paragraph near the middle (a different one for each `number`),
    and the index of that paragraph."""
    index = len(paragraphs) // 2 + number
    paragraph = paragraphs[index]
    words = list(_WORD.finditer(paragraph))
    word = words[len(words) // 2] if words else None
    if word is None:
        return edited(paragraphs, number + 1)
    changed = paragraph[: word.start()] + "quietly" + paragraph[word.end() :]
    return paragraphs[:index] + [changed] + paragraphs[index + 1 :], index


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Panel:
    """The findings panel of one draft chapter's edit form, as its author's browser asks."""

    def __init__(self, client, work, chapter, text_format: str):
        from django.urls import reverse

        self.client, self.url = client, reverse("betareader:live_check")
        self.data = {"work_id": work.pk, "chapter_id": chapter.pk, "text_format": text_format}

    def ask(self, text: str, caret: int) -> tuple[float, float, object]:
        wall, cpu = time.perf_counter(), time.process_time()
        response = self.client.post(self.url, self.data | {"text": text, "caret": caret})
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert response.status_code == 200, response.status_code
        return wall * 1000, cpu * 1000, response

    def ask_all(self, text: str, caret: int) -> tuple[list[tuple[float, float]], object]:
        times = []
        for _ in range(100):
            wall, cpu, response = self.ask(text, caret)
            times.append((wall, cpu))
            if "HX-Trigger" not in response:
                return times, response
        raise AssertionError("the check never finished")


# What --breakdown times inside each one-edit request (processor time), where present.
PARTS = (
    ("ficshelf.betareader.live", "check_chapter_html", "checking runs"),
    ("ficshelf.betareader.live", "to_html", "to_html (sanitizing)"),
    ("ficshelf.betareader.live", "count_words", "counting words"),
    ("ficshelf.betareader.live", "runs_of", "cutting into runs"),
    ("ficshelf.betareader.live", "_check_runs", "runs: known and checked"),
    ("ficshelf.betareader.live", "SourceMap.__init__", "typed text: reading it"),
    ("ficshelf.betareader.live", "SourceMap.locate", "typed text: locating findings"),
    ("ficshelf.betareader.live", "vocabulary_for", "vocabulary (database)"),
    ("ficshelf.betareader.live", "ignored_findings", "ignored findings (database)"),
    ("ficshelf.betareader.live", "require_creator", "creator check (database)"),
    ("ficshelf.betareader.views", "build_report", "report entries"),
    ("ficshelf.betareader.views", "_live_panel", "rendering the panel"),
    ("ficshelf.betareader.live", "check_while_typing", "check_while_typing, all"),
)


class Breakdown:
    """Processor time spent in each of PARTS while `on`."""

    def __init__(self):
        import importlib

        self.on, self.spent, self.by_size = False, {}, {}
        for module_name, name, label in PARTS:
            owner = importlib.import_module(module_name)
            *path, name = name.split(".")
            for part in path:
                owner = getattr(owner, part, None)
            if owner is not None and hasattr(owner, name):
                setattr(owner, name, self._timed(getattr(owner, name), label))

    def spent_by(self, size: int) -> dict:
        return self.by_size.setdefault(size, {})

    def _timed(self, function, label):
        import functools

        @functools.wraps(function)
        def timed(*args, **kwargs):
            if not self.on:
                return function(*args, **kwargs)
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent.setdefault(label, []).append(time.process_time() - started)

        return timed


def findings_listed(response) -> int:
    return response.content.decode().count("data-live-finding")


def run(args) -> None:
    from django.test import Client

    from ficshelf.accounts.services import sign_up
    from ficshelf.betareader import views
    from ficshelf.works.services import ChapterContent, WorkMetadata, create_work

    # A writer's pauses, not a script's: the benchmark asks more often than the limit allows.
    views.LIVE_CHECKS = views.ratelimits.Limit(1_000_000, 60)
    author = sign_up(username="writer", email="writer@example.org", password="x" * 20)
    work = create_work(
        creators=[author.default_pseud],
        metadata=WorkMetadata(
            title="A Draft",
            fandoms=["Original Work"],
            rating="general",
            warnings=["No Archive Warnings Apply"],
            characters=["Elizabeth Bennet"],
        ),
        chapter=ChapterContent(text="<p>The first chapter's text.</p>"),
        post=False,
    )
    chapter = work.chapters.get()
    client = Client()
    client.force_login(author)
    panel = Panel(client, work, chapter, args.format)

    source, paragraphs = prose_paragraphs()
    passages = Passages(paragraphs)
    warm = typed(passages.make(2_000), args.format)
    panel.ask_all(warm, 0)  # imports, templates, the linter and its word lists

    load = os.getloadavg()
    figures: dict[int, dict[str, list[float]]] = {}
    profiler = cProfile.Profile() if args.profile else None
    breakdown = Breakdown() if args.breakdown else None
    timed_edits = {size: 0 for size in SIZES}
    for number in range(args.rounds):
        for size in SIZES:
            chapter_paragraphs = passages.make(size)
            text = typed(chapter_paragraphs, args.format)
            words = len(text.split())
            into = figures.setdefault(size, {"words": []})
            into["words"].append(words)
            times, response = panel.ask_all(text, len(text) // 2)
            into.setdefault("first request wall", []).append(times[0][0])
            into.setdefault("first request cpu", []).append(times[0][1])
            into.setdefault("first check wall", []).append(sum(t[0] for t in times))
            into.setdefault("first check cpu", []).append(sum(t[1] for t in times))
            into.setdefault("first check requests", []).append(len(times))
            listed = findings_listed(response)
            for edit in range(EDITS_PER_ROUND):
                # Each edit on the text as the last one left it, as an author types.
                changed, index = edited(chapter_paragraphs, edit + number)
                chapter_paragraphs = changed
                changed_text = typed(changed, args.format)
                caret = changed_text.index(changed[index]) + len(changed[index]) // 2
                profiling = profiler is not None and size == SIZES[-1]
                if profiling:
                    profiler.enable()
                if breakdown is not None:
                    breakdown.on, breakdown.spent = True, breakdown.spent_by(size)
                    timed_edits[size] += 1
                wall, cpu, response = panel.ask(changed_text, caret)
                if breakdown is not None:
                    breakdown.on = False
                if profiling:
                    profiler.disable()
                assert "HX-Trigger" not in response, "one edit left runs to check"
                into.setdefault("one edit wall", []).append(wall)
                into.setdefault("one edit cpu", []).append(cpu)
                into.setdefault("listed", []).append(findings_listed(response))
            print(
                f"round {number + 1}, {words:,} words: first {times[0][0]:.0f} ms "
                f"({len(times)} requests, {sum(t[0] for t in times):.0f} ms), "
                f"{listed} listed; edits {[round(w) for w in into['one edit wall'][-3:]]} ms",
                file=sys.stderr,
            )
    report(figures, source=source, load=load, args=args)
    if breakdown is not None:
        for size in SIZES:
            edits = timed_edits[size]
            into = figures[size]
            print(
                f"\nWhere the processor time of a one-edit request goes, ~{size:,} words "
                f"(mean over {edits} requests; request CPU mean "
                f"{statistics.mean(into['one edit cpu']):.1f} ms):"
            )
            print("| part | calls per request | ms per request |")
            print("| --- | ---: | ---: |")
            for label, spent in breakdown.by_size[size].items():
                print(f"| {label} | {len(spent) / edits:.1f} | {sum(spent) * 1000 / edits:.1f} |")
    if profiler is not None:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
        print(
            f"\ncProfile, the {args.rounds * EDITS_PER_ROUND} one-edit requests of the "
            f"~{SIZES[-1]:,}-word chapter (cumulative):"
        )
        stats.print_stats(35)
        print(out.getvalue())
        if args.profile_out:
            profiler.dump_stats(args.profile_out)


def report(figures, *, source: str, load, args) -> None:
    import platform

    print(
        f"Text: {source}, format {args.format}; {args.rounds} rounds, {EDITS_PER_ROUND} edits "
        f"each. Machine: {os.cpu_count()} cores, Python {platform.python_version()}; load "
        f"average before {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}, after "
        f"{os.getloadavg()[0]:.2f}."
    )
    print()
    print("| Chapter | request | median wall ms | p90 wall ms | median CPU ms | p90 CPU ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for into in figures.values():
        words = round(statistics.mean(into["words"]))
        requests = statistics.median(into["first check requests"])
        rows = [
            ("first check, first request", "first request"),
            (f"first check, all requests (median {requests:g})", "first check"),
            ("one word changed", "one edit"),
        ]
        for name, key in rows:
            wall, cpu = into[f"{key} wall"], into[f"{key} cpu"]
            print(
                f"| {words:,} words | {name} | {statistics.median(wall):.0f} | "
                f"{percentile(wall, 0.9):.0f} | {statistics.median(cpu):.0f} | "
                f"{percentile(cpu, 0.9):.0f} |"
            )
    print()
    for size, into in figures.items():
        listed = statistics.median(into["listed"])
        print(f"~{size:,} words: findings listed after an edit, median {listed:g}.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--format", choices=["html", "plain", "markdown"], default="html")
    parser.add_argument("--profile", action="store_true", help="cProfile the one-edit requests")
    parser.add_argument(
        "--breakdown", action="store_true", help="time the parts of the one-edit requests"
    )
    parser.add_argument("--profile-out", help="also write the profile there (pstats)")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="ficshelf-live-bench-"))
    os.environ["FICSHELF_VAR_DIR"] = str(folder / "var")
    os.environ["FICSHELF_LOG_LEVEL"] = "WARNING"
    for name in ("DATABASE_URL", "CACHE_URL"):
        os.environ.pop(name, None)  # a temporary SQLite file; the process's own cache
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficshelf.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host is allowed
    try:
        call_command("migrate", verbosity=0)
        run(args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
