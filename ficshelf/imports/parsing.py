"""Reading an uploaded file (plain text, HTML, Markdown) into a work's parts, without the database.

Plain-text and Markdown files may open with a header of `Key : value` lines:

    Title : Traitor
    Pairing : Alex/Olivia
    Author Note : Hey guys! ...

The header only counts when its first non-blank line names a key Ficshelf knows, so a story
that begins "Chapter One: ..." keeps its first line. Header lines may have blank lines between
them, and a value continues on the non-blank lines right under it. The header ends at the first
line after a blank line (or at a divider line) that is not a `Key: value` line. A key Ficshelf
does not know is kept in the notes as "Key: value", never dropped.
"""

import html
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf.global_settings import LANGUAGES

from ficshelf.tags.models import ARCHIVE_WARNINGS, CATEGORIES, Rating
from ficshelf.userstuff import TextFormat
from ficshelf.userstuff.formatting import is_scene_break, plain_text_to_html
from ficshelf.userstuff.markup import END, START, TEXT, tokens
from ficshelf.works.limits import CHAPTER_TEXT_MAX

MAX_FILE_BYTES = 2 * 1024 * 1024
# A whole work downloaded from AO3 (every chapter) may be larger than one chapter's file.
MAX_DOWNLOAD_BYTES = 10 * 1024 * 1024
EXTENSIONS = {
    ".txt": TextFormat.PLAIN,
    ".html": TextFormat.HTML,
    ".htm": TextFormat.HTML,
    ".md": TextFormat.MARKDOWN,
}
# Files that may be AO3 downloads (which are read by content, whatever their name).
DOWNLOAD_EXTENSIONS = {".html", ".htm", ".epub"}
ACCEPT = ",".join([*EXTENSIONS, ".epub"])
# More control characters than this share of the text means the file is not text.
_CONTROL_SHARE_MAX = 0.05
# Unicode's control characters (category Cc) other than tab, line feed, form feed, return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# More warnings than this about one file are summed up in one line.
WARNINGS_SHOWN = 20


class ImportRefused(Exception):
    """A file that cannot become a work; `message` is meant for the person importing it.

    `field` names the form field the problem belongs to (e.g. "fandoms"), when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class WorkChoices:
    """What a file's header, or the person importing it, says about the work. None: not said."""

    title: str | None = None
    fandoms: list[str] | None = None
    rating: str | None = None
    warnings: list[str] | None = None
    categories: list[str] | None = None
    relationships: list[str] | None = None
    characters: list[str] | None = None
    freeforms: list[str] | None = None
    language: str | None = None


@dataclass
class ParsedFile:
    """A file read into a work: `choices` from its header, the text still in `text_format`."""

    text: str
    text_format: str
    choices: WorkChoices = field(default_factory=WorkChoices)
    summary: str = ""
    notes: str = ""
    # Things the person importing should know, e.g. that the file was read as Windows-1252.
    warnings: list[str] = field(default_factory=list)
    has_header: bool = False


# --- Choosing tags from free text -------------------------------------------------------------

_RATING_ALIASES = {
    "g": Rating.GENERAL,
    "k": Rating.GENERAL,
    "k+": Rating.GENERAL,
    "general": Rating.GENERAL,
    "pg": Rating.TEEN,
    "pg-13": Rating.TEEN,
    "t": Rating.TEEN,
    "teen": Rating.TEEN,
    "teen and up": Rating.TEEN,
    "m": Rating.MATURE,
    "r": Rating.MATURE,
    "e": Rating.EXPLICIT,
    "ma": Rating.EXPLICIT,
    "nc-17": Rating.EXPLICIT,
    "none": Rating.NOT_RATED,
    "unrated": Rating.NOT_RATED,
}
_WARNING_ALIASES = {
    "none": "No Archive Warnings Apply",
    "no warnings": "No Archive Warnings Apply",
    "no archive warnings": "No Archive Warnings Apply",
    "violence": "Graphic Depictions Of Violence",
    "graphic violence": "Graphic Depictions Of Violence",
    "character death": "Major Character Death",
    "mcd": "Major Character Death",
    "rape": "Rape/Non-Con",
    "non-con": "Rape/Non-Con",
    "noncon": "Rape/Non-Con",
    "underage": "Underage Sex",
    "choose not to warn": "Creator Chose Not To Use Archive Warnings",
    "creator chose not to warn": "Creator Chose Not To Use Archive Warnings",
}


def _key(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split())


def find_rating(text: str) -> str | None:
    """The Rating value for `text`: a value ("mature"), a label ("Mature") or a common
    short form ("M", "PG-13"), ignoring case. None when it is none of these."""
    wanted = _key(text)
    for value, label in Rating.choices:
        if wanted in (_key(value), _key(label), _key(value.replace("_", " "))):
            return value
    return _RATING_ALIASES.get(wanted)


def find_archive_warning(text: str) -> str | None:
    wanted = _key(text)
    for name in ARCHIVE_WARNINGS:
        if wanted == _key(name):
            return name
    return _WARNING_ALIASES.get(wanted)


def find_category(text: str) -> str | None:
    wanted = _key(text)
    return next((name for name in CATEGORIES if _key(name) == wanted), None)


def find_language(text: str) -> str | None:
    """The language code for a code ("en") or an English name ("English")."""
    wanted = _key(text)
    for code, name in LANGUAGES:
        if wanted in (code.lower(), _key(name)):
            return code
    return None


def split_list(value: str) -> list[str]:
    """A header's list value, separated by commas or line breaks, blanks dropped."""
    return [part.strip() for part in re.split(r"[,\n]", value) if part.strip()]


# --- Bytes to text ------------------------------------------------------------------------------


def file_format(filename: str) -> str:
    """The TextFormat a file is read as, from its extension."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in EXTENSIONS:
        shown = f"“{PurePath(filename).name}”" if filename else "The file"
        raise ImportRefused(
            f"{shown} is not a file Ficshelf can import: please use a plain-text (.txt), "
            "HTML (.html or .htm) or Markdown (.md) file, or an AO3 download (HTML or EPUB).",
            field="file",
        )
    return EXTENSIONS[suffix]


def size_limit(filename: str = "") -> int:
    """The most bytes a file of this name may have: more for what may be an AO3 download."""
    if PurePath(filename).suffix.lower() in DOWNLOAD_EXTENSIONS:
        return MAX_DOWNLOAD_BYTES
    return MAX_FILE_BYTES


def check_size(size: int, filename: str = "", *, limit: int | None = None) -> None:
    limit = limit or size_limit(filename)
    if size > limit:
        raise ImportRefused(
            f"The file is {size / 1024 / 1024:.1f} MiB; Ficshelf imports files of up to "
            f"{limit // 1024 // 1024} MiB"
            + (
                f" ({MAX_FILE_BYTES // 1024 // 1024} MiB unless it is an AO3 download)."
                if limit > MAX_FILE_BYTES
                else "."
            )
            + " Please split the work into chapters.",
            field="file",
        )


def decode(data: bytes) -> tuple[str, list[str]]:
    """The file's text and any warnings: UTF-8 (with or without a byte-order mark), UTF-16
    with a byte-order mark, else Windows-1252 with a warning. Binary files are refused."""
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _not_text() from None
    else:
        if b"\x00" in data:
            raise _not_text()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise ImportRefused(
                    "The file is not UTF-8 text, and it could not be read as Windows-1252 "
                    "either. Please save it as UTF-8 and import it again.",
                    field="file",
                ) from None
            warnings.append(
                "The file was not valid UTF-8, so it was read as Windows-1252. "
                "Please check that quotation marks and accented letters look right."
            )
    if text and len(_CONTROL.findall(text)) / len(text) > _CONTROL_SHARE_MAX:
        raise _not_text()
    # A UTF-16 file may hold NUL characters; no field of a work can (PostgreSQL refuses them).
    text = text.replace("\x00", "")
    if not text.strip():
        raise ImportRefused("The file is empty.", field="file")
    return text, warnings


def _not_text() -> ImportRefused:
    return ImportRefused(
        "The file is not a text file (it looks like a binary file, such as a word-processor "
        "document or an image). Please save it as plain text, HTML or Markdown.",
        field="file",
    )


# --- The header ---------------------------------------------------------------------------------

_HEADER_KEYS = {
    "title": "title",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "pairing": "relationships",
    "pairings": "relationships",
    "relationship": "relationships",
    "relationships": "relationships",
    "ship": "relationships",
    "ships": "relationships",
    "rating": "rating",
    "rated": "rating",
    "warning": "warnings",
    "warnings": "warnings",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "character": "characters",
    "characters": "characters",
    "tag": "freeforms",
    "tags": "freeforms",
    "additional tag": "freeforms",
    "additional tags": "freeforms",
    "freeform": "freeforms",
    "freeforms": "freeforms",
    "summary": "summary",
    "note": "notes",
    "notes": "notes",
    "author note": "notes",
    "author notes": "notes",
    "author's note": "notes",
    "author's notes": "notes",
    "authors note": "notes",
    "authors notes": "notes",
    "a/n": "notes",
    "category": "categories",
    "categories": "categories",
    "language": "language",
}
_HEADER_KEY_MAX = 40
# A key Ficshelf does not know still counts as a header line when it looks like one:
# a capitalized name of one to three words, e.g. "Disclaimer" or "Beta Reader".
_OTHER_KEY = re.compile(r"^[A-Z][A-Za-z'’]*(?: [A-Za-z'’]+){0,2}$")
_NOT_KEYS = {"chapter", "part", "prologue", "epilogue", "book", "section", "interlude"}


def header_key(line: str) -> tuple[str, str, str] | None:
    """(field, key as written, value) for a `Key: value` line; field "" for an unknown key."""
    key, colon, value = line.partition(":")
    key, value = key.strip(), value.strip()
    if not colon or not key or len(key) > _HEADER_KEY_MAX or "\n" in key:
        return None
    known = _HEADER_KEYS.get(_key(key))
    if known:
        return known, key, value
    if _OTHER_KEY.match(key) and value and _key(key).split()[0] not in _NOT_KEYS:
        return "", key, value
    return None


def split_header(text: str) -> tuple[list[tuple[str, str, str]], str]:
    """The header's (field, key, value) entries, and the text after the header."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    first = header_key(lines[start]) if start < len(lines) else None
    if first is None or not first[0]:
        return [], text
    # Each entry: field, key, and the lines of its value (a value may go on for many lines).
    entries: list[tuple[str, str, list[str]]] = []
    after_blank = False
    index = start
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            after_blank = True
        elif entry := header_key(line):
            entries.append((entry[0], entry[1], [entry[2]]))
            after_blank = False
        elif is_scene_break(line):
            index += 1  # A divider between the header and the text is neither.
            break
        elif after_blank:
            break
        else:
            entries[-1][2].append(line.strip())
        index += 1
    found = [(name, key, "\n".join(value).strip()) for name, key, value in entries]
    return found, "\n".join(lines[index:])


def read_header(entries: list[tuple[str, str, str]], parsed: ParsedFile) -> None:
    """Put the header's values on `parsed`; what fits nowhere else goes into its notes."""
    choices = parsed.choices
    parsed.has_header = bool(entries)
    notes: list[str] = []
    summary: list[str] = []
    lists: dict[str, list[str]] = {}  # values of list fields, gathered over all header lines

    def keep_in_notes(key: str, value: str) -> None:
        notes.append(f"{key}: {value}")

    for name, key, value in entries:
        if not value:
            continue
        if name == "title":
            choices.title = " ".join(value.split())
        elif name == "summary":
            summary.append(value)
        elif name == "notes":
            notes.append(value)
        elif name == "rating":
            rating = find_rating(value)
            if rating is None:
                keep_in_notes(key, value)
                parsed.warnings.append(
                    f"“{value}” is not a rating Ficshelf knows, so it was kept in the notes."
                )
            else:
                choices.rating = rating
        elif name == "language":
            language = find_language(value)
            if language is None:
                keep_in_notes(key, value)
                parsed.warnings.append(
                    f"“{value}” is not a language Ficshelf knows, so it was kept in the notes."
                )
            else:
                choices.language = language
        elif name == "warnings":
            for item in split_list(value):
                if warning := find_archive_warning(item):
                    lists.setdefault("warnings", []).append(warning)
                else:
                    lists.setdefault("freeforms", []).append(item)
                    parsed.warnings.append(
                        f"“{item}” is not an archive warning, so it was added as an additional tag."
                    )
        elif name == "categories":
            for item in split_list(value):
                if category := find_category(item):
                    lists.setdefault("categories", []).append(category)
                else:
                    lists.setdefault("freeforms", []).append(item)
                    parsed.warnings.append(
                        f"“{item}” is not a category, so it was added as an additional tag."
                    )
        elif name:  # fandoms, relationships, characters, freeforms
            lists.setdefault(name, []).extend(split_list(value))
        else:
            keep_in_notes(key, value)
            parsed.warnings.append(
                f"The header line “{key}” is not one Ficshelf knows, so it was kept in the notes."
            )
    for name, values in lists.items():
        setattr(choices, name, values)
    parsed.summary = plain_text_to_html("\n\n".join(summary))
    parsed.notes = plain_text_to_html("\n\n".join(notes))


# --- Formats ------------------------------------------------------------------------------------


def _read_html(text: str, parsed: ParsedFile) -> None:
    """The document's body (or all of it without its <head> and <title>), its <title>, or its
    first <h1>, which is dropped from the text when it repeats the title (the work's title is
    shown above its text). One pass over the tags; nothing is parsed twice."""
    titles: list[str] = []
    heading: list[str] = []
    body: list[int] = []  # where the first body starts and, once seen, ends
    head_spans: list[tuple[int, int]] = []  # <head>…</head> and <title>…</title>
    first_h1: tuple[int, int] | None = None
    opened: dict[str, int] = {}  # where the open <head>, <title> or first <h1> starts
    scripts: list[int] = []
    for token in tokens(text):
        name = token.name
        if token.kind == START:
            if name == "body" and not body:
                body.append(token.end)
            elif name in ("head", "title") and name not in opened:
                opened[name] = token.start
                if name == "title":
                    opened["title text"] = token.end
            elif name == "h1" and first_h1 is None and "h1" not in opened:
                opened["h1"] = token.start
            elif name == "script":
                scripts.append(token.start)
        elif token.kind == END:
            if name == "body" and len(body) == 1:
                body.append(token.start)
            elif name in ("head", "title") and name in opened:
                head_spans.append((opened.pop(name), token.end))
                if name == "title":
                    titles.append(html.unescape(text[opened.pop("title text") : token.start]))
            elif name == "h1" and "h1" in opened:
                first_h1 = (opened.pop("h1"), token.end)
        elif token.kind == TEXT and "h1" in opened:
            heading.append(html.unescape(token.text))
    title, h1 = " ".join("".join(titles).split()), " ".join("".join(heading).split())
    if first_h1 is None:
        h1 = ""
    if body:
        start, end = body[0], body[1] if len(body) > 1 else len(text)
        cut: list[tuple[int, int]] = []
    else:
        start, end, cut = 0, len(text), head_spans
    if h1 and (not title or h1 == title) and first_h1 and start <= first_h1[0] < end:
        cut = sorted([*cut, first_h1])
    parsed.choices.title = title or h1 or None
    if any(start <= place < end for place in scripts):
        parsed.warnings.append("Scripts in the file were removed; the rest of it was kept.")
    parsed.text = _without(text, start, end, cut)


def _without(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """text[start:end] without the (sorted) spans; a span inside an earlier one is ignored."""
    kept, position = [], start
    for cut_start, cut_end in spans:
        if cut_start >= position and cut_end <= end:
            kept.append(text[position:cut_start])
            position = cut_end
    kept.append(text[position:end])
    return "".join(kept)


# Possessive, so that a long line of dashes and spaces is read once.
_THEMATIC_BREAK = re.compile(r"^ {0,3}+([-*_])(?:[ \t]*+\1){2,}+[ \t]*+$")
_FENCE = re.compile(r"^ {0,3}```")


def _markdown_scene_breaks(text: str) -> str:
    """Mark scene breaks as plain text does: a divider line that Markdown would read otherwise
    (~~~ opens code, # is an empty heading, o0o is a word) or two blank lines become `* * *`.

    Fenced code (```) is left alone; a ~~~ line after a blank line is taken as a divider."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    result: list[str] = []
    in_code = seen_text = False
    blanks = 0
    for line in lines:
        if _FENCE.match(line):
            in_code = not in_code
        if in_code or not line.strip():
            blanks = 0 if in_code else blanks + 1
            result.append(line)
            continue
        if (blanks or not seen_text) and is_scene_break(line) and not _THEMATIC_BREAK.match(line):
            line = "* * *"
        elif seen_text and blanks >= 2:
            result.extend(["* * *", ""])
        blanks = 0
        seen_text = True
        result.append(line)
    return "\n".join(result)


def _markdown_title(text: str) -> tuple[str, str] | None:
    """(title, the text after it) when the text opens with a `# Title` heading."""
    opening = text.lstrip()
    if not opening.startswith(("# ", "#\t")):
        return None
    line, _, rest = opening[1:].partition("\n")
    # A closing sequence of #s is not part of the title ("# Traitor #").
    title = line.strip().rstrip("#").strip()
    return (title, rest) if title else None


def _read_markdown(text: str, parsed: ParsedFile) -> None:
    entries, text = split_header(text)
    read_header(entries, parsed)
    if not parsed.choices.title and (heading := _markdown_title(text)):
        parsed.choices.title, text = heading
    parsed.text = _markdown_scene_breaks(text)


def _read_plain(text: str, parsed: ParsedFile) -> None:
    entries, text = split_header(text)
    read_header(entries, parsed)
    parsed.text = text


_READERS = {
    TextFormat.PLAIN: _read_plain,
    TextFormat.MARKDOWN: _read_markdown,
    TextFormat.HTML: _read_html,
}


def parse_file(data: bytes, filename: str) -> ParsedFile:
    """Read a file's bytes into a ParsedFile, or raise ImportRefused saying what is wrong."""
    text_format = file_format(filename)
    check_size(len(data))
    filename = filename.replace("\x00", "")
    text, warnings = decode(data)
    parsed = ParsedFile(text="", text_format=text_format, warnings=warnings)
    _READERS[text_format](text, parsed)
    if not parsed.text.strip():
        raise ImportRefused(
            "The file has a header but no story text after it."
            if parsed.has_header
            else "The file has no story text.",
            field="file",
        )
    if len(parsed.text) > CHAPTER_TEXT_MAX:
        raise ImportRefused(
            f"The story text is {len(parsed.text):,} characters long; a chapter can hold at "
            f"most {CHAPTER_TEXT_MAX:,}. Please split it, import the first part, and add the "
            "rest as chapters.",
            field="file",
        )
    if not parsed.choices.title:
        stem = " ".join(re.split(r"[\s_]+", PurePath(filename).stem)).strip()
        parsed.choices.title = stem or "Untitled"
        parsed.warnings.append(
            f"The file has no title, so the work is called “{parsed.choices.title}”."
        )
    if len(parsed.warnings) > WARNINGS_SHOWN:
        more = len(parsed.warnings) - WARNINGS_SHOWN
        parsed.warnings[WARNINGS_SHOWN:] = [f"… and {more:,} more like these."]
    return parsed
