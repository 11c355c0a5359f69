"""Which words the checker knows, beyond Harper's dictionary.

A word Harper does not know is still not a spelling error when it is in symspellpy's English
word list, in the work's own vocabulary (its fandom, characters and relationships, and the
author's dictionary), in our list of fiction's slang, an acronym (IAB, 1PP, NYPD), a stutter
(`S-stop`), a drawn-out word (`Nooo`), or a known word with a common prefix (`unclenched`).

For a word that is a misspelling, `best_correction` puts first the commonest word one likely
typo away (a letter left out or swapped is likelier than a wrong or extra one).
"""

import re
from collections.abc import Iterable

from . import lexicon
from .document import WORD, normalize

_ACRONYM = re.compile(r"(?=.*[A-Z])[A-Z0-9]{2,}(?:'?s)?")
_PREFIXES = ("un", "re", "over", "under", "out", "mis", "pre", "non", "half", "self", "counter")
_SUFFIXES = ("ness", "less", "ish", "ly", "like", "y")
_DRAWN_OUT = re.compile(r"(\w)\1{2,}")
_TERM = re.compile(r"[\w'’]+")


def vocabulary_words(vocabulary: Iterable[str]) -> frozenset[str]:
    """The words of tags and dictionary entries, lower case: "Alex/Olivia" -> {alex, olivia}."""
    words = set()
    for term in vocabulary:
        for word in _TERM.findall(normalize(term)):
            word = word.lower().strip("'")
            if word:
                words.add(word)
                words.add(_without_possessive(word))
    return frozenset(words)


def _without_possessive(word: str) -> str:
    if word.endswith("'s"):
        return word[:-2]
    return word.rstrip("'")


class Lexicon:
    """The words known for one check: the dictionaries plus the work's vocabulary."""

    def __init__(self, vocabulary: Iterable[str] = ()):
        self.vocabulary = vocabulary_words(vocabulary)
        self.counts = lexicon.word_counts()
        self.slang = lexicon.slang() | lexicon.british()

    def is_term(self, word: str) -> bool:
        """Whether `word` is one of the work's own names or terms."""
        lower = normalize(word).lower()
        return lower in self.vocabulary or _without_possessive(lower) in self.vocabulary

    def is_common(self, word: str) -> bool:
        """Whether `word` is in the English word list (lower case)."""
        return word.lower() in self.counts

    def knows(self, word: str) -> bool:
        word = normalize(word)
        if _ACRONYM.fullmatch(word) or any(c.isdigit() for c in word):
            return True
        lower = word.lower()
        for candidate in (lower, _without_possessive(lower)):
            if candidate in self.counts or candidate in self.slang or candidate in self.vocabulary:
                return True
        base = _without_possessive(lower)
        for shorter in (_DRAWN_OUT.sub(r"\1", base), _DRAWN_OUT.sub(r"\1\1", base)):
            if shorter != base and (shorter in self.counts or shorter in self.slang):
                return True
        for prefix in _PREFIXES:
            rest = base[len(prefix) :]
            if base.startswith(prefix) and len(rest) >= 4 and rest in self.counts:
                return True
        for suffix in _SUFFIXES:
            stem = base[: -len(suffix)]
            if base.endswith(suffix) and len(stem) >= 4 and stem in self.counts:
                return True
        return False

    def known_share(self, words: Iterable[str]) -> float:
        """The share of `words` in the English word list (for telling English apart)."""
        total = known = 0
        for word in words:
            total += 1
            lower = word.lower()
            if lower in self.counts or lower in self.slang or self.knows(word):
                known += 1
        return known / total if total else 1.0


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# How likely each one-edit typo is, as a weight on the correction's word count: a letter left
# out, two letters swapped, a wrong letter, a letter too many.
_EDIT_WEIGHTS = (1.0, 1.0, 0.4, 0.3)
# A correction must be this common in the word list to be preferred to Harper's own first one.
_MIN_CORRECTION_COUNT = 1_000_000


def _one_edit_corrections(word: str) -> dict[str, int]:
    """The words one edit away from `word`, each with the index of its edit in _EDIT_WEIGHTS."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found: dict[str, int] = {}
    edits = (
        [a + c + b for a, b in splits for c in _LETTERS],
        [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1],
        [a + c + b[1:] for a, b in splits if b for c in _LETTERS],
        [a + b[1:] for a, b in splits if b],
    )
    for rank, candidates in enumerate(edits):
        for candidate in candidates:
            found.setdefault(candidate, rank)
    return found


def one_edit_correction(word: str) -> str | None:
    """The likeliest word one typo away from `word` ("creats" -> "create"), or None."""
    counts = lexicon.word_counts()
    lower = word.lower()
    if not lower.isalpha() or len(lower) < 3:
        return None
    ranked = [
        (_EDIT_WEIGHTS[edit] * counts[candidate], candidate)
        for candidate, edit in _one_edit_corrections(lower).items()
        if candidate != lower and counts.get(candidate, 0) >= _MIN_CORRECTION_COUNT
    ]
    if not ranked:
        return None
    best = max(ranked)[1]
    return best[:1].upper() + best[1:] if word[:1].isupper() else best


def best_correction(word: str, suggestions: list[str]) -> list[str]:
    """`suggestions` with the likeliest correction of a misspelled `word` first: the commonest
    word one likely typo away ("creats" -> "creates", not "cheats")."""
    best = one_edit_correction(word)
    if best is None:
        return suggestions
    return [best] + [s for s in suggestions if s != best]


def words_of(text: str) -> list[str]:
    return WORD.findall(normalize(text))


# The starts an apostrophe stands for: 'prentice, 'bout, 'neath, 'scape, 'til.
_ELIDED_STARTS = ("ap", "a", "be", "e", "un")


def elided(text: str, known: Lexicon, start: int, word: str) -> bool:
    """ "'tis", "'twas", "'twould" (it + a known word), "'prenticed" (apprenticed): a word
    after an apostrophe that is a known word with its first letters left out."""
    if text[start - 1 : start] != "'" or not word.isalpha():
        return False
    lower = word.lower()
    if lower[0] == "t" and len(lower) > 2 and known.is_common(lower[1:]):
        return True
    return any(known.is_common(start_ + lower) for start_ in _ELIDED_STARTS)


def repeated(text: str, start: int, end: int) -> bool:
    """ "Phoo! phoo!", "Tush, tush": the word just said again, a sound rather than a typo."""
    word = text[start:end].lower()
    before = re.search(r"([^\W\d_]+)[\s!?,.]+$", text[max(0, start - len(word) - 4) : start])
    after = re.match(r"[\s!?,.]+([^\W\d_]+)", text[end : end + len(word) + 4])
    return any(m is not None and m.group(1).lower() == word for m in (before, after))


def in_foreign_phrase(doc, known: Lexicon, start: int, end: int) -> bool:
    """ "my caro sposo", "a cri de coeur": beside an unknown word that is no typo of a common
    word (a phrase in another language), an unknown word is more likely foreign than wrong."""
    index = doc.next_word_index(start)
    for other in doc.words[max(0, index - 1) : index] + doc.words[index + 1 : index + 2]:
        between = doc.normalized[min(other.end, end) : max(other.start, start)]
        if between.strip() or not other.text.islower() or known.knows(other.text):
            continue
        if one_edit_correction(other.text) is None:
            return True
    return False
