"""Turning text as a creator types it (rich text, plain text, Markdown) into clean HTML."""

import html
import re

from django.db import models
from markdown_it import MarkdownIt

from .sanitizer import clean_html


class TextFormat(models.TextChoices):
    HTML = "html", "Rich text (HTML)"
    PLAIN = "plain", "Plain text"
    MARKDOWN = "markdown", "Markdown"


# A line that is only a divider: ***, * * *, ---, ~~~, #, o0o, oOo, xXx, =+=, and the like.
SCENE_BREAK_LINE = re.compile(
    r"^\s*(?:"
    r"[*~#=_+\-•·]{1,}(?:\s*[*~#=_+\-•·]){0,}"  # *** or * * * or --- or ~~~ or #
    r"|[oO0xX]{3,}|[oO0]+[0xX][oO0]+"  # o0o, OoO, xXx, oOo0oOo
    r")\s*$"
)
_BLANK_RUN = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])


def is_scene_break(line: str) -> bool:
    line = line.strip()
    if line.isalnum():
        # Letter dividers read the same both ways (o0o, xXx); "xoxo" or "Oooo" is a word.
        return bool(SCENE_BREAK_LINE.match(line)) and not line.isdigit() and line == line[::-1]
    return bool(SCENE_BREAK_LINE.match(line))


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


# Markup that already says where paragraphs are; HTML without it is paragraphed by blank lines.
_BLOCK_MARKUP = re.compile(r"<(?:p|div|br|blockquote|ul|ol|dl|table|h[1-6]|hr|pre)\b", re.I)
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def html_with_paragraphs(text: str) -> str:
    """HTML typed without block markup gets <p> from blank lines and <br> from single newlines,
    as AO3 does for summaries and notes. Not cleaned: pass the result to clean_html."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if text and not _BLOCK_MARKUP.search(text):
        paragraphs = [part.strip() for part in _BLANK_LINES.split(text) if part.strip()]
        text = "\n".join("<p>" + part.replace("\n", "<br>\n") + "</p>" for part in paragraphs)
    return text


def markdown_to_html(text: str) -> str:
    """CommonMark with raw HTML off; the result is still cleaned like any HTML."""
    return _markdown.render(text)


def to_html(text: str, text_format: str) -> str:
    """Clean HTML for `text` typed in `text_format`."""
    if text_format == TextFormat.PLAIN:
        return clean_html(plain_text_to_html(text))
    if text_format == TextFormat.MARKDOWN:
        return clean_html(markdown_to_html(text))
    return clean_html(text)
