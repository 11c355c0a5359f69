"""Text pasted from a word processor: Google Docs, Microsoft Word and LibreOffice.

What these programs put on the clipboard says little with tags and much with styles: Google
Docs wraps everything in a <b> that is not bold (`font-weight:normal`) and makes words bold or
italic with `<span style="font-weight:700">`; Word pads the text with empty paragraphs
(`<p class=MsoNormal><o:p>&nbsp;</o:p></p>`) and conditional comments; LibreOffice wraps
paragraphs across source lines. `clipboard_to_html` keeps what a reader sees (paragraphs,
italics, bold, underline, strike-through, super- and subscript, links, headings, lists and
tables, centred and right-aligned lines) and drops the rest: styles, classes, spans, fonts,
empty spacer paragraphs. A paragraph that is only a divider (`***`, centred or not) becomes
a scene break, <hr>.
"""

import html
import re
from dataclasses import dataclass, field

from .markup import END, START, TEXT, VOID, Token, balanced, start_tag, tokens
from .scene_breaks import is_scene_break

# Signs that HTML came from a word processor's clipboard (or was saved by one).
_MARKERS = re.compile(
    r"docs-internal-guid|urn:schemas-microsoft-com:office|class=\"?'?Mso|<o:p>|mso-[a-z]"
    r"|name=\"?generator\"? content=\"?LibreOffice",
    re.I,
)

# Marks in the order they nest when written, outermost first.
_ORDER = ("a", "strong", "em", "u", "s", "sup", "sub")
_TAG_MARKS = {
    "b": "strong",
    "strong": "strong",
    "i": "em",
    "em": "em",
    "u": "u",
    "ins": "u",
    "s": "s",
    "strike": "s",
    "del": "s",
    "sup": "sup",
    "sub": "sub",
}
# Elements that hold a paragraph's text; each becomes a paragraph (headings stay headings).
_LEAVES = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "address", "caption", "figcaption",
           "summary"}  # fmt: skip
# Elements kept as they are, without their attributes, around the paragraphs they hold.
_STRUCTURE = {"ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr",
              "td", "th", "blockquote"}  # fmt: skip
# Any other block only separates paragraphs.
_BLOCKS = _LEAVES | _STRUCTURE | {"div", "center", "details", "figure", "hr", "col", "colgroup"}
_SPACES = re.compile(r"[ \t\n\r\f\u00a0]+")
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
_WEIGHTS_BOLD = {"bold", "bolder"}


def is_clipboard_html(text: str) -> bool:
    """Whether `text` carries the marks of Google Docs, Word or LibreOffice HTML."""
    return bool(_MARKERS.search(text))


def _declarations(style: str) -> dict[str, str]:
    found = {}
    for declaration in style.split(";"):
        name, colon, value = declaration.partition(":")
        if colon:
            value = value.lower().replace("!important", "").strip()
            found[name.strip().lower()] = value
    return found


def _marks(token: Token, outer: dict[str, str]) -> dict[str, str]:
    """The marks text inside `token` has: its parent's, changed by its tag and its style. A
    style beats the tag: Google Docs' `<b style="font-weight:normal">` is not bold."""
    marks = dict(outer)
    if mark := _TAG_MARKS.get(token.name):
        marks[mark] = ""
    if token.name == "a" and (href := token.attribute("href")):
        marks["a"] = href
    style = _declarations(token.attribute("style") or "")
    weight = style.get("font-weight", "")
    if weight in _WEIGHTS_BOLD or (weight.isdigit() and int(weight) >= 600):
        marks["strong"] = ""
    elif weight:
        marks.pop("strong", None)
    italic = style.get("font-style", "")
    if italic in ("italic", "oblique"):
        marks["em"] = ""
    elif italic:
        marks.pop("em", None)
    decoration = style.get("text-decoration-line", style.get("text-decoration"))
    if decoration is not None:
        for name, word in (("u", "underline"), ("s", "line-through")):
            if word in decoration:
                marks[name] = ""
            else:
                marks.pop(name, None)
    position = style.get("vertical-align", "")
    if position in ("super", "sub"):
        marks.pop("sub" if position == "super" else "sup", None)
        marks[position] = ""
    elif position:
        marks.pop("sup", None)
        marks.pop("sub", None)
    if "a" in marks:
        marks.pop("u", None)  # A link's underline is the program drawing a link.
    return marks


def _alignment(token: Token) -> str | None:
    align = (token.attribute("align") or "").lower()
    align = _declarations(token.attribute("style") or "").get("text-align", align)
    return align if align in ("center", "right") else None


TEXT_PIECE, BREAK, IMAGE = "text", "br", "img"


@dataclass
class _Paragraph:
    """What one paragraph holds so far: pieces of (marks, kind, decoded text or image tag)."""

    tag: str = "p"
    align: str | None = None
    pieces: list[tuple[tuple[tuple[str, str], ...], str, str]] = field(default_factory=list)

    def add(self, marks: dict[str, str], kind: str, text: str = "") -> None:
        ordered = tuple((name, marks[name]) for name in _ORDER if name in marks)
        self.pieces.append((ordered, kind, text))

    def written(self) -> str | None:
        """The paragraph as HTML, <hr> if it is a divider; None if it holds no text."""
        pieces = _spaced(self.pieces)
        visible = "".join(text for _, kind, text in pieces if kind == TEXT_PIECE)
        if not visible.strip() and not any(kind == IMAGE for _, kind, _ in pieces):
            return None
        if is_scene_break(visible):
            return "<hr>"
        body: list[str] = []
        open_marks: tuple = ()
        for marks, kind, text in pieces:
            if kind == TEXT_PIECE and not text.strip():
                marks = open_marks  # A space takes the marks around it: no <strong> </strong>.
            common = 0
            while common < min(len(open_marks), len(marks)) and open_marks[common] == marks[common]:
                common += 1
            body.extend(f"</{name}>" for name, _ in reversed(open_marks[common:]))
            body.extend(_open(name, value) for name, value in marks[common:])
            open_marks = marks
            body.append("<br>" if kind == BREAK else text if kind == IMAGE else html.escape(text))
        body.extend(f"</{name}>" for name, _ in reversed(open_marks))
        attributes = [("align", self.align)] if self.align else []
        return f"{start_tag(self.tag, attributes)}{''.join(body)}</{self.tag}>"


def _spaced(pieces: list) -> list:
    """The pieces with one space between words and none at the paragraph's edges or around
    line breaks (which are dropped at the edges too)."""
    spaced: list = []
    space_before = True
    for marks, kind, text in pieces:
        if kind == BREAK:
            _trim_end(spaced)
            if spaced:
                spaced.append((marks, kind, text))
            space_before = True
            continue
        if kind == TEXT_PIECE:
            text = _SPACES.sub(" ", text)
            if space_before:
                text = text.lstrip(" ")
            if not text:
                continue
            space_before = text.endswith(" ")
        else:
            space_before = False
        spaced.append((marks, kind, text))
    _trim_end(spaced)
    while spaced and spaced[-1][1] == BREAK:
        spaced.pop()
        _trim_end(spaced)
    return spaced


def _trim_end(pieces: list) -> None:
    while pieces and pieces[-1][1] == TEXT_PIECE:
        marks, kind, text = pieces[-1]
        if text := text.rstrip(" "):
            pieces[-1] = (marks, kind, text)
            return
        pieces.pop()


def _open(name: str, value: str) -> str:
    return start_tag("a", [("href", value)]) if name == "a" else f"<{name}>"


class _Writer:
    """Paragraphs out of the balanced tokens of clipboard HTML."""

    def __init__(self):
        self.out: list[str] = []
        self.marks: list[dict[str, str]] = [{}]
        self.leaves: list[tuple[str, str | None]] = []  # paragraph elements open, innermost last
        self.paragraph = _Paragraph()

    def finish(self) -> None:
        """Write the paragraph collected so far and start the next one."""
        self.write(self.paragraph.written())
        self.paragraph = _Paragraph(*self.leaves[-1]) if self.leaves else _Paragraph()

    def write(self, block: str | None) -> None:
        if block and not (block == "<hr>" and (not self.out or self.out[-1] == "<hr>")):
            self.out.append(block)

    def start(self, token: Token) -> None:
        name = token.name
        if name == "br":
            self.paragraph.add(self.marks[-1], BREAK)
        elif name == "img":
            source = token.attribute("src") or ""
            if source.startswith(("https://", "http://")):
                image = start_tag("img", [("src", source), ("alt", token.attribute("alt") or "")])
                self.paragraph.add(self.marks[-1], IMAGE, image)
        elif name == "hr":
            self.finish()
            self.write("<hr>")
        elif name not in VOID:
            if name in _BLOCKS:
                self.finish()
                if name in _STRUCTURE:
                    self.out.append(f"<{name}>")
                if name in _LEAVES:
                    self.leaves.append((name, _alignment(token)))
                    self.paragraph = _Paragraph(*self.leaves[-1])
            self.marks.append(_marks(token, self.marks[-1]))

    def end(self, token: Token) -> None:
        name = token.name
        if name in VOID:
            return
        self.marks.pop()
        if name in _BLOCKS:
            if name in _LEAVES:
                self.paragraph.tag, self.paragraph.align = self.leaves.pop()
            self.finish()
            if name in _STRUCTURE:
                self.out.append(f"</{name}>")

    def text(self, raw: str) -> None:
        text = html.unescape(raw)
        if self.leaves:
            self.paragraph.add(self.marks[-1], TEXT_PIECE, text)
            return
        # Text outside any paragraph (typed around the pasted part): blank lines separate
        # paragraphs and single newlines break lines, as in rich text typed by hand.
        for number, part in enumerate(_BLANK_LINE.split(text)):
            if number:
                self.finish()
            for index, line in enumerate(part.split("\n")):
                if line.strip() and is_scene_break(line):
                    self.finish()
                    self.write("<hr>")
                    continue
                if index and line.strip():
                    self.paragraph.add(self.marks[-1], BREAK)
                self.paragraph.add(self.marks[-1], TEXT_PIECE, line)


def clipboard_to_html(text: str) -> str:
    """Clean paragraphs from a word processor's clipboard HTML (not yet sanitized: pass the
    result to clean_html). Raises TextRefused for markup nested too deep."""
    writer = _Writer()
    for token in balanced(tokens(text)):
        if token.kind == TEXT:
            writer.text(token.text)
        elif token.kind == START:
            writer.start(token)
        elif token.kind == END:
            writer.end(token)
    writer.finish()
    while writer.out and writer.out[-1] == "<hr>":  # A scene break at the end separates nothing.
        writer.out.pop()
    return "\n".join(writer.out)
