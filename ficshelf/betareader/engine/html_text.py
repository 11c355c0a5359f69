"""The visible text of an HTML chapter, with a map from each text offset back into the HTML.

Inline markup (`<i>`, `<em>`, `<span>` ...) joins its text to the words around it, so
"wo<i>rd</i>" reads as "word"; block boundaries (`</p>`, `<br>`, `<li>` ...) become line
breaks so words of two paragraphs never merge. Entities are decoded, each decoded character
mapped to its entity. Odd HTML never raises: what does not parse as markup is text.
"""

import html
import re
from dataclasses import dataclass

_BLOCK = {
    "p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
    "h6", "blockquote", "pre", "table", "tr", "td", "th", "thead", "tbody", "section",
    "article", "header", "footer", "aside", "figure", "figcaption", "center", "details",
    "summary", "main", "nav", "address", "body", "html", "head", "title",
}  # fmt: skip
_SKIP_CONTENT = {"script", "style", "template", "noscript", "head"}
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"  # comment
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<[!?][^>]*>?"  # doctype, processing instruction
    r"|</?([A-Za-z][A-Za-z0-9:-]*)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>"  # a tag
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?",  # an entity
    re.S,
)


@dataclass
class ExtractedText:
    text: str
    starts: list[int]  # starts[i]: where text[i] comes from in the HTML
    ends: list[int]  # ends[i]: where the source of text[i] ends in the HTML
    html: str

    def html_span(self, start: int, end: int) -> tuple[int, int, bool]:
        """The HTML span of text[start:end], and whether it is plain text there (no markup
        or entity inside, so a replacement can be applied to the HTML as it is)."""
        if end <= start:
            position = self.starts[start] if start < len(self.starts) else len(self.html)
            return position, position, True
        html_start, html_end = self.starts[start], self.ends[end - 1]
        return html_start, html_end, self.html[html_start:html_end] == self.text[start:end]


def extract(source: str) -> ExtractedText:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    skipping: str | None = None
    pos = 0

    def add(text: str, start: int, end: int) -> None:
        chars.append(text)
        starts.extend([start] * len(text))
        ends.extend([end] * len(text))

    def add_source(start: int, end: int) -> None:
        # Text copied as it is, each character from its own place (one call per run, not
        # per character: a chapter is up to 510,000 characters).
        if start < end:
            chars.append(source[start:end])
            starts.extend(range(start, end))
            ends.extend(range(start + 1, end + 1))

    for match in _TOKEN.finditer(source):
        if skipping is None:
            add_source(pos, match.start())
        pos = match.end()
        token = match.group(0)
        name = (match.group(1) or "").lower()
        if token.startswith("&"):
            if skipping is None:
                add(html.unescape(token), match.start(), match.end())
            continue
        if not name:
            continue
        closing = token.startswith("</")
        if skipping is not None:
            if closing and name == skipping:
                skipping = None
            continue
        if name in _SKIP_CONTENT and not closing and not token.endswith("/>"):
            skipping = name
            continue
        if name in _BLOCK:
            if name in ("br", "td", "th"):
                add("\n", match.start(), match.end())
            elif chars and not "".join(chars[-2:]).endswith("\n\n"):
                add("\n" if chars[-1].endswith("\n") else "\n\n", match.start(), match.end())
    if skipping is None:
        add_source(pos, len(source))
    return ExtractedText("".join(chars), starts, ends, source)
