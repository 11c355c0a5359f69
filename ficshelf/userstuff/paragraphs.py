"""Paragraphs with identity: every block of chapter text carries a stable id, `<p data-p="12">`.

Inline comments, "continue reading here" and per-paragraph statistics point at these ids, so an
id must survive the author's edits: the server numbers a chapter when it is saved, carrying ids
over from the stored text for paragraphs that did not change, changed a little, or moved.

Everything here reads HTML that nh3 produced (`clean_html`, `clean_numbered_html`) or that these
functions produced: well-formed and html5ever-serialized. Every function is linear (or n log n)
in the size of the chapter, because a chapter may hold 10,000 paragraphs.

Which blocks are paragraphs:
- a leaf block (one holding no other block) among `LEAF_TAGS`: `<p>`, headings, `<li>`, `<pre>`,
  table cells, `<hr>` (a scene break is an anchor too), a `<div>` or `<blockquote>` of text…;
- any block with text of its own beside blocks inside it (`<li>Item<ul>…</ul></li>`): the text
  is the block's, so the block carries the id and the blocks inside carry their own;
- a run of loose inline content at the top level, which is wrapped in a new `<p>`.
A paragraph's text is the text whose nearest enclosing block is that paragraph.
"""

import html
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property
from itertools import pairwise

import nh3

from .sanitizer import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES

PARAGRAPH_ATTRIBUTE = "data-p"
PARAGRAPH_ID = re.compile(r"^[1-9][0-9]{0,8}$")
LARGEST_PARAGRAPH_ID = 999_999_999

# Blocks that become paragraphs when they hold no other block, even with no text (`<hr>`).
LEAF_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "dt", "dd", "caption", "figcaption"}
    | {"td", "th", "summary", "hr", "div", "blockquote", "center", "address"}
)
# Everything that starts a block: a `<div>` holding a `<ul>` is not a leaf.
BLOCK_TAGS = LEAF_TAGS | {"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr"} | {
    "colgroup", "col", "figure", "details",
}  # fmt: skip
_VOID_TAGS = frozenset({"br", "hr", "img", "col", "wbr", "area", "embed", "input", "source"})

# A paragraph that changed only a little keeps its id: a typo fixed, a word or a sentence added.
# Similarity is difflib's ratio (2 * matched / total length): on characters for short paragraphs,
# where one changed word is a large share, and on words for long ones, where it is cheap.
SIMILAR_RATIO = 0.8
_SHORT_TEXT = 200  # characters: below this, similarity is measured on characters
# A changed paragraph is compared with at most this many unmatched old paragraphs lying in the same
# gap between unchanged ones, so that a chapter rewritten from scratch still numbers in linear time.
NEAR_MATCH_WINDOW = 8
# A reader's quote that no longer appears word for word still finds its paragraph when this share
# of its words appear there in order; shorter quotes than `_FUZZY_QUOTE_WORDS` must match exactly.
QUOTE_MATCH_SHARE = 0.75
_FUZZY_QUOTE_WORDS = 3

# html5ever writes attributes double-quoted with `<`, `>`, `"` escaped; the other forms are read
# for safety. Possessive quantifiers keep a malformed tag from backtracking.
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*+)"
    r"((?:\s++[^\s\"'>/=]++(?:\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'|[^\s\"'=<>`]++))?+)*+)"
    r"\s*+/?>"
)
_ATTRIBUTE = re.compile(r"\s++([^\s\"'>/=]++)(?:\s*+=\s*+(\"[^\"]*+\"|'[^']*+'|[^\s\"'=<>`]++))?+")
_WORD_OR_MARK = re.compile(r"\w+|[^\w\s]")
_WORD = re.compile(r"\w+")

_TEXT, _START, _END = 0, 1, 2
_SPACE = " \t\n\r\f"  # white space in HTML source; a no-break space is text


@dataclass(frozen=True)
class Paragraph:
    id: str  # "" when the HTML was never numbered
    text: str  # visible text, whitespace collapsed
    position: int  # 0-based order in the chapter


@dataclass(frozen=True)
class ParagraphLocation:
    status: str  # "present", "moved" or "removed"
    paragraph: Paragraph | None


def number_paragraphs(html: str, *, previous: str = "", next_id: int = 1) -> tuple[str, int]:
    """`html` with a `data-p` id on every paragraph, and the chapter's next unused id.

    `previous` is the chapter's stored numbered text before this edit. A paragraph keeps its old
    id when its text is unchanged (wherever it moved), or, lying between the same unchanged
    paragraphs as before, when its text is at least `SIMILAR_RATIO` similar. Every other paragraph
    gets a new id counting up from `next_id` (or past the highest id in `previous`, if that is
    higher), so an id is never handed out twice. Ids in `html` itself are ignored.
    """
    if not previous and (numbered := _numbered_plain_paragraphs(html, max(next_id, 1))):
        return numbered
    chapter = _Chapter(html)
    old = [p for p in _Chapter(previous).paragraphs if p.stored_id] if previous else []
    next_id = max(next_id, 1, *(int(p.stored_id) + 1 for p in old))
    seen: set[str] = set()
    unique_old = []
    for paragraph in old:
        if paragraph.stored_id not in seen:  # a duplicated id stays with its first paragraph
            seen.add(paragraph.stored_id)
            unique_old.append(paragraph)
    carried = _carry_ids(unique_old, chapter.paragraphs)
    ids = []
    for index in range(len(chapter.paragraphs)):
        if index in carried:
            ids.append(unique_old[carried[index]].stored_id)
        else:
            if next_id > LARGEST_PARAGRAPH_ID:
                raise ValueError("This chapter has used up its paragraph ids.")
            ids.append(str(next_id))
            next_id += 1
    return chapter.render(ids), next_id


# Most new chapters are nothing but top-level `<p>` elements holding text and inline markup: what
# to_html makes of plain text and Markdown, and of most pasted HTML. Every `<p>` is then a
# paragraph, in order, so one regex pass numbers them; the walk (`_Chapter`) costs some 20 µs a
# paragraph, seconds for a chapter of 100,000 short ones. Anything else takes the walk.
_INLINE_CONTENT = r"(?:[^<]++|<(?!/?(?:" + "|".join(sorted(BLOCK_TAGS)) + r")\b))*+"
_PLAIN_PARAGRAPHS = re.compile(r"(?:[ \t\n\r\f]*+<p>" + _INLINE_CONTENT + r"</p>)*+[ \t\n\r\f]*+")


def _numbered_plain_paragraphs(html: str, next_id: int) -> tuple[str, int] | None:
    if PARAGRAPH_ATTRIBUTE in html or not _PLAIN_PARAGRAPHS.fullmatch(html):
        return None
    pieces = html.split("<p>")
    if next_id + len(pieces) - 1 > LARGEST_PARAGRAPH_ID + 1:
        return None  # the walk raises the error
    numbered = [pieces[0]]
    for offset, piece in enumerate(pieces[1:]):
        numbered += [f'<p {PARAGRAPH_ATTRIBUTE}="{next_id + offset}">', piece]
    return "".join(numbered), next_id + len(pieces) - 1


def strip_paragraph_ids(html: str) -> str:
    """`html` without any `data-p`, as the author's own HTML for the editor."""
    if PARAGRAPH_ATTRIBUTE not in html:
        return html
    pieces, last = [], 0
    for tag in _TAG.finditer(html):
        if not tag.group(1) and PARAGRAPH_ATTRIBUTE in tag.group(3):
            pieces += [html[last : tag.start(3)], _without_paragraph_id(tag.group(3))]
            last = tag.end(3)
    pieces.append(html[last:])
    return "".join(pieces)


def paragraphs_of(html: str) -> list[Paragraph]:
    """The chapter's paragraphs in reading order, with their ids ("" where there is none)."""
    return [
        Paragraph(id=p.stored_id, text=p.text, position=position)
        for position, p in enumerate(_Chapter(html).paragraphs)
    ]


def locate_paragraph(html: str, paragraph_id: str, *, quote: str = "") -> ParagraphLocation:
    """Where the paragraph that had `paragraph_id` is now.

    "present" when the id is still in the chapter; otherwise "moved" to the paragraph holding
    `quote` (the text a reader highlighted, or how the paragraph began), compared ignoring
    whitespace, or failing that the paragraph holding the largest share of the quote's words in
    order, at least `QUOTE_MATCH_SHARE`; otherwise "removed".
    """
    paragraphs = paragraphs_of(html)
    for paragraph in paragraphs:
        if paragraph.id and paragraph.id == paragraph_id:
            return ParagraphLocation("present", paragraph)
    found = _paragraph_quoting(paragraphs, quote) if quote.strip() else None
    return ParagraphLocation("moved", found) if found else ParagraphLocation("removed", None)


def _paragraph_id_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == PARAGRAPH_ATTRIBUTE:
        return value if PARAGRAPH_ID.match(value) else None
    return value


# A paragraph id is allowed where `number_paragraphs` puts one: on block elements.
_NUMBERED_ATTRIBUTES = ALLOWED_ATTRIBUTES | {
    tag: ALLOWED_ATTRIBUTES.get(tag, set()) | {PARAGRAPH_ATTRIBUTE}
    for tag in BLOCK_TAGS & ALLOWED_TAGS
}


def clean_numbered_html(html: str) -> str:
    """`clean_html` for chapter text the server numbered: the same allowlist, plus a valid
    paragraph id on block elements. Never for what a creator sends, which must lose its ids."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=_NUMBERED_ATTRIBUTES,
        attribute_filter=_paragraph_id_filter,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
        strip_comments=True,
    ).strip()


# --- Reading the chapter's blocks -------------------------------------------------------------


class _Block:
    """A paragraph while the chapter is read: a block element, or a run of loose inline content."""

    def __init__(self, name: str, first: int, *, is_loose: bool = False):
        self.name = name
        self.is_loose = is_loose
        self.first = first  # index of the start tag (or first token of a loose run)
        self.last = first  # for a loose run: index of its last token
        self.has_block = False
        self.has_content = False
        self.parts: list[str] = []
        self.stored_id = ""

    @property
    def is_paragraph(self) -> bool:
        return self.has_content or (self.name in LEAF_TAGS and not self.has_block)

    @cached_property
    def text(self) -> str:
        text = "".join(self.parts)
        return " ".join((html.unescape(text) if "&" in text else text).split())

    @cached_property
    def words(self) -> list[str]:
        return _WORD_OR_MARK.findall(self.text)

    @cached_property
    def letter_counts(self) -> Counter:
        return Counter(self.text)

    @cached_property
    def word_counts(self) -> Counter:
        return Counter(self.words)

    @property
    def key(self) -> str:
        """What must be equal for an exact match: the text, or for textless blocks the tag."""
        return self.text or f"\x00{self.name}"  # NUL never appears in parsed HTML text


class _Chapter:
    def __init__(self, source: str):
        self.source = source
        self.tokens: list[tuple[int, int, int, re.Match | None]] = []
        last = 0
        for tag in _TAG.finditer(source):
            if tag.start() > last:
                self.tokens.append((_TEXT, last, tag.start(), None))
            self.tokens.append((_END if tag.group(1) else _START, tag.start(), tag.end(), tag))
            last = tag.end()
        if last < len(source):
            self.tokens.append((_TEXT, last, len(source), None))
        self.paragraphs = self._read()

    def _read(self) -> list[_Block]:
        source, tokens = self.source, self.tokens
        blocks: list[_Block] = []
        loose: list[_Block] = []
        open_elements: list[tuple[str, _Block | None]] = []
        open_blocks: list[_Block] = []
        run: list[int] = []  # tokens outside any block since the last top-level block

        for index, (kind, start, end, tag) in enumerate(tokens):
            parent = open_blocks[-1] if open_blocks else None
            if kind == _TEXT:
                if parent is None:
                    run.append(index)
                else:
                    parent.parts.append(source[start:end])
                    parent.has_content = parent.has_content or _is_visible(source[start:end])
                continue
            name = tag.group(2).lower()
            if kind == _START and name in BLOCK_TAGS:
                if parent is None:
                    loose += self._loose_paragraphs(run)
                    run = []
                else:
                    parent.has_block = True
                    parent.parts.append(" ")
                block = _Block(name, index)
                block.stored_id = _stored_id(tag.group(3))
                blocks.append(block)
                if name not in _VOID_TAGS:
                    open_elements.append((name, block))
                    open_blocks.append(block)
            elif kind == _START:
                if parent is None:
                    run.append(index)
                elif name == "br":
                    parent.parts.append(" ")
                elif name == "img":
                    parent.has_content = True
                if name not in _VOID_TAGS:
                    open_elements.append((name, None))
            else:
                if parent is None:
                    run.append(index)
                # html5ever closes the innermost element first; anything else is searched for.
                if (open_elements and open_elements[-1][0] == name) or any(
                    open_name == name for open_name, _ in open_elements
                ):
                    while open_elements:
                        open_name, block = open_elements.pop()
                        if block is not None:
                            open_blocks.pop()
                            if open_blocks:
                                open_blocks[-1].parts.append(" ")
                        if open_name == name:
                            break
        loose += self._loose_paragraphs(run)
        paragraphs = [block for block in blocks if block.is_paragraph]
        if loose:
            paragraphs = sorted(paragraphs + loose, key=lambda block: block.first)
        return paragraphs

    def _loose_paragraphs(self, run: list[int]) -> list[_Block]:
        """The runs of top-level inline content that a `<p>` can wrap without breaking nesting.

        An inline element left open across a block (Google Docs wraps a whole paste in `<b>`)
        cannot go inside a `<p>`: its tags split the run, and each balanced piece is wrapped."""
        if not run:
            return []
        boundaries, open_starts = set(), []
        for index in run:
            kind, tag = self.tokens[index][0], self.tokens[index][3]
            if kind == _START and tag.group(2).lower() not in _VOID_TAGS:
                open_starts.append(index)
            elif kind == _END:
                if open_starts:
                    open_starts.pop()
                else:
                    boundaries.add(index)
        boundaries.update(open_starts)
        pieces, piece = [], []
        for index in run:
            if index in boundaries:
                pieces.append(piece)
                piece = []
            else:
                piece.append(index)
        pieces.append(piece)
        return [block for piece in pieces if (block := self._loose_block(piece))]

    def _loose_block(self, piece: list[int]) -> _Block | None:
        source = self.source
        visible = []
        for index in piece:
            kind, start, end, tag = self.tokens[index]
            if kind == _TEXT:
                if _is_visible(source[start:end]):
                    visible.append(index)
            elif kind == _START and tag.group(2).lower() == "img":
                visible.append(index)
        if not visible:
            return None
        first = next(i for i in piece if not self._is_blank(i))
        last = next(i for i in reversed(piece) if not self._is_blank(i))
        block = _Block("p", first, is_loose=True)
        block.last, block.has_content = last, True
        for index in piece:
            kind, start, end, tag = self.tokens[index]
            if kind == _TEXT:
                block.parts.append(source[start:end])
            elif kind == _START and tag.group(2).lower() == "br":
                block.parts.append(" ")
        return block

    def _is_blank(self, index: int) -> bool:
        kind, start, end, _ = self.tokens[index]
        return kind == _TEXT and not _is_visible(self.source[start:end])

    def render(self, ids: list[str]) -> str:
        """The source with `ids` on its paragraphs (loose runs wrapped) and no other `data-p`."""
        edits: list[tuple[int, int, str]] = []  # replace source[start:end] with the text
        tagged: dict[int, str] = {}
        for paragraph, paragraph_id in zip(self.paragraphs, ids, strict=True):
            attribute = f' {PARAGRAPH_ATTRIBUTE}="{paragraph_id}"'
            if paragraph.is_loose:
                opens_at, closes_at = self._visible_span(paragraph)
                edits += [(opens_at, opens_at, f"<p{attribute}>"), (closes_at, closes_at, "</p>")]
            else:
                tagged[paragraph.first] = attribute
        for index, (kind, _, _, tag) in enumerate(self.tokens):
            if kind == _START and (index in tagged or PARAGRAPH_ATTRIBUTE in tag.group(3)):
                attributes = _without_paragraph_id(tag.group(3)) + tagged.get(index, "")
                edits.append((tag.start(3), tag.end(3), attributes))
        edits.sort(key=lambda edit: edit[0])
        source, pieces, last = self.source, [], 0
        for start, end, text in edits:
            pieces += [source[last:start], text]
            last = end
        pieces.append(source[last:])
        return "".join(pieces)

    def _visible_span(self, paragraph: _Block) -> tuple[int, int]:
        """Where a loose run's `<p>` opens and closes: around it, leaving the white space between
        blocks outside."""
        _, start, end, _ = self.tokens[paragraph.first]
        if self.tokens[paragraph.first][0] == _TEXT:
            text = self.source[start:end]
            start += len(text) - len(text.lstrip(_SPACE))
        _, start_of_last, end, _ = self.tokens[paragraph.last]
        if self.tokens[paragraph.last][0] == _TEXT:
            text = self.source[start_of_last:end]
            end -= len(text) - len(text.rstrip(_SPACE))
        return start, end


def _is_visible(text: str) -> bool:
    """Whether text shows anything: `&nbsp;` and other white space alone does not."""
    return bool((html.unescape(text) if "&" in text else text).strip())


def _stored_id(attributes: str) -> str:
    if PARAGRAPH_ATTRIBUTE not in attributes:
        return ""
    for attribute in _ATTRIBUTE.finditer(attributes):
        if attribute.group(1).lower() == PARAGRAPH_ATTRIBUTE:
            value = html.unescape((attribute.group(2) or "").strip("\"'"))
            return value if PARAGRAPH_ID.match(value) else ""
    return ""


def _without_paragraph_id(attributes: str) -> str:
    return "".join(
        attribute.group(0)
        for attribute in _ATTRIBUTE.finditer(attributes)
        if attribute.group(1).lower() != PARAGRAPH_ATTRIBUTE
    )


# --- Carrying ids over from the previous text -------------------------------------------------


def _carry_ids(old: list[_Block], new: list[_Block]) -> dict[int, int]:
    """For each new paragraph that keeps an old one's id, the index of that old paragraph.

    Unchanged paragraphs are aligned first, as a diff would (so that of many identical "Yes."
    the ones between the same neighbours match); then unchanged paragraphs found in the same gap
    between aligned ones, in order; then unchanged paragraphs that moved anywhere, in order; last,
    paragraphs that changed a little, within their gap.
    """
    old_keys = [paragraph.key for paragraph in old]
    new_keys = [paragraph.key for paragraph in new]
    anchors = _align(old_keys, new_keys)
    carried = dict(anchors)
    taken = set(carried.values())
    gaps = list(pairwise([(-1, -1), *anchors, (len(new), len(old))]))

    def unmatched(i0: int, i1: int, j0: int, j1: int) -> tuple[list[int], list[int]]:
        news = [i for i in range(i0 + 1, i1) if i not in carried]
        olds = [j for j in range(j0 + 1, j1) if j not in taken]
        return news, olds

    def match(pairs: dict[int, int]) -> None:
        carried.update(pairs)
        taken.update(pairs.values())

    for (i0, j0), (i1, j1) in gaps:
        if i1 - i0 > 1 and j1 - j0 > 1:
            match(_in_order(*unmatched(i0, i1, j0, j1), old_keys, new_keys))
    match(_in_order(*unmatched(-1, len(new), -1, len(old)), old_keys, new_keys))
    for (i0, j0), (i1, j1) in gaps:
        if i1 - i0 > 1 and j1 - j0 > 1:
            news, olds = unmatched(i0, i1, j0, j1)
            news = [i for i in news if new[i].text]
            olds = [j for j in olds if old[j].text]
            if news and olds:
                match(_near_matches(old, new, olds, news))
    return carried


def _align(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """Pairs (new index, old index) of equal keys, increasing in both: the common head and tail,
    keys found once on each side in between (the longest run of them in order, as patience diff
    does), and equal keys next to those."""
    n, m = len(new), len(old)
    head = 0
    while head < n and head < m and new[head] == old[head]:
        head += 1
    tail = 0
    while tail < n - head and tail < m - head and new[n - 1 - tail] == old[m - 1 - tail]:
        tail += 1
    new_counts, old_counts = Counter(new[head : n - tail]), Counter(old[head : m - tail])
    old_at = {old[j]: j for j in range(head, m - tail) if old_counts[old[j]] == 1}
    unique = [
        (i, old_at[new[i]])
        for i in range(head, n - tail)
        if new_counts[new[i]] == 1 and new[i] in old_at
    ]
    anchors = [(i, i) for i in range(head)]
    end = (n - tail, m - tail)
    for (i0, j0), (i1, j1) in pairwise([(head - 1, head - 1), *_increasing(unique), end]):
        i, j = i0 + 1, j0 + 1
        while i < i1 and j < j1 and new[i] == old[j]:
            anchors.append((i, j))
            i, j = i + 1, j + 1
        back = []
        i_back, j_back = i1 - 1, j1 - 1
        while i_back >= i and j_back >= j and new[i_back] == old[j_back]:
            back.append((i_back, j_back))
            i_back, j_back = i_back - 1, j_back - 1
        anchors += reversed(back)
        if (i1, j1) != end:
            anchors.append((i1, j1))
    anchors += [(n - tail + t, m - tail + t) for t in range(tail)]
    return anchors


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of `pairs` (sorted by new index) with increasing old indexes."""
    tails: list[int] = []  # tails[k]: the pair ending the best run of length k + 1 found so far
    tail_olds: list[int] = []
    before = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        length = bisect_left(tail_olds, j)
        if length:
            before[index] = tails[length - 1]
        if length == len(tails):
            tails.append(index)
            tail_olds.append(j)
        else:
            tails[length], tail_olds[length] = index, j
    run = []
    index = tails[-1] if tails else -1
    while index >= 0:
        run.append(pairs[index])
        index = before[index]
    return run[::-1]


def _in_order(
    news: list[int], olds: list[int], old_keys: list[str], new_keys: list[str]
) -> dict[int, int]:
    """Equal keys matched first to first, so identical paragraphs keep their order."""
    waiting: dict[str, list[int]] = {}
    for j in reversed(olds):
        waiting.setdefault(old_keys[j], []).append(j)
    pairs = {}
    for i in news:
        if queue := waiting.get(new_keys[i]):
            pairs[i] = queue.pop()
    return pairs


def _near_matches(
    old: list[_Block], new: list[_Block], olds: list[int], news: list[int]
) -> dict[int, int]:
    """Changed paragraphs matched in order, each to the most similar of the next
    `NEAR_MATCH_WINDOW` old ones, if it is at least `SIMILAR_RATIO` similar."""
    pairs = {}
    start = 0  # old paragraphs before this one were passed over: they were removed
    for i in news:
        best, best_ratio = -1, SIMILAR_RATIO
        for position in range(start, min(start + NEAR_MATCH_WINDOW, len(olds))):
            ratio = _similarity(old[olds[position]], new[i])
            if ratio >= best_ratio:
                best, best_ratio = position, ratio
                if ratio == 1.0:
                    break
        if best >= 0:
            pairs[i] = olds[best]
            start = best + 1
            if start >= len(olds):
                break
    return pairs


def _similarity(a: _Block, b: _Block) -> float:
    short = len(a.text) < _SHORT_TEXT and len(b.text) < _SHORT_TEXT
    first, second = (a.text, b.text) if short else (a.words, b.words)
    # Upper bounds of the ratio, far cheaper: from the lengths, then from the counts of each
    # character (or word) regardless of order.
    total = len(first) + len(second)
    if 2 * min(len(first), len(second)) < SIMILAR_RATIO * total:
        return 0.0
    counts = (a.letter_counts, b.letter_counts) if short else (a.word_counts, b.word_counts)
    if 2 * sum((counts[0] & counts[1]).values()) < SIMILAR_RATIO * total:
        return 0.0
    return SequenceMatcher(None, first, second, autojunk=False).ratio()


# --- Finding a quote ----------------------------------------------------------------------------


def _paragraph_quoting(paragraphs: list[Paragraph], quote: str) -> Paragraph | None:
    needle = "".join(quote.split())
    for paragraph in paragraphs:
        if needle in "".join(paragraph.text.split()):
            return paragraph
    words = _WORD.findall(quote.lower())
    if len(words) < _FUZZY_QUOTE_WORDS:
        return None
    wanted = Counter(words)
    best, best_share = None, QUOTE_MATCH_SHARE
    for paragraph in paragraphs:
        theirs = _WORD.findall(paragraph.text.lower())
        # Words in common in any order bound the share in order from above, and cost less.
        if sum((wanted & Counter(theirs)).values()) < best_share * len(words):
            continue
        blocks = SequenceMatcher(None, words, theirs, autojunk=False).get_matching_blocks()
        share = sum(block.size for block in blocks) / len(words)
        if share > best_share or (best is None and share >= best_share):
            best, best_share = paragraph, share
    return best
