"""Ficshelf's own fiction rules, run after Harper's. Each module's `find(doc)` returns
findings with offsets into the document's text."""

from ..document import Document
from ..findings import Finding
from . import confusables, dialogue, mechanics, number, real_words, style, usage, verbs


def run(doc: Document, *, include_style: bool = False) -> list[Finding]:
    findings = usage.find(doc) + confusables.find(doc) + dialogue.find(doc) + number.find(doc)
    findings += verbs.find(doc) + mechanics.find(doc) + real_words.find(doc)
    if include_style:
        findings += style.find(doc)
    return findings
