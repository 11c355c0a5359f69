"""Word counts as the archive counts them (ficshelf.userstuff.words, AO3's way): words between
whitespace, each CJK character a word. The engine keeps its own copy so that it imports
nothing of the archive; tests/betareader/test_engine.py checks that the two agree."""

import html
import re

_CJK_CHAR = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\U00020000-\U0002fa1f]"
)
# A tag ends at the next `>` and holds no `<`, so a `<` that never closes is read once.
_TAG = re.compile(r"<[^<>]*+>")
_BLOCK_END = re.compile(
    r"<(?:br|hr|/p|/div|/li|/h[1-6]|/td|/th|/blockquote|/dd|/dt)\b[^<>]*+>", re.I
)
_PUNCTUATION_ONLY = re.compile(r"^[^\w]+$")


def count_words(fragment: str, *, is_html: bool = True) -> int:
    if is_html:
        fragment = html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", fragment)))
    cjk = len(_CJK_CHAR.findall(fragment))
    text = _CJK_CHAR.sub(" ", fragment)
    # A lone dash or ellipsis between spaces is punctuation, not a word.
    return sum(1 for token in text.split() if not _PUNCTUATION_ONLY.match(token)) + cjk
