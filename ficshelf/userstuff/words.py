"""Word counts as AO3 counts them: words between whitespace, each CJK character a word."""

import html
import re

# Scripts written without spaces between words: every character counts as one word. As in
# otwarchive's WordCounter: Han, Hiragana, Katakana and Thai (Korean separates words by spaces).
_CJK = (
    r"\u3040-\u30ff"  # Hiragana, Katakana
    r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs
    r"\u0e00-\u0e7f"  # Thai
    r"\U00020000-\U0002fa1f"  # CJK extensions
)
_CJK_CHAR = re.compile(f"[{_CJK}]")
# A tag ends at the next `>` and holds no `<` (nh3 escapes both inside attribute values), so a
# `<` that never closes is read once, not once per `<` after it.
_TAG = re.compile(r"<[^<>]*+>")
# Block-level ends separate words even when the markup has no whitespace between them.
_BLOCK_END = re.compile(
    r"<(?:br|hr|/p|/div|/li|/h[1-6]|/td|/th|/blockquote|/dd|/dt)\b[^<>]*+>", re.I
)
_PUNCTUATION_ONLY = re.compile(r"^[^\w]+$")


def html_to_text(fragment: str) -> str:
    """The visible text of an HTML fragment, blocks separated by newlines."""
    text = _BLOCK_END.sub("\n", fragment)
    return html.unescape(_TAG.sub("", text))


def count_words(fragment: str, *, is_html: bool = True) -> int:
    text = html_to_text(fragment) if is_html else fragment
    cjk = len(_CJK_CHAR.findall(text))
    text = _CJK_CHAR.sub(" ", text)
    # A lone dash or ellipsis between spaces is punctuation, not a word.
    words = sum(1 for token in text.split() if not _PUNCTUATION_ONLY.match(token))
    return words + cjk
