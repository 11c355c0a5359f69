"""Checking a chapter file in the seed (import) format, offsets into the file's text.

A file may open with `Key : value` header lines (see ficshelf.imports.parsing). They are
metadata, not prose: only the values of the prose keys (summary, notes, author note and keys
Ficshelf does not know, which become notes) are checked, with the body. The tag values
(fandom, pairing, characters, tags) and the title become vocabulary, so the names they hold
are never spelling mistakes.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ficshelf.imports.parsing import header_key, split_list
from ficshelf.userstuff.formatting import is_scene_break

from .engine.checker import check_text
from .engine.findings import CheckResult

_NOT_LINE_BREAK = re.compile(r"[^\r\n]")
PROSE_FIELDS = {"summary", "notes", ""}  # "": a key Ficshelf does not know, kept as a note
VOCABULARY_FIELDS = {"fandoms", "relationships", "characters", "freeforms", "title"}


@dataclass
class SeedFile:
    """Where a file's prose is (spans into its text) and the names its header gives."""

    prose: list[tuple[int, int]] = field(default_factory=list)
    vocabulary: list[str] = field(default_factory=list)
    body_start: int = 0


def read_seed(text: str) -> SeedFile:
    """The header's prose spans and vocabulary, and where the body starts (as the importer's
    split_header reads it, but keeping offsets)."""
    lines = []
    pos = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        lines.append((pos, content))
        pos += len(line)
    seed = SeedFile()
    index = 0
    while index < len(lines) and not lines[index][1].strip():
        index += 1
    first = header_key(lines[index][1]) if index < len(lines) else None
    if first is None or not first[0]:
        seed.prose.append((0, len(text)))
        return seed
    entries: list[tuple[str, list[tuple[int, int]]]] = []
    after_blank = False
    body_start = len(text)
    while index < len(lines):
        start, line = lines[index]
        if not line.strip():
            after_blank = True
        elif entry := header_key(line):
            name, _key, value = entry
            value_start = start + line.rindex(value) if value else start + len(line)
            entries.append((name, [(value_start, value_start + len(value))] if value else []))
            after_blank = False
        elif is_scene_break(line):
            body_start = lines[index + 1][0] if index + 1 < len(lines) else len(text)
            break
        elif after_blank:
            body_start = start
            break
        else:
            stripped = line.strip()
            offset = start + line.index(stripped)
            entries[-1][1].append((offset, offset + len(stripped)))
        index += 1
    for name, spans in entries:
        if name in PROSE_FIELDS:
            seed.prose.extend(spans)
        elif name in VOCABULARY_FIELDS:
            value = "\n".join(text[s:e] for s, e in spans)
            seed.vocabulary.extend(split_list(value) if name != "title" else [value])
    seed.body_start = body_start
    seed.prose.append((body_start, len(text)))
    return seed


def check_file_text(
    text: str,
    *,
    vocabulary: Iterable[str] = (),
    include_style: bool = False,
    variant: str = "en",
) -> CheckResult:
    """Check a seed-format file's prose; offsets index `text` exactly as given. `variant` is
    the language tag that decides which spellings are right ("en": either)."""
    seed = read_seed(text)
    masked = _mask(text, seed.prose)
    result = check_text(
        masked,
        vocabulary=[*vocabulary, *seed.vocabulary],
        include_style=include_style,
        variant=variant,
    )
    result.findings = [
        f for f in result.findings if any(s <= f.start and f.end <= e for s, e in seed.prose)
    ]
    return result


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with everything outside `spans` blanked (line breaks kept), same length, so
    offsets stay the same and the header's keys read as blank lines."""
    parts, pos = [], 0
    for start, end in sorted(spans):
        if start > pos:
            parts.append(_NOT_LINE_BREAK.sub(" ", text[pos:start]))
        parts.append(text[max(start, pos) : end])
        pos = max(pos, end)
    parts.append(_NOT_LINE_BREAK.sub(" ", text[pos:]))
    return "".join(parts)
