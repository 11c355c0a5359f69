"""Real-word errors in context: a word that is a word, but not the word its neighbours expect
("said and dead", "known it something", "a highly populate area").

The model is a bigram language model over symspellpy's English dictionaries (shipped in its
package, from Google Books Ngrams; see docs/decisions.md, 2026-12-02): P(w | previous word) and
P(next word | w), backing off to the unigram P(w) for a pair the bigram list lacks. The list
holds only pairs counted at least `lexicon.BIGRAM_FLOOR` times, so a missing pair is itself
evidence: its probability is the unigram one, but never more than a count under that floor
allows.

Three steps, so that the expensive one runs on few words:

1. Suspicion (cheap, two look-ups a word): a lower-case dictionary word whose neighbours
   associate with it less than chance would have them ("wonder it he", "he of she"). A word
   neither neighbour is listed beside is not suspicious by that alone: on the development data
   those were mostly rare words rightly used ("she bade her", "to shew him").
2. Candidates: words one edit away (a letter inserted, dropped, changed, or two swapped), the
   word's confusion partners (`lexicon/confusion_pairs.txt`) and its other forms
   (populate/populated, try/trying).
3. Scores: P(previous, candidate, next) against P(previous, written, next). A candidate is
   reported only when it is far likelier (`ERROR_RATIO`, else `SUGGESTION_RATIO`), each side
   favouring it on its own (`SIDE_RATIO`), on evidence from the bigram list itself (a listed
   pair of the candidate with a neighbour; an error needs both).

Slips that only a wider frame gives away ("said and dead", "a highly populate area", "was no
coiled it", "tying desperately to") are `rules/real_words.py`'s: their pairs are missing from
the list, or the telling word is two words off.
"""

import functools
import math

from . import lexicon
from .document import Document, match_case
from .findings import Category, Finding, Severity
from .spelling import Lexicon

# The bigram counts are on another scale than the word counts: the largest words' listed pairs
# add up to at most ~56 times their word count (measured on the 300 commonest words).
BIGRAM_SCALE = 56.0
# A pair missing from the list was counted fewer than BIGRAM_FLOOR times: take half of it.
_UNLISTED_SHARE = 0.5

# Suspicion: the written word's association with its neighbours, log P(w|prev)P(next|w) /
# P(w)P(next), below this.
SUSPICION_LOG_ASSOCIATION = math.log(0.5)
# Candidates and written words rarer than this in the word list are ignored (too rare for the
# model to say anything).
MIN_WORD_COUNT = 200_000
MIN_CANDIDATE_COUNT = 1_000_000
# How much likelier, both sides together, a candidate must be (chosen on the development
# data only: CoNLL-2014, Austen's novels, the fixtures; see benchmarks/README.md).
ERROR_RATIO = 30_000.0
SUGGESTION_RATIO = 3_000.0
# Each side on its own must favour the candidate at least this much: one strong side alone is
# not evidence ("the fact than after": "fact that" is 643 times likelier, "that after" 3).
SIDE_RATIO = 3.0

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_FORM_ENDINGS = ("", "s", "es", "d", "ed", "ing", "e", "er", "ly")


class _Model:
    """Unigram and bigram probabilities from symspellpy's dictionaries."""

    def __init__(self) -> None:
        self.words = lexicon.word_counts()
        self.total = float(sum(self.words.values()))
        self.pairs = _bigrams()
        self.unlisted = lexicon.BIGRAM_FLOOR * _UNLISTED_SHARE / BIGRAM_SCALE

    def count(self, word: str) -> int:
        return self.words.get(word, 0)

    def p(self, word: str) -> float:
        return (self.words.get(word, 0) + 0.5) / self.total

    def p_next(self, first: str, second: str) -> tuple[float, bool]:
        """P(second | first), and whether the pair is in the bigram list."""
        first_count = self.words.get(first, 0) + 0.5
        listed = self.pairs.get(f"{first} {second}")
        if listed is not None:
            return min(1.0, listed / BIGRAM_SCALE / first_count), True
        return min(self.p(second), self.unlisted / first_count), False


@functools.cache
def model() -> _Model:
    return _Model()


def _bigrams() -> dict[str, int]:
    """Every pair of symspellpy's bigram dictionary ("said and") to its count."""
    counts: dict[str, int] = {}
    text = lexicon.BIGRAMS_FILE.read_text(encoding="utf-8")
    for line in text.splitlines():
        pair, _, count = line.rpartition(" ")
        if pair:
            counts[pair] = int(count)
    return counts


def _association(m: _Model, before: str | None, word: str, after: str | None) -> float:
    """log of P(word|before) P(after|word) / (P(word) P(after)): below 0 when the neighbours
    go with the word less than chance."""
    score = 0.0
    if before is not None:
        score += math.log(m.p_next(before, word)[0] / m.p(word))
    if after is not None:
        score += math.log(m.p_next(word, after)[0] / m.p(after))
    return score


def suspicious(m: _Model, before: str | None, word: str, after: str | None) -> bool:
    """The cheap test: whether `word` is worth scoring against candidates."""
    if m.count(word) < MIN_WORD_COUNT:
        return False
    return _association(m, before, word, after) < SUSPICION_LOG_ASSOCIATION


@functools.lru_cache(maxsize=50_000)
def candidates(word: str) -> frozenset[str]:
    """Words one edit away, confusion partners and other forms of `word`, all in the word
    list and common enough to be meant. (Kept per word: the small words come back often.)"""
    m = model()
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    edits |= {a + c + b for a, b in splits for c in _LETTERS}
    edits |= {other.other for other in lexicon.confusions().get(word, ())}
    edits |= _forms(word)
    edits.discard(word)
    return frozenset(c for c in edits if m.count(c) >= MIN_CANDIDATE_COUNT)


def _forms(word: str) -> set[str]:
    """Other forms of the word by its ending: populate/populated, try/trying, tie/tying."""
    stems = {word}
    for ending in _FORM_ENDINGS[1:]:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            stems.add(word[: -len(ending)])
    if word.endswith("ying"):
        stems.add(word[:-4] + "ie")
    if word.endswith("ied"):
        stems.add(word[:-3] + "y")
    forms = {stem + ending for stem in stems for ending in _FORM_ENDINGS}
    forms |= {stem[:-1] + "ied" for stem in stems if stem.endswith("y")}
    return forms


class Verdict:
    """The best candidate for one word and how much likelier the model finds it."""

    __slots__ = ("candidate", "left", "right", "listed")

    def __init__(self, candidate: str, left: float, right: float, listed: int):
        self.candidate, self.left, self.right, self.listed = candidate, left, right, listed

    @property
    def ratio(self) -> float:
        return self.left * self.right


@functools.lru_cache(maxsize=50_000)
def weigh(before: str | None, word: str, after: str | None) -> Verdict | None:
    """The likeliest candidate for `word` between `before` and `after` (lower case; None at
    a sentence's edge), or None when none passes the sides' test."""
    m = model()
    left_mine, _ = m.p_next(before, word) if before is not None else (m.p(word), False)
    right_mine, _ = m.p_next(word, after) if after is not None else (1.0, False)
    best = None
    for candidate in candidates(word):
        if before is not None:
            left, left_listed = m.p_next(before, candidate)
        else:
            left, left_listed = m.p(candidate), False
        if after is not None:
            right, right_listed = m.p_next(candidate, after)
        else:
            right, right_listed = 1.0, False
        left_ratio, right_ratio = left / left_mine, right / right_mine
        if min(left_ratio, right_ratio) < SIDE_RATIO:
            continue
        ratio = left_ratio * right_ratio
        if best is None or ratio > best.ratio:
            best = Verdict(candidate, left_ratio, right_ratio, left_listed + right_listed)
    return best


def find(doc: Document, known: Lexicon) -> list[Finding]:
    """Context findings for the suspicious words of `doc`."""
    words = doc.words
    if not words:
        return []
    m = model()
    findings = []
    for index, word in enumerate(words):
        lower = word.lower
        # Names, sentence starts and acronyms are left alone: the model knows no case.
        if word.text != lower or m.count(lower) < MIN_WORD_COUNT:
            continue
        before, after = doc.neighbours(index)
        if before is None or after is None:
            continue  # both sides must speak: at a sentence's or a hyphen's edge one cannot
        if not suspicious(m, before, lower, after) or known.is_term(lower):
            continue
        verdict = weigh(before, lower, after)
        if verdict is None or not verdict.listed or verdict.ratio < SUGGESTION_RATIO:
            continue
        confident = verdict.ratio >= ERROR_RATIO and verdict.listed == 2
        severity = Severity.ERROR if confident else Severity.SUGGESTION
        findings.append(
            doc.finding(
                word.start,
                word.end,
                severity=severity,
                category=Category.REAL_WORD_TYPO,
                rule="fiction:context",
                message=f"“{word.text}” is unusual here; “{verdict.candidate}” fits the "
                "words around it.",
                suggestions=(match_case(word.text, verdict.candidate),),
            )
        )
    return findings
