"""Reading creators' HTML in one pass: tags as a browser reads them, nested as a browser nests them.

Every step here is linear in the length of the text: no regular expression can backtrack over
what it has already read, and markup nested deeper than `MAX_DEPTH` is refused. The HTML
sanitizer (html5ever, inside nh3) slows down quadratically on deeply nested markup, so it is only
ever given what `balanced` produced: well-formed, properly nested tags it reads as we did.

- `tokens(text)` reads tags, text and comments, with their places in `text`.
- `balanced(tokens)` closes what HTML closes implicitly (a <p> before a <div>, the last <li>
  before the next), reopens italics a paragraph's end cut short, as browsers do, drops scripts,
  styles and tags the allowlist does not keep, and raises TextRefused past `MAX_DEPTH`.
- `serialize(tokens)` writes them back as HTML.
"""

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .sanitizer import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

# Deeper than any story needs (a word processor's paste nests about ten levels); shallow enough
# that the sanitizer stays fast.
MAX_DEPTH = 100


class TextRefused(ValueError):
    """Text that cannot become a chapter, a summary or notes; str() tells its author why."""


START, END, TEXT = "start", "end", "text"


@dataclass(slots=True)
class Token:
    """A start tag, an end tag or a run of text (`text` is raw HTML: its entities undecoded)."""

    kind: str
    name: str = ""
    attributes: tuple[tuple[str, str], ...] = ()
    text: str = ""
    start: int = 0
    end: int = 0

    def attribute(self, name: str) -> str | None:
        return next((value for key, value in self.attributes if key == name), None)


# --- Reading tags ---------------------------------------------------------------------------

_SPACE = "\t\n\f\r "
# A tag as HTML's tokenizer reads it. Every quantifier is possessive and every alternative is
# chosen by its first character, so a match never backtracks: it either ends at `>` or fails at
# the end of the text (a tag the text never finishes, which HTML drops with the rest).
_VALUE = r"""(?:"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z)|[^\t\n\f\r >"'][^\t\n\f\r >]*+)"""
_ATTRIBUTE = rf"""[^\t\n\f\r />][^\t\n\f\r />=]*+(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+{_VALUE}?+)?+"""
_TAG = re.compile(rf"""<(/?)([A-Za-z][^\t\n\f\r />]*+)((?:[\t\n\f\r /]++|{_ATTRIBUTE})*+)>""")
_ONE_ATTRIBUTE = re.compile(
    rf"""([^\t\n\f\r />][^\t\n\f\r />=]*+)(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+({_VALUE})?+)?+"""
)
_COMMENT_END = re.compile(r"--!?>")
# Where markup may start: `<` before a letter, `/`, `!` or `?`; any other `<` is text.
_MARKUP = re.compile(r"<[A-Za-z/!?]")
# Elements whose content is not markup; all of them are dropped with their content.
_RAW_TEXT = {"script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes",
             "noscript"}  # fmt: skip
_RAW_TEXT_END = {name: re.compile(rf"</{name}[\t\n\f\r />]", re.I) for name in _RAW_TEXT}
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _lower(name: str) -> str:
    # ASCII only, as HTML does; str.lower() would change the length of some names.
    return name.translate(_LOWER)


def _attributes(source: str) -> tuple[tuple[str, str], ...]:
    found = []
    seen = set()
    for match in _ONE_ATTRIBUTE.finditer(source):
        name = _lower(match.group(1))
        if name in seen:
            continue  # HTML keeps the first of two attributes with one name.
        seen.add(name)
        value = match.group(2) or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1] if len(value) > 1 and value[-1] == value[0] else value[1:]
        found.append((name, value))
    return tuple(found)


def tokens(text: str) -> Iterator[Token]:
    """The tags and text of `text` in order; comments, doctypes and <![…]> sections are skipped.

    A `<` that starts no tag is text. Raw-text elements (script, style, title…) come as a start
    tag immediately followed by their end tag: their content is never markup, and never kept."""
    position = 0
    while found := _MARKUP.search(text, position):
        less = found.start()
        if less > position:
            yield Token(TEXT, text=text[position:less], start=position, end=less)
        following, after = text[less + 1], text[less + 2 : less + 3]
        if following.isalpha() or (following == "/" and after.isascii() and after.isalpha()):
            match = _TAG.match(text, less)
            if match is None:
                return  # A tag that never ends: HTML drops it and everything after it.
            closing, name, attributes = match.groups()
            name = _lower(name)
            position = match.end()
            if closing:
                yield Token(END, name=name, start=less, end=position)
                continue
            yield Token(START, name, _attributes(attributes), start=less, end=position)
            if name in _RAW_TEXT:
                ending = _RAW_TEXT_END[name].search(text, position)
                if ending is None:
                    return
                position = ending.start()
        elif text.startswith("<!--", less):
            if text.startswith(">", less + 4):
                position = less + 5
            elif text.startswith("->", less + 4):
                position = less + 6
            elif ending := _COMMENT_END.search(text, less + 4):
                position = ending.end()
            else:
                return
        elif text.startswith("</>", less):
            position = less + 3
        elif less + 2 == len(text) and following == "/":
            yield Token(TEXT, text="</", start=less, end=len(text))
            return
        else:
            # <!DOCTYPE>, <![CDATA[…]]>, <![if …]>, <?xml…?>, </3>: comments, to the next `>`.
            ending = text.find(">", less + 2)
            if ending < 0:
                return
            position = ending + 1
    if position < len(text):
        yield Token(TEXT, text=text[position:], start=position, end=len(text))


# --- Nesting as HTML nests --------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
        "param", "source", "track", "wbr", "image"}  # fmt: skip
# A start tag of one of these closes an open <p> (HTML's "close a p element").
CLOSES_P = {"address", "article", "aside", "blockquote", "center", "details", "dialog", "dir",
            "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
            "h4", "h5", "h6", "header", "hgroup", "hr", "li", "dd", "dt", "listing", "main",
            "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "ul"}  # fmt: skip
FORMATTING = {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike",
              "strong", "tt", "u"}  # fmt: skip
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Open elements past which an implied end tag does not look (HTML's scope boundaries).
_SCOPE = ("table", "td", "th", "caption", "button", "marquee", "object", "applet", "template")
# Elements that start a cell of formatting of their own: italics do not leak out of them.
_MARKED = {"td", "th", "caption"}
# Ignored inside a text, as HTML ignores them inside <body>.
_TRANSPARENT = {"html", "head", "body", "frameset", "frame"}
# Page-structure elements the allowlist does not keep: they still separate paragraphs.
AS_DIV = {"article", "aside", "dialog", "fieldset", "footer", "form", "header", "hgroup",
          "main", "nav", "search", "section", "legend"}  # fmt: skip
_LISTS = ("ul", "ol", "menu", "dir", *_SCOPE)
_SECTIONS = ("tbody", "thead", "tfoot", "table")
_IMPLIED = {
    # A start tag closes the outermost of these open after the innermost of those.
    "li": (("li",), _LISTS),
    "dd": (("dd", "dt"), ("dl", *_SCOPE)),
    "dt": (("dd", "dt"), ("dl", *_SCOPE)),
    "tr": (("tr", "td", "th"), _SECTIONS),
    "td": (("td", "th"), ("tr", *_SECTIONS)),
    "th": (("td", "th"), ("tr", *_SECTIONS)),
    **dict.fromkeys(
        ("tbody", "thead", "tfoot", "caption", "colgroup"),
        (("tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup"), ("table",)),
    ),
}
_TABLE_PARTS = {"caption", "col", "colgroup", "tbody", "thead", "tfoot", "tr", "td", "th"}
# Start tags before which HTML does not reopen cut-short formatting: blocks and table parts.
_NO_REOPEN = CLOSES_P | _TABLE_PARTS | {"meta", "link", "base", "param", "source", "track"}
_DEEP = (
    "The text’s HTML is nested more than {depth} levels deep (tags opened inside each other "
    "and never closed). Please check that every tag you open, such as <div> or <i>, is closed."
)


@dataclass(slots=True, eq=False)
class _Open:
    name: str
    attributes: tuple[tuple[str, str], ...]
    is_open: bool = True


_MARKER = _Open("", ())


@dataclass
class _Tree:
    """The open elements and the formatting to reopen, as HTML's tree builder keeps them."""

    max_depth: int
    stack: list[_Open] = field(default_factory=list)
    # Where each element name is open on the stack, innermost last.
    where: dict[str, list[int]] = field(default_factory=dict)
    # HTML's "active formatting elements": open or waiting to be reopened; _MARKER at cells.
    formatting: list[_Open] = field(default_factory=list)
    out: list[Token] = field(default_factory=list)

    def innermost(self, name: str) -> int:
        places = self.where.get(name)
        return places[-1] if places else -1

    def boundary(self, names: Iterable[str]) -> int:
        return max((self.innermost(name) for name in names), default=-1)

    def outermost(self, names: Iterable[str], *, after: int) -> int:
        """The stack index of the outermost of `names` open above index `after`; or the
        stack's length (nothing to close)."""
        found = len(self.stack)
        for name in names:
            places = self.where.get(name)
            if places and places[-1] > after:
                found = min(found, places[bisect.bisect_right(places, after)])
        return found

    def drop_formatting(self, name: str) -> int:
        """Forget the last formatting element called `name` since the last cell began; its
        stack index if it is still open, else the stack's length."""
        for index in range(len(self.formatting) - 1, -1, -1):
            waiting = self.formatting[index]
            if waiting is _MARKER:
                break
            if waiting.name == name:
                del self.formatting[index]
                if waiting.is_open:
                    return next(i for i in reversed(self.where[name]) if self.stack[i] is waiting)
                break
        return len(self.stack)

    def push(self, name: str, attributes) -> _Open:
        if len(self.stack) >= self.max_depth:
            raise TextRefused(_DEEP.format(depth=self.max_depth))
        element = _Open(name, attributes)
        self.where.setdefault(name, []).append(len(self.stack))
        self.stack.append(element)
        if name in _MARKED:
            self.formatting.append(_MARKER)
        self.emit(Token(START, name, attributes))
        return element

    def pop_to(self, index: int) -> None:
        """Close the element at `index` of the stack and everything opened inside it."""
        while len(self.stack) > index:
            element = self.stack.pop()
            self.where[element.name].pop()
            element.is_open = False
            self.emit(Token(END, element.name))
            if element.name in _MARKED:
                while self.formatting and self.formatting.pop() is not _MARKER:
                    pass

    def reopen_formatting(self) -> None:
        """Reopen italics, bold… that a closed block cut short (HTML's "reconstruct")."""
        first = len(self.formatting)
        while first and self.formatting[first - 1] is not _MARKER:
            if self.formatting[first - 1].is_open:
                break
            first -= 1
        for index in range(first, len(self.formatting)):
            waiting = self.formatting[index]
            self.formatting[index] = self.push(waiting.name, waiting.attributes)

    def add_formatting(self, element: _Open) -> None:
        # HTML's "Noah's Ark": at most three equal formatting elements wait to be reopened.
        same = [
            index
            for index in range(len(self.formatting) - 1, -1, -1)
            if self.formatting[index] is not _MARKER
            and (self.formatting[index].name, self.formatting[index].attributes)
            == (element.name, element.attributes)
        ][:3]
        if len(same) == 3:
            del self.formatting[same[-1]]
        self.formatting.append(element)

    def emit(self, token: Token) -> None:
        if token.kind == TEXT or token.name in ALLOWED_TAGS:
            self.out.append(token)
        elif token.name in AS_DIV:
            self.out.append(Token(token.kind, "div"))


def balanced(source: Iterable[Token], *, max_depth: int = MAX_DEPTH) -> Iterator[Token]:
    """The tokens as HTML would nest them, every element closed, only allowlisted tags kept
    (page-structure tags such as <section> become <div>). Raises TextRefused when elements
    nest deeper than `max_depth`."""
    tree = _Tree(max_depth=max_depth)
    for token in source:
        if token.kind == TEXT:
            tree.reopen_formatting()
            tree.emit(token)
        elif token.kind == START:
            _start(tree, token)
        else:
            _end(tree, token)
        if tree.out:
            yield from tree.out
            tree.out.clear()
    tree.pop_to(0)
    yield from tree.out


def _start(tree: _Tree, token: Token) -> None:
    name = token.name
    if name in _TRANSPARENT or name in _RAW_TEXT:
        return
    if name in _TABLE_PARTS and tree.innermost("table") < 0:
        return  # HTML ignores a cell or a row outside a table.
    if name in CLOSES_P and (p := tree.innermost("p")) > tree.boundary(_SCOPE):
        tree.pop_to(p)
    if name in HEADINGS and tree.stack and tree.stack[-1].name in HEADINGS:
        tree.pop_to(len(tree.stack) - 1)
    if name in _IMPLIED:
        closes, limits = _IMPLIED[name]
        tree.pop_to(tree.outermost(closes, after=tree.boundary(limits)))
    if name in ("a", "nobr"):
        # A link inside a link closes the first one, as HTML does.
        tree.pop_to(tree.drop_formatting(name))
    if name not in _NO_REOPEN:
        tree.reopen_formatting()
    if name in VOID:
        tree.emit(Token(START, "img" if name == "image" else name, token.attributes))
        return
    element = tree.push(name, token.attributes)
    if name in FORMATTING:
        tree.add_formatting(element)


def _end(tree: _Tree, token: Token) -> None:
    name = token.name
    if name == "br":
        tree.reopen_formatting()
        tree.emit(Token(START, "br"))
        return
    if name in _TRANSPARENT or name in VOID:
        return
    if name in FORMATTING:
        # Closed or not, it is no longer reopened after a block ends.
        tree.drop_formatting(name)
    index = tree.innermost(name)
    if index >= 0 and (name in _SCOPE or index > tree.boundary(_SCOPE)):
        tree.pop_to(index)


# --- Writing ---------------------------------------------------------------------------------


def start_tag(name: str, attributes: Iterable[tuple[str, str]] = ()) -> str:
    """A start tag with the allowlisted ones of `attributes`, each value quoted."""
    allowed = ALLOWED_ATTRIBUTES.get(name, set()) | ALLOWED_ATTRIBUTES["*"]
    written = "".join(
        f' {key}="{value.replace(chr(34), "&quot;")}"'
        for key, value in attributes
        if key in allowed
    )
    return f"<{name}{written}>"


def write(token: Token) -> str:
    if token.kind == TEXT:
        # Text keeps its entities; a `<` that starts no tag is escaped so nothing reads it as one.
        return token.text.replace("<", "&lt;")
    if token.kind == START:
        return start_tag(token.name, token.attributes)
    return "" if token.name in VOID else f"</{token.name}>"


def serialize(source: Iterable[Token]) -> str:
    return "".join(write(token) for token in source)


def balanced_html(text: str, *, max_depth: int = MAX_DEPTH) -> str:
    """`text` with HTML's implied end tags written out, nested no deeper than `max_depth`."""
    return serialize(balanced(tokens(text), max_depth=max_depth))
