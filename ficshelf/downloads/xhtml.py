"""Sanitized chapter HTML rewritten as well-formed XHTML that e-readers (and epubcheck) accept.

The sanitizer writes HTML5: void elements unclosed, named entities, and the old presentational
tags and attributes AO3 allows (<center>, align=…). Here the stored text is read with the
project's own tokenizer, nested as a browser nests it (`markup.balanced`), built into an
ElementTree and written by its serializer, so every `&` and `<` is escaped and every element
closed. Along the way:
- obsolete elements become their HTML5 equivalents (<center> a <div class="center">…) and
  attributes HTML5 dropped are left out (an `align` becomes a class);
- a block opened inside an inline element or a paragraph closes them first, and list items and
  table cells outside their list or row get one, so the content model is valid;
- in an EPUB, images become links to them: a book may not load remote resources.
"""

import html
import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

from ficshelf.userstuff.markup import END, START, TEXT, VOID, balanced, tokens
from ficshelf.userstuff.paragraphs import strip_paragraph_ids

# Characters XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NUMBER = re.compile(r"^[0-9]{1,6}$")

RENAMED = {
    "acronym": ("abbr", ""),
    "big": ("span", "big"),
    "center": ("div", "center"),
    "strike": ("s", ""),
    "tt": ("code", ""),
}
# Elements that hold only phrasing content: a block inside one of them closes it.
PHRASING_ONLY = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "span", "em", "strong", "b", "i", "u", "s",
    "small", "sub", "sup", "code", "kbd", "samp", "var", "cite", "dfn", "abbr", "q", "a", "del",
    "ins", "ruby", "rt", "rp", "summary", "caption", "figcaption", "dt",
}  # fmt: skip
PHRASING = PHRASING_ONLY - {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "summary"} - {
    "caption", "figcaption", "dt",
} | {"br", "img"}  # fmt: skip
LISTS = {"ul", "ol"}
TABLE_SECTIONS = {"table", "thead", "tbody", "tfoot"}
# Where text and inline elements may not stand directly.
NO_TEXT = LISTS | TABLE_SECTIONS | {"tr", "dl", "colgroup"}
_TABLE_PARTS = {"li", "dt", "dd", "tr", "td", "th", "caption", "colgroup", "col"} | TABLE_SECTIONS
# Attributes each element keeps (besides the global ones), and how a value must look.
GLOBAL = {"class", "dir", "lang", "title"}
KEPT = {
    "a": {"href"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "img": {"alt", "src", "width", "height"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope", "abbr"},
}
_VALID = {
    "dir": {"ltr", "rtl", "auto"}.__contains__,
    "span": _NUMBER.match,
    "width": _NUMBER.match,
    "height": _NUMBER.match,
    "colspan": _NUMBER.match,
    "rowspan": _NUMBER.match,
    "start": re.compile(r"^-?[0-9]{1,9}$").match,
    "type": {"1", "a", "A", "i", "I"}.__contains__,
    "scope": {"row", "col", "rowgroup", "colgroup"}.__contains__,
    "open": lambda value: True,
    "align": {"left", "right", "center", "justify"}.__contains__,
}
_SAFE_LINK = re.compile(r"^(https?:|mailto:)", re.I)


def xml_text(value: str) -> str:
    """`value` without the characters XML cannot hold."""
    return _NOT_XML.sub("", value)


def _attributes(name: str, attributes, *, epub: bool) -> dict[str, str]:
    kept: dict[str, str] = {}
    classes = []
    for key, raw in attributes:
        value = xml_text(html.unescape(raw))
        if key == "align":
            if _VALID["align"](value.strip().lower()):
                classes.append(f"align-{value.strip().lower()}")
            continue
        if key not in GLOBAL and key not in KEPT.get(name, ()):
            continue
        check = _VALID.get(key)
        if check is not None and not check(value.strip()):
            continue
        if key in ("href", "src", "cite") and not _SAFE_LINK.match(value.strip()):
            continue
        if key == "open":
            value = "open"
        kept[key] = value.strip() if check else value
    if classes:
        kept["class"] = " ".join(filter(None, [kept.get("class", ""), *classes]))
    return kept


class _Builder:
    def __init__(self, *, epub: bool):
        self.epub = epub
        self.root = ET.Element("div")
        self.stack = [self.root]
        self.names = ["div"]  # the source names of open elements, for matching end tags

    @property
    def top(self) -> ET.Element:
        return self.stack[-1]

    def text(self, value: str) -> None:
        value = xml_text(html.unescape(value))
        if self.top.tag in NO_TEXT:
            if not value.strip():
                return
            self._wrap_text()
        if len(self.top):
            last = self.top[-1]
            last.tail = (last.tail or "") + value
        else:
            self.top.text = (self.top.text or "") + value

    def _wrap_text(self) -> None:
        # Loose text in a list or table: give it the item or cell it lacks.
        if self.top.tag in LISTS:
            self.open("li", {}, source="li")
        elif self.top.tag == "dl":
            self.open("dd", {}, source="dd")
        elif self.top.tag == "colgroup":
            self.close_to(len(self.stack) - 2)
        else:
            self._into_row()
            self.open("td", {}, source="td")

    def _into_row(self) -> None:
        if self.top.tag == "table":
            self.open("tbody", {}, source="tbody")
        if self.top.tag in TABLE_SECTIONS:
            self.open("tr", {}, source="tr")

    def open(self, tag: str, attributes: dict, *, source: str) -> ET.Element:
        element = ET.SubElement(self.top, tag, attributes)
        self.stack.append(element)
        self.names.append(source)
        return element

    def close_to(self, depth: int) -> None:
        del self.stack[max(depth, 1) :]
        del self.names[max(depth, 1) :]

    def start(self, name: str, raw_attributes) -> None:
        attributes = _attributes(name, raw_attributes, epub=self.epub)
        tag, extra_class = RENAMED.get(name, (name, ""))
        if extra_class:
            attributes["class"] = " ".join(filter(None, [attributes.get("class"), extra_class]))
        tag = self._make_room(tag)
        if tag == "img" and self.epub:
            self._image_link(attributes)
            return
        if tag == "img":
            attributes.setdefault("alt", "")
            if "src" not in attributes:
                return
        element = ET.SubElement(self.top, tag, attributes) if tag in VOID else None
        if element is None:
            self.open(tag, attributes, source=name)

    def _make_room(self, tag: str) -> str:
        """Close or add what the content model needs around a new `tag`; returns the tag to
        open (a part out of its place becomes a <div> or <span>)."""
        if tag not in PHRASING:
            # A block closes every paragraph and inline element it was opened in.
            for depth, element in enumerate(self.stack):
                if depth and element.tag in PHRASING_ONLY:
                    self.close_to(depth)
                    break
        parent = self.top.tag
        if tag == "summary" and parent != "details":
            return "div"
        if tag == "figcaption" and parent != "figure":
            return "div"
        if tag in ("rt", "rp") and parent != "ruby":
            return "span"
        if tag == "li" and parent not in LISTS:
            self.open("ul", {}, source="")
        elif tag in ("dt", "dd") and parent != "dl":
            self.open("dl", {}, source="")
        elif tag in ("td", "th") and parent != "tr":
            self._into_row()
        elif tag == "tr" and parent == "table":
            self.open("tbody", {}, source="")
        elif tag == "col" and parent != "colgroup":
            self.open("colgroup", {}, source="")
        elif parent in NO_TEXT and tag not in _TABLE_PARTS:
            if parent == "dl":
                self.open("dd", {}, source="")
            else:
                self._wrap_text()
        return tag

    def _image_link(self, attributes: dict) -> None:
        alt = attributes.get("alt", "").strip()
        label = f"[Image: {alt}]" if alt else "[Image]"
        if "src" in attributes:
            link = ET.SubElement(self.top, "a", {"href": attributes["src"], "class": "image"})
            link.text = label
        else:
            self.text(escape(label))

    def end(self, name: str) -> None:
        if name in VOID:
            return
        for depth in range(len(self.names) - 1, 0, -1):
            if self.names[depth] == name:
                self.close_to(depth)
                return


def to_xhtml(stored: str, *, epub: bool = True) -> str:
    """The stored (sanitized) HTML as an XHTML fragment, paragraph ids left out; `epub=False`
    keeps images and writes HTML (no `<p />`: a browser reads it as an open <p>), for the
    HTML download."""
    builder = _Builder(epub=epub)
    for token in balanced(tokens(strip_paragraph_ids(stored or ""))):
        if token.kind == TEXT:
            builder.text(token.text)
        elif token.kind == START:
            builder.start(token.name, token.attributes)
        elif token.kind == END:
            builder.end(token.name)
    root, method = builder.root, "xml" if epub else "html"
    return escape(root.text or "") + "".join(
        ET.tostring(child, encoding="unicode", method=method) for child in root
    )
