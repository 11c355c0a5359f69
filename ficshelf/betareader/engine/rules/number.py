"""Noun number, fixed by the words before the noun: "many student" -> "students", "each
students" -> "student", "this approaches" -> "these", "less candies" -> "fewer"; uncountable
nouns given a plural ("informations"), and regular plurals of irregular nouns ("lifes").

No part-of-speech tagger: a word is taken for a countable noun only when symspellpy's word list
has both its singular and its plural, it has no common -ed/-ing form (not a verb) and no common
-ly form (not an adjective), and the next word ends the noun phrase (punctuation, a preposition,
a conjunction or a verb of the small closed set below). That misses many errors, and flags few
right sentences.
"""

import dataclasses
import functools
import re

from .. import lexicon
from ..document import Document, Word, match_case
from ..findings import Category, Finding, Severity

S = Severity.SUGGESTION

# Determiners that want a plural noun, and those that want a singular one.
_PLURAL_DETERMINERS = frozenset(
    "many several few various numerous these those two three four five six seven eight nine "
    "ten twelve twenty thirty forty fifty hundreds thousands millions".split()
)
_SINGULAR_DETERMINERS = frozenset("a an each every another one".split())
# Determiners that change with the noun's number, for the noun they stand before.
_PLURAL_OF_DETERMINER = {"this": "these"}
_SINGULAR_OF_DETERMINER = {"these": "this", "those": "that"}
# What may follow the head of a noun phrase: it ends there.
_PHRASE_END = frozenset(
    "of and or who which that in on at to for with from by are is were was have has had will "
    "can could would should may might must do does did as than because but so since when while "
    "if about into through during after before without within among between like ago".split()
)
# -s words that are singular, and words too often adjectives or pronouns to judge.
_NOT_PLURAL = frozenset(
    "news series species means physics mathematics economics politics ethics athletics "
    "gymnastics statistics thanks kudos lens headquarters crossroads barracks whereabouts odds "
    "alms pants scissors glasses clothes data media".split()
)
_NOT_NOUNS = frozenset(
    "other more most less same such own kind sort type lot part half all both each much "
    "little whole main next last first second third few many".split()
)
# Plural nouns with fewer uses than this, per use of the singular, count as uncountable.
_PLURAL_SHARE = 0.03
# A word whose -ed, -ing or -ly forms are this common, against its own count, may be a verb or
# an adjective.
_OTHER_USE_SHARE = 0.03
_MIN_COUNT = 200_000

_VERB_SUBJECTS = frozenset("he she it who which that one".split())


@functools.cache
def _singulars() -> dict[str, str]:
    return {plural: singular for singular, plural in lexicon.IRREGULAR_PLURALS.items()}


def _count(word: str) -> int:
    return lexicon.word_counts().get(word, 0)


def plural_of(word: str) -> str:
    if word in lexicon.IRREGULAR_PLURALS:
        return lexicon.IRREGULAR_PLURALS[word]
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def singular_of(word: str) -> str | None:
    if word in _singulars():
        return _singulars()[word]
    if not word.endswith("s") or word.endswith(("ss", "us", "is", "ous", "ics")):
        return None
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    return word[:-1]


def _other_uses(word: str) -> int:
    stem = word[:-1] if word.endswith("e") else word
    forms = (word + "ed", stem + "ed", word + "d", stem + "ing", word + "ing", word + "ly")
    forms += (word[:-1] + "ily",) if word.endswith("y") else ()
    return sum(_count(form) for form in set(forms) if form != word)


@functools.cache
def countable(word: str) -> bool:
    """Whether `word` is (almost surely) a singular countable noun and nothing else."""
    if word in _NOT_NOUNS or word in lexicon.mass_nouns() or len(word) < 3:
        return False
    if word.endswith(("s", "ing", "ed", "ful", "ous", "ive", "al", "ic", "able", "ible")):
        return False
    count = _count(word)
    if count < _MIN_COUNT or word in lexicon.all_past_forms():
        return False
    if _count(plural_of(word)) < _PLURAL_SHARE * count:
        return False
    return _other_uses(word) < _OTHER_USE_SHARE * count


@functools.cache
def countable_plural(word: str) -> str | None:
    """The singular of `word` when it is (almost surely) a plural countable noun."""
    if word in _NOT_PLURAL:
        return None
    singular = singular_of(word)
    if singular is None or plural_of(singular) != word or not countable(singular):
        return None
    return singular


def _ends_phrase(doc: Document, index: int) -> bool:
    """Whether the noun phrase ends after word `index`."""
    words, text = doc.words, doc.normalized
    end = words[index].end
    after = text[end : words[index + 1].start] if index + 1 < len(words) else text[end:]
    if not after.strip():
        return index + 1 < len(words) and words[index + 1].lower in _PHRASE_END
    return after.lstrip()[:1] in ",.;:!?)"


def _finding(doc: Document, word: Word, fix: str, message: str) -> Finding:
    return doc.finding(
        word.start,
        word.end,
        severity=S,
        category=Category.AGREEMENT,
        rule="fiction:noun-number",
        message=message,
        suggestions=(match_case(word.text, fix),),
    )


def noun_number(doc: Document) -> list[Finding]:
    findings = []
    words = doc.words
    triggers = _PLURAL_DETERMINERS | _SINGULAR_DETERMINERS | {"this", "less"}
    for trigger, index in sorted(
        (hit for word in triggers for hit in doc.words_by_lower.get(word, ())),
        key=lambda hit: hit[1],
    ):
        if index + 1 >= len(words):
            continue
        noun = words[index + 1]
        if not noun.text.islower() or not doc.joined(index, index + 1):
            continue
        if index and words[index - 1].lower in ("no", "any", "some", "every"):
            continue  # "no one", "every one of them"
        if not _ends_phrase(doc, index + 1):
            continue
        if trigger.lower in _SINGULAR_OF_DETERMINER and noun.lower in lexicon.mass_nouns():
            fix = _SINGULAR_OF_DETERMINER[trigger.lower]
            findings.append(
                _finding(doc, trigger, fix, f"“{noun.text}” has no plural: “{fix} {noun.text}”.")
            )
        elif trigger.lower in _PLURAL_OF_DETERMINER and countable_plural(noun.lower):
            fix = _PLURAL_OF_DETERMINER[trigger.lower]
            findings.append(_finding(doc, trigger, fix, f"Before a plural noun, write “{fix}”."))
        elif trigger.lower == "less" and countable_plural(noun.lower):
            findings.append(
                _finding(doc, trigger, "fewer", "With things that are counted, “fewer”.")
            )
        elif trigger.lower in _PLURAL_DETERMINERS and countable(noun.lower):
            fix = plural_of(noun.lower)
            findings.append(
                _finding(doc, noun, fix, f"After “{trigger.text}”, the noun is plural: “{fix}”.")
            )
        elif trigger.lower in _SINGULAR_DETERMINERS:
            singular = countable_plural(noun.lower)
            if singular:
                findings.append(
                    _finding(doc, noun, singular, f"After “{trigger.text}”, the noun is singular.")
                )
    return findings


def mass_plurals(doc: Document) -> list[Finding]:
    """ "informations", "advices": nouns English does not count."""
    findings = []
    plurals = {plural_of(noun): noun for noun in lexicon.mass_nouns()}
    hits = (hit for plural in plurals for hit in doc.words_by_lower.get(plural, ()))
    for word, index in sorted(hits, key=lambda hit: hit[1]):
        noun = plurals[word.lower]
        if index and doc.words[index - 1].lower in _VERB_SUBJECTS:
            continue  # "she researches", "it evidences"
        findings.append(
            doc.finding(
                word.start,
                word.end,
                severity=S,
                category=Category.AGREEMENT,
                rule="fiction:mass-noun",
                message=f"“{noun}” has no plural in English.",
                suggestions=(match_case(word.text, noun),),
            )
        )
    return findings


# Irregular nouns given a regular plural ("lifes"), where that form is no verb too ("knifes",
# "mans", "foots" the bill are).
_REGULARIZED = {
    singular + "s": plural
    for singular, plural in lexicon.IRREGULAR_PLURALS.items()
    if singular in ("life", "wife", "child", "woman", "tooth", "thief", "half", "shelf", "goose")
}
# Set phrases whose noun is singular: "each other", "a lot of".
_SET_PHRASES = re.compile(
    r"\b(?:each|one)\s+(?P<x>others)\b(?!\s*')|\ba\s+(?P<y>lots)\s+of\b", re.I
)


def regularized_plurals(doc: Document) -> list[Finding]:
    findings = []
    for wrong, right in _REGULARIZED.items():
        for word, _ in doc.words_by_lower.get(wrong, ()):
            finding = _finding(doc, word, right, f"The plural is “{right}”.")
            findings.append(dataclasses.replace(finding, severity=Severity.ERROR))
    for match in _SET_PHRASES.finditer(doc.normalized):
        group = "x" if match.group("x") else "y"
        start, end = match.span(group)
        original = match.group(group)
        findings.append(
            doc.finding(
                start,
                end,
                severity=S,
                category=Category.AGREEMENT,
                rule="fiction:noun-number",
                message=f"In this phrase, “{original[:-1]}” is singular.",
                suggestions=(original[:-1],),
            )
        )
    return findings


def find(doc: Document) -> list[Finding]:
    return noun_number(doc) + mass_plurals(doc) + regularized_plurals(doc)
