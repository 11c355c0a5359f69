"""Style notes, off unless asked for: very long sentences, repeated sentence openings, dense
adverbs and filter words. A matter of taste, never an error."""

import re

from .. import lexicon
from ..document import Document
from ..findings import Category, Finding, Severity

LONG_SENTENCE_WORDS = 60
REPEATED_OPENINGS = 3  # this many sentences in a row starting with the same word
ADVERB_SHARE = 0.06  # of a paragraph's words
_ADVERB_MIN_WORDS = 30
_NOT_ADVERBS = {
    "only", "family", "early", "daily", "likely", "fly", "reply", "belly", "holy", "ugly",
    "silly", "lonely", "lovely", "friendly", "jelly", "rally", "ally", "bully", "apply",
    "supply", "july", "italy", "emily", "kelly", "molly", "sally", "lily", "holly", "curly",
    "elderly", "costly", "deadly", "lively", "smelly", "chilly", "hilly", "oily",
    "wily", "bubbly", "wobbly", "cuddly", "surly", "burly", "ghastly", "ghostly", "manly",
    "womanly", "motherly", "fatherly", "brotherly", "sisterly", "orderly", "monthly", "weekly",
    "yearly", "hourly", "nightly", "comply", "multiply", "imply", "rely", "firefly", "butterfly",
}  # fmt: skip
_FILTER = re.compile(r"\b(?:I|he|she|we|they|you)\s+(?P<x>[a-z]+)\b", re.I)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


def _style(doc: Document, start: int, end: int, rule: str, message: str) -> Finding:
    return doc.finding(
        start,
        end,
        severity=Severity.STYLE,
        category=Category.STYLE,
        rule=f"fiction:{rule}",
        message=message,
    )


def long_sentences(doc: Document) -> list[Finding]:
    findings = []
    for start, end in doc.sentences:
        count = len(doc.normalized[start:end].split())
        if count > LONG_SENTENCE_WORDS:
            findings.append(
                _style(
                    doc,
                    start,
                    end,
                    "long-sentence",
                    f"This sentence runs to {count} words; a reader may lose the thread.",
                )  # fmt: skip
            )
    return findings


def repeated_openings(doc: Document) -> list[Finding]:
    findings = []
    run_word, run = None, 0
    for start, _end in doc.sentences:
        match = _WORD.match(doc.normalized, start)
        if not match or doc.normalized[start] == '"':
            run_word, run = None, 0
            continue
        word = match.group().lower()
        run = run + 1 if word == run_word else 1
        run_word = word
        if run >= REPEATED_OPENINGS:
            findings.append(
                _style(
                    doc,
                    match.start(),
                    match.end(),
                    "repeated-opening",
                    f"{run} sentences in a row start with “{match.group()}”.",
                )  # fmt: skip
            )
    return findings


def adverb_density(doc: Document) -> list[Finding]:
    findings = []
    counts = lexicon.word_counts()
    for paragraph in doc.paragraphs:
        words = list(_WORD.finditer(doc.normalized, paragraph.start, paragraph.end))
        if len(words) < _ADVERB_MIN_WORDS:
            continue
        adverbs = [
            w
            for w in words
            if w.group().lower().endswith("ly")
            and w.group().lower() not in _NOT_ADVERBS
            and w.group().lower() in counts
        ]
        if len(adverbs) / len(words) > ADVERB_SHARE:
            first = adverbs[0]
            findings.append(
                _style(
                    doc,
                    first.start(),
                    first.end(),
                    "adverb-density",
                    f"This paragraph has {len(adverbs)} -ly adverbs in {len(words)} words; "
                    "a stronger verb may say more.",
                )  # fmt: skip
            )
    return findings


def filter_words(doc: Document) -> list[Finding]:
    words = lexicon.filter_words()
    findings = []
    for match in _FILTER.finditer(doc.normalized):
        word = match.group("x").lower()
        if word in words and not doc.in_dialogue(match.start()):
            findings.append(
                _style(
                    doc,
                    match.start("x"),
                    match.end("x"),
                    "filter-word",
                    f"“{match.group('x')}” filters the scene through the character; showing "
                    "it directly may bring the reader closer.",
                )  # fmt: skip
            )
    return findings


def find(doc: Document) -> list[Finding]:
    return long_sentences(doc) + repeated_openings(doc) + adverb_density(doc) + filter_words(doc)
