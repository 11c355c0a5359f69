"""Mechanics: the comma after a sentence's linking adverb ("However, ...") and `a` or `an` by
the sound of the next word.

Fiction's own openers ("And", "But", "So", "Then", "Still", "Finally") are never asked for a
comma: only the linking adverbs of argument, where a comma always follows.
"""

import re

from ..document import Document, match_case
from ..findings import Category, Finding, Severity

S = Severity.SUGGESTION

_LINKING = (
    "however", "therefore", "moreover", "furthermore", "nevertheless", "nonetheless",
    "consequently", "additionally", "thus", "hence", "in addition", "for example",
    "for instance", "in conclusion", "in contrast", "on the other hand", "as a result",
    "in summary", "to conclude", "to sum up", "firstly", "secondly", "thirdly", "lastly",
    "nowadays", "in my opinion", "in other words", "in general", "on the contrary", "similarly",
    "likewise",
)  # fmt: skip
# The comma is wanted only when a clause follows: a subject, not "However hard he tried" or
# "Thus began the war".
_SUBJECT = (
    r"I|we|they|he|she|it|you|the|a|an|this|that|these|those|there|people|many|most|some|all"
    r"|our|their|his|her|my|its|your|if|when|as|since|although|though|because|one|no|not"
    r"|such|each|every|both|with|without|by|for|after|before|even|in|on|at|to"
)
_LINKING_COMMA = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=[.!?][\"']\s)|(?<=\n))[\"']?(?P<x>"
    + "|".join(word.replace(" ", r"\s+") for word in _LINKING)
    + rf")\s+(?=(?:{_SUBJECT})\b|(?-i:[A-Z][a-z]))",
    re.IGNORECASE,
)
_CLAUSE_THEN_COMMA = re.compile(r"[^.!?;,\n]{1,60},")

# `an` before a vowel sound. Words spelled with a vowel but said with a consonant, and the
# other way round.
_CONSONANT_SOUND = re.compile(
    r"(?:uni(?!nt|nh|ns|nf|nc|nd|mp|nv|nl|nq)|use|usu|usa|uti|ura|ure|uro|eu|ewe"
    r"|one(?![a-z])|once|ubiq|uku|ufo)",
    re.IGNORECASE,
)
_NOT_AFTER_ARTICLE = frozenset(
    "and or but nor is was are were to of in on at for with the by as from".split()
)
_SILENT_H = re.compile(r"(?:hour|honest|honou?r|heir)", re.IGNORECASE)
_ARTICLE = re.compile(r"\b(?P<x>an?)\s+(?P<next>[a-z][a-z'-]*)\b", re.IGNORECASE)


def linking_commas(doc: Document) -> list[Finding]:
    findings = []
    text = doc.normalized
    for match in _LINKING_COMMA.finditer(text):
        start, end = match.span("x")
        original = match.group("x")
        if original.lower() == "however" and _CLAUSE_THEN_COMMA.match(text, end):
            continue  # "However you look at it, ...": "in whatever way", no comma
        findings.append(
            doc.finding(
                start,
                end,
                severity=S,
                category=Category.PUNCTUATION,
                rule="fiction:linking-comma",
                message=f"A comma usually follows “{original}” at the start of a sentence.",
                suggestions=(original + ",",),
            )
        )
    return findings


def _vowel_sound(word: str) -> bool:
    lower = word.lower()
    if lower[0] in "aeiou":
        return not _CONSONANT_SOUND.match(lower)
    if lower[0] == "h":
        return bool(_SILENT_H.match(lower))
    return False


def articles(doc: Document) -> list[Finding]:
    """`a` before a vowel sound, `an` before a consonant sound ("a apple", "an house"). Only
    lower-case words: "gene A", "an FBI agent", "a NASA team" are letters and initialisms."""
    findings = []
    text = doc.normalized
    for word in ("a", "an"):
        for hit, _ in doc.words_by_lower.get(word, ()):
            match = _ARTICLE.match(text, hit.start)
            if match is None or not match.group("next").islower():
                continue
            article = match.group("x")
            if match.group("next").lower() in _NOT_AFTER_ARTICLE:
                continue  # "plan a and plan b": the letter
            if hit.start and text[hit.start - 1] in "-'":
                continue
            wanted = "an" if _vowel_sound(match.group("next")) else "a"
            if article.lower() == wanted:
                continue
            findings.append(
                doc.finding(
                    hit.start,
                    hit.end,
                    severity=S,
                    category=Category.GRAMMAR,
                    rule="fiction:a-an",
                    message=f"Before “{match.group('next')}”, write “{wanted}”.",
                    suggestions=(match_case(article, wanted),),
                )
            )
    return findings


def find(doc: Document) -> list[Finding]:
    return linking_commas(doc) + articles(doc) + but_commas(doc)


# ", but" between two clauses: "but" and a subject pronoun after a clause of some length.
_BUT_CLAUSE = re.compile(
    r"(?<=[a-z])(?P<x>\s+but)\s+(?=(?:I|we|they|he|she|it|you|this|there)\s+[a-z])"
)
_CLAUSE_WORDS = 5


def but_commas(doc: Document) -> list[Finding]:
    findings = []
    text = doc.normalized
    for word, index in doc.words_by_lower.get("but", ()):
        match = _BUT_CLAUSE.match(text, word.start - 1) if word.start else None
        if match is None or word.text != "but":
            continue
        first = index - _CLAUSE_WORDS
        if first < 0 or not all(doc.joined(i, i + 1) for i in range(first, index)):
            continue  # "all but he", "I tried but he left": too short to want the comma
        start = doc.words[index - 1].end
        findings.append(
            doc.finding(
                start,
                word.end,
                severity=Severity.STYLE,  # stories leave it out for pace
                category=Category.PUNCTUATION,
                rule="fiction:but-comma",
                message="Between two clauses, a comma usually goes before “but”.",
                suggestions=(", but",),
            )
        )
    return findings
