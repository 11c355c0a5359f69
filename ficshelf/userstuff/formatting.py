"""Turning text as a creator types it (rich text, plain text, Markdown) into clean HTML.

Rich text is HTML as AO3 takes it: where the creator wrote no paragraph markup, blank lines
make paragraphs, single newlines make line breaks and divider lines make scene breaks; HTML
copied from a word processor is first tidied into plain paragraphs (clipboard.py). Every path
is linear in the length of the text, and markup nested deeper than markup.MAX_DEPTH raises
TextRefused, whose message is for the text's author.
"""

import functools
import html
import re
from dataclasses import dataclass, field

from django.db import models
from markdown_it import MarkdownIt

from .clipboard import clipboard_to_html, is_clipboard_html
from .markup import END, START, TEXT, VOID, TextRefused, Token, balanced, balanced_html, tokens
from .markup import write as write_token
from .sanitizer import clean_html
from .scene_breaks import is_scene_break

__all__ = [
    "TextFormat",
    "TextRefused",
    "html_with_paragraphs",
    "is_scene_break",
    "markdown_to_html",
    "notes_to_html",
    "plain_text_to_html",
    "rich_text_to_html",
    "to_html",
]


class TextFormat(models.TextChoices):
    HTML = "html", "Rich text (HTML)"
    PLAIN = "plain", "Plain text"
    MARKDOWN = "markdown", "Markdown"


_BLANK_RUN = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])


def plain_text_to_html(text: str) -> str:
    """Paragraphs from blank lines; a run of two or more blank lines, or a divider line,
    becomes a scene break (<hr>). Single newlines inside a paragraph become <br>."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return ""
    blocks: list[str] = []
    # Split keeping the separators so that we can tell one blank line from several.
    pieces = _BLANK_RUN.split(text)
    separators = _BLANK_RUN.findall(text)
    for index, piece in enumerate(pieces):
        lines = [line.rstrip() for line in piece.split("\n")]
        paragraph: list[str] = []
        for line in lines:
            if is_scene_break(line):
                if paragraph:
                    blocks.append(_paragraph(paragraph))
                    paragraph = []
                blocks.append("<hr>")
            elif line.strip():
                paragraph.append(line.strip())
        if paragraph:
            blocks.append(_paragraph(paragraph))
        if index < len(separators) and separators[index].count("\n") >= 3:
            blocks.append("<hr>")
    return "\n".join(_collapse_breaks(blocks))


def _paragraph(lines: list[str]) -> str:
    return "<p>" + "<br>\n".join(html.escape(line, quote=False) for line in lines) + "</p>"


def _collapse_breaks(blocks: list[str]) -> list[str]:
    """Drop scene breaks at the very start or end and doubled ones: they separate nothing."""
    collapsed: list[str] = []
    for block in blocks:
        if block == "<hr>" and (not collapsed or collapsed[-1] == "<hr>"):
            continue
        collapsed.append(block)
    while collapsed and collapsed[-1] == "<hr>":
        collapsed.pop()
    return collapsed


# --- Rich text ------------------------------------------------------------------------------

# Blocks: loose text around them is a paragraph of its own.
_BLOCKS = {"address", "blockquote", "caption", "center", "col", "colgroup", "dd", "details",
           "div", "dl", "dt", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
           "li", "ol", "p", "pre", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
           "tr", "ul"}  # fmt: skip
# Blocks whose loose text is paragraphed when it has blank lines or divider lines in it.
_CONTAINERS = {"div", "blockquote", "center"}


def _normalized(text: str) -> str:
    # As HTML reads text: one kind of line end. NUL is never text (PostgreSQL refuses it).
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


@dataclass
class _Level:
    """A block open in the text, and the loose text (inline tokens) gathered inside it."""

    container: bool
    top: bool = False
    inline_depth: int = 0  # inline elements open directly in a block that is no container
    run: list[Token] = field(default_factory=list)
    run_depth: int = 0  # elements open inside the run
    run_has_block: bool = False


def html_with_paragraphs(text: str) -> str:
    """Rich text with its loose text paragraphed as AO3 does: outside block markup, blank
    lines make <p> paragraphs, single newlines make <br> and divider lines make <hr>; inside
    a <div> or <blockquote>, only text that has blank lines or dividers is paragraphed. Inline
    markup spanning a paragraph break is closed and reopened around it. The result is
    balanced but not cleaned: pass it to clean_html. Raises TextRefused."""
    return "".join(_paragraphed(balanced(tokens(_normalized(text)))))


def _paragraphed(stream) -> list[str]:
    out: list[str] = []
    levels = [_Level(container=True, top=True)]
    for token in stream:
        level = levels[-1]
        block = token.kind == START and token.name in _BLOCKS
        if level.container and (level.run_depth or not (block or token.kind == END)):
            level.run.append(token)
            level.run_has_block |= block
            if token.kind == START and token.name not in VOID:
                level.run_depth += 1
            elif token.kind == END:
                level.run_depth -= 1
            continue
        if level.container:
            out.extend(_flush(level))
        out.append(write_token(token))
        if block and token.name not in VOID:
            levels.append(_Level(container=token.name in _CONTAINERS))
        elif token.kind == START and token.name not in VOID:
            level.inline_depth += 1
        elif token.kind == END:
            if level.inline_depth:
                level.inline_depth -= 1
            else:
                levels.pop()
    out.extend(_flush(levels[0]))
    return out


def _flush(level: _Level) -> list[str]:
    """The loose text gathered in `level`, paragraphed where it should be."""
    run, has_block = level.run, level.run_has_block
    level.run, level.run_has_block = [], False
    # Inline markup holding a block (<em><p>…</p></em>) is kept as written.
    blocks = [] if has_block or not run else _Paragraphs(run).blocks
    if not blocks or not (level.top or len(blocks) > 1 or "<hr>" in blocks):
        return [write_token(token) for token in run]
    before = "\n" if run[0].kind == TEXT and run[0].text[:1].isspace() else ""
    after = "\n" if run[-1].kind == TEXT and run[-1].text[-1:].isspace() else ""
    return [before, "\n".join(blocks), after]


class _Paragraphs:
    """Loose text (text and balanced inline elements) as paragraphs and scene breaks."""

    def __init__(self, run: list[Token]):
        self.blocks: list[str] = []
        self.paragraph: list[str] = []
        self.open_tags: list[Token] = []  # inline elements open where the paragraph is
        self.has_text = False
        self.newlines = 0  # line ends since the last text
        self.after_br = False
        self.at_line_start = True
        for index, token in enumerate(run):
            if token.kind == TEXT:
                self.text(token.text, last=index == len(run) - 1)
            else:
                self.tag(token)
        self.finish()

    def finish(self) -> None:
        if self.has_text:
            closing = "".join(f"</{tag.name}>" for tag in reversed(self.open_tags))
            self.blocks.append(f"<p>{''.join(self.paragraph).strip()}{closing}</p>")
        # Inline markup open across the paragraph break is reopened in the next paragraph.
        self.paragraph = [write_token(tag) for tag in self.open_tags]
        self.has_text = self.after_br = False

    def line_ends(self) -> None:
        """What the line ends before this point become, now that something follows them."""
        if self.newlines >= 2:
            self.finish()
        elif self.newlines == 1 and self.has_text:
            self.paragraph.append("\n" if self.after_br else "<br>\n")
        self.newlines = 0

    def tag(self, token: Token) -> None:
        if token.kind == START:
            self.line_ends()
        self.paragraph.append(write_token(token))
        if token.kind == END:
            self.open_tags.pop()
        elif token.name == "br":
            self.after_br = True
        elif token.name in VOID:
            self.has_text, self.after_br = True, False
        else:
            self.open_tags.append(token)
        self.at_line_start = False

    def text(self, text: str, *, last: bool) -> None:
        lines = text.split("\n")
        for number, line in enumerate(lines):
            if number:
                self.newlines += 1
                self.at_line_start = True
            ends_line = number < len(lines) - 1 or last
            if not line.strip():
                if not self.at_line_start and not ends_line:
                    self.paragraph.append(line)  # the space between two inline elements
                continue
            if self.at_line_start and ends_line and not self.open_tags:
                if is_scene_break(html.unescape(line)):
                    self.finish()
                    self.newlines = 0
                    if not self.blocks or self.blocks[-1] != "<hr>":
                        self.blocks.append("<hr>")
                    continue
            self.line_ends()
            if self.at_line_start:
                line = line.lstrip()
            # Text keeps its entities; a `<` that starts no tag is escaped, as markup.write does.
            self.paragraph.append((line.rstrip() if ends_line else line).replace("<", "&lt;"))
            self.has_text, self.after_br, self.at_line_start = True, False, False


def rich_text_to_html(text: str) -> str:
    """Rich text as balanced HTML with paragraphs, not yet cleaned (see html_with_paragraphs);
    HTML pasted from a word processor becomes plain paragraphs (see clipboard.py)."""
    text = _normalized(text)
    if is_clipboard_html(text):
        return clipboard_to_html(text)
    return html_with_paragraphs(text)


def markdown_to_html(text: str) -> str:
    """CommonMark with raw HTML off; the result is still cleaned like any HTML."""
    return _markdown.render(text)


# The same text is converted several times per request (the form checks it, the service
# stores it, the beta reader checks it): convert it once.
@functools.lru_cache(maxsize=4)
def to_html(text: str, text_format: str) -> str:
    """Clean HTML for `text` typed in `text_format`. Raises TextRefused, with a message for the
    text's author, for HTML nested deeper than any story needs."""
    if text_format == TextFormat.PLAIN:
        return clean_html(plain_text_to_html(_normalized(text)))
    if text_format == TextFormat.MARKDOWN:
        return clean_html(balanced_html(markdown_to_html(_normalized(text))))
    return clean_html(rich_text_to_html(text))


def notes_to_html(text: str) -> str:
    """Clean HTML for a summary or notes, typed as rich text like a chapter's. Raises
    TextRefused."""
    return to_html(text, TextFormat.HTML)
