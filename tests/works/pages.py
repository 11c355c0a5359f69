"""Just enough of an HTML tree to ask a page what a reader (or a reader's tool) would find."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
_SIMPLE = re.compile(r"^(?P<tag>[a-z0-9]+)?(?P<rest>(?:[.#][\w-]+)*)$")


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    parent: "Element | None" = field(default=None, repr=False)
    children: list["Element | str"] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def elements(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.elements()

    def matches(self, simple: str) -> bool:
        found = _SIMPLE.match(simple)
        assert found, f"unsupported selector {simple!r}"
        if found["tag"] and found["tag"] != self.tag:
            return False
        for kind, name in re.findall(r"([.#])([\w-]+)", found["rest"]):
            if kind == "." and name not in self.classes:
                return False
            if kind == "#" and self.attrs.get("id") != name:
                return False
        return True

    def select(self, selector: str) -> list["Element"]:
        """Elements matching a CSS selector of simple parts joined by spaces or " > "."""
        parts = selector.replace(">", " > ").split()
        found = [self]
        child_only = False
        for part in parts:
            if part == ">":
                child_only = True
                continue
            candidates = []
            for element in found:
                pool = (
                    [c for c in element.children if isinstance(c, Element)]
                    if child_only
                    else element.elements()
                )
                candidates.extend(e for e in pool if e.matches(part) and e not in candidates)
            found, child_only = candidates, False
        return found

    def one(self, selector: str) -> "Element":
        found = self.select(selector)
        assert len(found) == 1, f"{len(found)} elements match {selector!r}"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#document", {})

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(element)
        if tag not in _VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        element = self.current
        while element.parent is not None and element.tag != tag:
            element = element.parent
        if element.parent is not None:
            self.current = element.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str | bytes) -> Element:
    if isinstance(html, bytes):
        html = html.decode()
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
