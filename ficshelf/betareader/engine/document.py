"""A text prepared for checking: normalized quotes, words, paragraphs and dialogue spans.

Every offset is a str offset into the text as given. Normalizing only swaps single characters
for single characters (curly quotes for straight ones, no-break spaces for spaces), so offsets
into `normalized` are offsets into `text` too.
"""

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from .findings import Category, Finding, Severity

_NORMALIZE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
# A line that ends in the middle of a sentence (a letter, digit, comma or semicolon) and the
# next line are one paragraph hard-wrapped, not two.
_OPEN_LINE_END = re.compile(r"[\w,;]$")
# A run of end marks is read once: it cannot start in the middle of another run (the
# lookbehind) nor give characters back, so a line of 500,000 dots is not read 500,000 times.
_SENTENCE_END = re.compile(
    r"""(?<![.!?\u2026])[.!?\u2026]++["')\]]*+(?=\s++["'(\[]?[A-Z0-9])"""
    r"""|(?<![.!?\u2026])[.!?\u2026]++["')\]]*+\s*+$"""
)


_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_WRAP_WIDTH = 80
_WRAPPED_MIN_LINES = 10
# A single curly quote opening dialogue: at a line's start or after a space, dash or bracket,
# before a letter, digit or dash. It is closed by the next ’ not followed by a letter (the
# ’ of "don’t" and "o’clock" is an apostrophe).
_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[\-\u2014\u2013]))\u2018(?=[\w\u2014\u2013\-.])", re.M)
_SINGLE_CLOSE = re.compile(r"\u2019(?![^\W\d_])")


def _single_quote_dialogue(text: str) -> list[int]:
    """The positions of the single quotation marks of dialogue written ‘like this’, opening
    and closing, when the text writes its dialogue so (more ‘ than “); else none."""
    if text.count("\u2018") <= text.count("\u201c"):
        return []
    marks = []
    for opening in _SINGLE_OPEN.finditer(text):
        if marks and opening.start() < marks[-1]:
            continue  # inside the quotation just paired
        line_end = text.find("\n", opening.end())
        closing = _SINGLE_CLOSE.search(text, opening.end(), len(text) if line_end < 0 else line_end)
        marks.append(opening.start())
        if closing is not None:  # else it runs on into the next paragraph, as quotes may
            marks.append(closing.start())
    return marks


def normalize(text: str) -> str:
    """`text` with curly quotes and odd spaces made plain, character for character."""
    return text.translate(_NORMALIZE)


class Word(NamedTuple):
    start: int
    end: int
    text: str  # as normalized (straight apostrophes)
    lower: str


@dataclass(frozen=True)
class Quote:
    """A double quotation mark and whether it opens or closes a quotation."""

    pos: int
    opens: bool


@dataclass
class Paragraph:
    start: int
    end: int
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class Document:
    text: str

    @cached_property
    def normalized(self) -> str:
        """The text with quotes made straight; where dialogue is written in single quotes
        (British style, ‘like this’), their quotation marks become double ones, so the
        dialogue is checked as double-quoted dialogue is."""
        normalized = normalize(self.text)
        marks = _single_quote_dialogue(self.text)
        if not marks:
            return normalized
        chars = list(normalized)
        for pos in marks:
            chars[pos] = '"'
        return "".join(chars)

    @cached_property
    def single_quote_marks(self) -> frozenset[int]:
        """Where the text's single quotation marks of dialogue are (see `normalized`)."""
        return frozenset(_single_quote_dialogue(self.text))

    @cached_property
    def hard_wrapped(self) -> bool:
        """Whether the text is hard-wrapped, as Project Gutenberg's books and e-mail are:
        paragraphs between blank lines, each of several short lines. Then a line break inside
        a paragraph is only a wrap, whatever the line ends with."""
        lines = [line for line in self.text.splitlines() if line.strip()]
        if len(lines) < _WRAPPED_MIN_LINES:
            return False
        short = sum(len(line) <= _WRAP_WIDTH for line in lines)
        blocks = len([b for b in _BLANK_LINES.split(self.text) if b.strip()])
        return short >= 0.95 * len(lines) and 3 <= blocks and 2 * blocks <= len(lines)

    @cached_property
    def words(self) -> list[Word]:
        return [
            Word(m.start(), m.end(), word, word.lower())
            for m in WORD.finditer(self.normalized)
            for word in (m.group(),)
        ]

    @cached_property
    def words_by_lower(self) -> dict[str, list[tuple[Word, int]]]:
        """Each word, lower case, to its occurrences and their indexes in `words`."""
        index: dict[str, list[tuple[Word, int]]] = {}
        for position, word in enumerate(self.words):
            index.setdefault(word.lower, []).append((word, position))
        return index

    @cached_property
    def _word_starts(self) -> list[int]:
        return [word.start for word in self.words]

    def word_index_at(self, pos: int) -> int | None:
        """The index of the word covering `pos`, or None."""
        index = bisect.bisect_right(self._word_starts, pos) - 1
        if index >= 0 and self.words[index].start <= pos < self.words[index].end:
            return index
        return None

    def next_word_index(self, pos: int) -> int:
        """The index of the first word starting at or after `pos` (may be len(words))."""
        return bisect.bisect_left(self._word_starts, pos)

    def joined(self, first: int, second: int) -> bool:
        """Whether words `first` and `second` are separated by spaces only (same clause)."""
        gap = self.normalized[self.words[first].end : self.words[second].start]
        return gap.isspace() and "\n" not in gap

    def neighbours(self, index: int) -> tuple[str | None, str | None]:
        """The lower-case words on each side of word `index` in its clause (None at an edge):
        the context a bigram model reads."""
        words = self.words
        before = words[index - 1].lower if index and self.joined(index - 1, index) else None
        after = (
            words[index + 1].lower
            if index + 1 < len(words) and self.joined(index, index + 1)
            else None
        )
        return before, after

    @cached_property
    def paragraphs(self) -> list[Paragraph]:
        paragraphs: list[Paragraph] = []
        text = self.normalized
        pos = 0
        previous_open = False
        for line in text.splitlines(keepends=True):
            start, end = pos, pos + len(line.rstrip("\r\n"))
            pos += len(line)
            if not line.strip():
                previous_open = False
                continue
            if previous_open and paragraphs:
                paragraphs[-1].end = end
            else:
                paragraphs.append(Paragraph(start, end))
            previous_open = self.hard_wrapped or bool(_OPEN_LINE_END.search(line.rstrip()))
        for paragraph in paragraphs:
            paragraph.quotes = _quotes(self.text, text, paragraph.start, paragraph.end)
        return paragraphs

    @cached_property
    def dialogue(self) -> list[tuple[int, int]]:
        """The spans inside double quotation marks, quotes included."""
        spans = []
        for paragraph in self.paragraphs:
            opened = None
            for quote in paragraph.quotes:
                if quote.opens:
                    opened = quote.pos if opened is None else opened
                elif opened is not None:
                    spans.append((opened, quote.pos + 1))
                    opened = None
            if opened is not None:
                spans.append((opened, paragraph.end))
        return spans

    @cached_property
    def _dialogue_starts(self) -> list[int]:
        return [start for start, _ in self.dialogue]

    def in_dialogue(self, pos: int) -> bool:
        index = bisect.bisect_right(self._dialogue_starts, pos) - 1
        return index >= 0 and pos < self.dialogue[index][1]

    def sentence_start(self, pos: int) -> bool:
        """Whether `pos` opens a sentence: only spaces and quotes after a sentence's end."""
        before = self.normalized[max(0, pos - 40) : pos].rstrip(" \t\"'(")
        return not before or before[-1] in ".!?\n" or pos <= 40 and not before.strip()

    @cached_property
    def curly(self) -> bool:
        """Whether the text writes apostrophes and quotes curly (’ ”) rather than straight."""
        curly = sum(self.text.count(c) for c in "\u2018\u2019\u201c\u201d")
        return curly > self.text.count("'") + self.text.count('"')

    def finding(
        self,
        start: int,
        end: int,
        *,
        severity: Severity,
        category: Category,
        rule: str,
        message: str,
        suggestions: tuple[str, ...] | list[str] = (),
    ) -> Finding:
        """A Finding over text[start:end], suggestions in the text's own quote style."""
        original = self.text[start:end]
        curly_here = any(c in original for c in "\u2018\u2019\u201c\u201d") or (
            self.curly and not any(c in original for c in "'\"")
        )
        single = any(start <= pos < end for pos in self.single_quote_marks) or (
            bool(self.single_quote_marks) and '"' not in original
        )
        fixes = []
        for suggestion in suggestions:
            if curly_here:
                suggestion = _curl(suggestion, single=single)
            if suggestion not in fixes and suggestion != original:
                fixes.append(suggestion)
        return Finding(
            start=start,
            end=end,
            text=original,
            severity=severity,
            category=category,
            rule=rule,
            message=message,
            suggestions=tuple(fixes),
        )

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """Rough sentence spans within paragraphs, for the style notes."""
        spans = []
        for paragraph in self.paragraphs:
            start = paragraph.start
            chunk = self.normalized[paragraph.start : paragraph.end]
            for match in _SENTENCE_END.finditer(chunk):
                end = paragraph.start + match.end()
                spans.append((start, end))
                start = end
            if start < paragraph.end and self.normalized[start : paragraph.end].strip():
                spans.append((start, paragraph.end))
        return [_strip_span(self.normalized, s, e) for s, e in spans]


def _curl(text: str, *, single: bool = False) -> str:
    """`text` with curly apostrophes and quotes; `single`: its quotes as ‘ ’ (British)."""
    text = text.replace("'", "\u2019")
    if '"' in text:
        chars = list(text)
        for i, c in enumerate(chars):
            if c == '"':
                opens = (
                    i + 1 < len(chars)
                    and not chars[i + 1].isspace()
                    and (i == 0 or chars[i - 1].isspace())
                )
                if single:
                    chars[i] = "\u2018" if opens else "\u2019"
                else:
                    chars[i] = "\u201c" if opens else "\u201d"
        text = "".join(chars)
    return text


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _quotes(original: str, text: str, start: int, end: int) -> list[Quote]:
    """The double quotes of one paragraph, each classed as opening or closing.

    Curly quotes say which they are; a straight quote opens after a space, a dash or an
    opening bracket and closes after anything else, else it alternates."""
    quotes = []
    inside = False
    pos = text.find('"', start, end)
    while pos != -1:
        char = original[pos]
        before = text[pos - 1] if pos > start else " "
        after = text[pos + 1] if pos + 1 < end else " "
        if before.isdigit() and not inside:  # 6'2" is a height, not a quotation
            pos = text.find('"', pos + 1, end)
            continue
        if char == "\u201c":
            opens = True
        elif char == "\u201d":
            opens = False
        elif before.isspace() or before in "([{-\u2014\u2013/":
            opens = not (after.isspace() and inside)
        elif after.isspace() or after in ".,;:!?)]}-\u2014\u2013":
            opens = False
        else:
            opens = not inside
        quotes.append(Quote(pos, opens))
        inside = opens
        pos = text.find('"', pos + 1, end)
    return quotes


def match_case(original: str, replacement: str) -> str:
    """`replacement` in the case of `original`: "Your" -> "You're", "ALOT" -> "A LOT"."""
    if not replacement or not original:
        return replacement
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if original[0].isupper() and not replacement[0].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement
