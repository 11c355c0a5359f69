"""`manage.py beta_read PATH`: the beta reader's findings for a chapter file.

Plain text and Markdown files may carry a seed-format header (`Title : ...`, `Pairing : ...`,
`Author Note : ...`): its lines are metadata, not prose. The summary and notes are checked with
the body; the fandom, pairing and character values join the vocabulary. `.html`/`.htm` files
are checked as HTML. Offsets index the file's text as read: decoded from UTF-8 (a byte-order
mark dropped) or, failing that, Windows-1252, with line endings left as they are.

`--variant us|uk` checks the file as American or British English (which spellings are right),
as a work's language tag `en-US` or `en-GB` does; without it, as the archive's default `en`,
where both are accepted.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ficshelf.betareader.engine.checker import check_html
from ficshelf.betareader.engine.findings import CheckResult, Finding
from ficshelf.betareader.seedfile import check_file_text

HTML_SUFFIXES = {".html", ".htm"}
# --variant to the language tag the engine reads (as Work.language gives it).
VARIANTS = {"us": "en-US", "uk": "en-GB"}


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (or UTF-16 with a byte-order mark), else Windows-1252."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of `offset`."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


class Command(BaseCommand):
    requires_system_checks = []
    help = (
        "Print the beta reader's findings for a chapter file (plain text in the seed format, "
        'Markdown or HTML). --format json prints one object: {"file", "word_count", '
        '"skipped_reason", "counts", "findings": [{"start", "end", "text", '
        '"severity", "category", "rule", "message", "suggestions"}]}, where start and '
        "end are character offsets into the file's text exactly as read. --format text (the "
        "default) prints one line a finding: line:col severity category: message — 'text' → fix."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The chapter file (.txt, .md, .html or .htm).")
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument(
            "--fandom", action="append", default=[], help="A fandom tag (repeatable)."
        )
        parser.add_argument(
            "--character", action="append", default=[], help="A character tag (repeatable)."
        )
        parser.add_argument(
            "--relationship",
            action="append",
            default=[],
            help="A relationship tag, e.g. Alex/Olivia (repeatable).",
        )
        parser.add_argument(
            "--word",
            action="append",
            default=[],
            help="A word of the author's dictionary, never a spelling mistake (repeatable).",
        )
        parser.add_argument(
            "--variant",
            choices=sorted(VARIANTS),
            help="American (us) or British (uk) English; default: either spelling is right.",
        )
        parser.add_argument(
            "--style",
            action="store_true",
            help="Include style notes (long sentences, repeated openings, adverbs, filter words).",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        text = read_text(path)
        vocabulary = [
            *options["fandom"],
            *options["character"],
            *options["relationship"],
            *options["word"],
        ]
        settings = {
            "include_style": options["style"],
            "variant": VARIANTS.get(options["variant"], "en"),
        }
        if path.suffix.lower() in HTML_SUFFIXES:
            result = check_html(text, vocabulary=vocabulary, **settings)
        else:
            result = check_file_text(text, vocabulary=vocabulary, **settings)
        if options["format"] == "json":
            self.stdout.write(json.dumps(as_json(path, result), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(as_text(text, result))


def as_json(path: Path, result: CheckResult) -> dict:
    return {
        "file": str(path),
        "word_count": result.word_count,
        "skipped_reason": result.skipped_reason,
        "counts": result.counts(),
        "findings": [finding.as_json() for finding in result.findings],
    }


def as_text(text: str, result: CheckResult) -> str:
    if result.skipped_reason:
        return result.skipped_reason
    lines = [_text_line(text, finding) for finding in result.findings]
    counts = result.counts()
    lines.append(
        f"{result.word_count:,} words: {counts['error']} errors, "
        f"{counts['suggestion']} suggestions, {counts['style']} style notes."
    )
    return "\n".join(lines)


def _text_line(text: str, finding: Finding) -> str:
    line, column = line_col(text, finding.start)
    shown = " ".join(finding.text.split()) or finding.text
    fix = f" → {finding.suggestions[0]!r}" if finding.suggestions else ""
    return (
        f"{line}:{column} {finding.severity} {finding.category}: {finding.message} — {shown!r}{fix}"
    )
