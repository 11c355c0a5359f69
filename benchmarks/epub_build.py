"""EPUB build time: ours against Calibre's `ebook-convert` from our HTML download (AO3's pipeline)
and against a bare zip of the same XHTML files, in the same run.

    .venv/bin/python benchmarks/epub_build.py [--words 500000] [--chapters 200] [--runs 5]

It builds a throwaway archive in a temporary FICSHELF_VAR_DIR (SQLite, migrated here) holding one
synthetic work (generated prose, fixed seed) posted through `works.services`, then times, in
turns, each run:

- **ours**: `downloads.books.build_epub(work)`, the code path of a download, reading the work and
  its chapters from the database each time;
- **Calibre**: `ebook-convert work.html work.epub` on our HTML download of the same work (built
  once, untimed; Calibre's own start-up is included, as it is in AO3's pipeline);
- **bare zip**: the XHTML pages of our EPUB written into a zip (deflated, as in the EPUB), the
  floor any EPUB builder stands on.

It prints the medians and the ratios as a Markdown table. `tests/downloads/test_epub_benchmark.py`
runs `run_once` on a small work (untimed) so the script keeps working.
"""

# ruff: noqa: S603  (Calibre, a fixed program, on files made here)

import argparse
import io
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = 500_000
TARGET = 20  # ours at least 20× faster than Calibre (the issue)

_SYLLABLES = "ka ri mo sen ta lu ve an dor is el ba nu th quin ro sa mi ger fal wyn es".split()
_COMMON = (
    "the and a to of in she he was it that her his they said had not for on with as at but "
    "from one you all were there would been when we could into out up only back over still "
    "before door light night hand house water room never again little time through"
).split()


def _vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))))
    return sorted(words)


def prose(words: int, rng: random.Random, vocabulary: list[str]) -> str:
    """`words` words of paragraphs as sanitized chapter HTML: sentences of common and made-up
    words, some dialogue and some emphasis, so the text neither repeats nor compresses unusually
    well."""
    paragraphs, count = [], 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(2, 7)):
            length = rng.randint(5, 22)
            chosen = [
                rng.choice(_COMMON) if rng.random() < 0.55 else rng.choice(vocabulary)
                for _ in range(length)
            ]
            if rng.random() < 0.08:
                at = rng.randrange(length)
                chosen[at] = f"<em>{chosen[at]}</em>"
            sentence = " ".join(chosen)
            sentence = sentence[0].upper() + sentence[1:] + rng.choice(".....?!")
            if rng.random() < 0.2:
                sentence = f"“{sentence}” {rng.choice(['she said', 'he said', 'they said'])}."
            sentences.append(sentence)
        text = " ".join(sentences)
        split = text.split()
        if count + len(split) > words:
            text = " ".join(split[: words - count])
        count += len(text.split())
        paragraphs.append(f"<p>{text}</p>")
    return "\n".join(paragraphs)


def synthetic_work(author, *, words: int, chapters: int, seed: int = SEED):
    """A posted work by `author` of `chapters` chapters and `words` words (split evenly), made
    through the services as a creator would post it."""
    from ficshelf.works.services import ChapterContent, WorkMetadata, add_chapter, create_work

    rng = random.Random(seed)
    vocabulary = _vocabulary(rng)
    per_chapter = [words // chapters + (1 if n < words % chapters else 0) for n in range(chapters)]
    work = create_work(
        creators=[author.default_pseud],
        metadata=WorkMetadata(
            title="The Long Winter Ferry",
            fandoms=["Original Work"],
            rating="teen",
            warnings=["No Archive Warnings Apply"],
            characters=["Mara", "Theo"],
            freeforms=["Slow Burn", "Found Family"],
            summary="<p>A ferry, a letter, and a very long winter.</p>",
            expected_chapters=chapters,
        ),
        chapter=ChapterContent(text=prose(per_chapter[0], rng, vocabulary), title="Low Tide"),
        post=True,
    )
    for number, count in enumerate(per_chapter[1:], start=2):
        add_chapter(
            work=work,
            editor=author,
            content=ChapterContent(
                text=prose(count, rng, vocabulary),
                title=f"Crossing {number}",
                notes="<p>Thank you for reading.</p>" if number % 10 == 0 else "",
            ),
        )
    work.refresh_from_db()
    return work


def _bare_zip(pages: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        for name, content in pages.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def calibre_convert(html: Path, target: Path, home: Path) -> None:
    program = shutil.which("ebook-convert")
    if program is None:
        raise RuntimeError("Calibre's ebook-convert is not installed (apt-get install calibre)")
    env = {**os.environ, "HOME": str(home), "CALIBRE_CONFIG_DIRECTORY": str(home / "calibre")}
    subprocess.run(
        [program, str(html), str(target)],
        check=True,
        capture_output=True,
        timeout=1800,
        env=env,
    )


def run_once(work, folder: Path, *, calibre: bool = True) -> dict[str, float]:
    """Build the work's EPUB each way once; the seconds each took. The files are left in
    `folder` (ours.epub, bare.zip, calibre.epub)."""
    from ficshelf.downloads.books import build_epub, build_html

    seconds = {}
    started = time.perf_counter()
    ours = build_epub(work)
    seconds["ours"] = time.perf_counter() - started
    (folder / "ours.epub").write_bytes(ours)

    with zipfile.ZipFile(io.BytesIO(ours)) as book:
        pages = {n: book.read(n) for n in book.namelist() if n.endswith(".xhtml")}
    started = time.perf_counter()
    bare = _bare_zip(pages)
    seconds["bare zip"] = time.perf_counter() - started
    (folder / "bare.zip").write_bytes(bare)

    if calibre:
        html = folder / "work.html"
        if not html.exists():
            html.write_bytes(build_html(work))
        started = time.perf_counter()
        calibre_convert(html, folder / "calibre.epub", folder)
        seconds["Calibre"] = time.perf_counter() - started
    return seconds


def _machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    calibre = subprocess.run(
        [shutil.which("ebook-convert") or "ebook-convert", "--version"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    return (
        f"{os.cpu_count()} cores ({model or platform.processor()}), {memory:.0f} GiB, "
        f"Python {platform.python_version()}, {calibre[0] if calibre else 'no Calibre'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=500_000)
    parser.add_argument("--chapters", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-calibre", action="store_true", help="ours and the bare zip only")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ficshelf-epub-bench-"))
    os.environ["FICSHELF_VAR_DIR"] = str(folder / "var")
    os.environ["FICSHELF_LOG_LEVEL"] = "WARNING"
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficshelf.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from ficshelf.accounts.services import sign_up

    try:
        call_command("migrate", verbosity=0)
        print(f"Posting a {args.words:,}-word, {args.chapters}-chapter work …", file=sys.stderr)
        started = time.perf_counter()
        author = sign_up(username="bencher", email="bencher@example.org", password="x" * 20)
        work = synthetic_work(author, words=args.words, chapters=args.chapters)
        print(f"  posted in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        load = os.getloadavg()[0]
        run_once(work, folder, calibre=False)  # warm: imports, templates, the database's pages
        times: dict[str, list[float]] = {}
        for number in range(1, args.runs + 1):
            for name, value in run_once(work, folder, calibre=not args.no_calibre).items():
                times.setdefault(name, []).append(value)
            print(f"  run {number}: {times}", file=sys.stderr)
        kindle = None
        if not args.no_calibre:
            # Not part of the comparison: how long the AZW3 download's background conversion
            # takes on this work (downloads.calibre.TIMEOUT must leave room for it).
            from ficshelf.downloads import calibre

            started = time.perf_counter()
            calibre.convert((folder / "ours.epub").read_bytes(), "azw3", timeout=1800)
            kindle = time.perf_counter() - started
        report(work, folder, times, load, kindle)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def report(
    work, folder: Path, times: dict[str, list[float]], load: float, kindle: float | None
) -> None:
    medians = {name: statistics.median(values) for name, values in times.items()}
    sizes = {
        "ours": (folder / "ours.epub").stat().st_size,
        "bare zip": (folder / "bare.zip").stat().st_size,
        "Calibre": (folder / "calibre.epub").stat().st_size
        if (folder / "calibre.epub").exists()
        else 0,
    }
    print(
        f"Work: {work.word_count:,} words, {work.posted_chapters().count()} chapters (seed {SEED})."
    )
    print(f"Machine: {_machine()}; load average before: {load:.2f}. {date.today()}.")
    print()
    print("| Build | runs | median s | min s | max s | file MB | time ÷ ours |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in ("ours", "Calibre", "bare zip"):
        if name not in medians:
            continue
        values = times[name]
        ratio = medians[name] / medians["ours"]
        shown = "1" if name == "ours" else f"{ratio:.2f}" if ratio < 10 else f"{ratio:.0f}"
        print(
            f"| {name} | {len(values)} | {medians[name]:.2f} | {min(values):.2f} | "
            f"{max(values):.2f} | {sizes[name] / 1e6:.1f} | {shown} |"
        )
    if "Calibre" in medians:
        ratio = medians["Calibre"] / medians["ours"]
        verdict = "met" if ratio >= TARGET else "not met"
        print(f"\nCalibre ÷ ours = {ratio:.1f}× (target ≥ {TARGET}×: {verdict}).")
    if kindle is not None:
        print(f"AZW3 from our EPUB (the Kindle download's conversion), once: {kindle:.1f} s.")


if __name__ == "__main__":
    main()
