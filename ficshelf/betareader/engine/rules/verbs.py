"""Verb forms fixed by the words before them:

- after a modal or `do`, the plain form: "may indicates", "could caused", "did went";
- after `have` and before an object, the participle: "has allow us" -> "has allowed us";
- after a plural subject, no -s: "people says" -> "say"; after `everyone`, an -s: "everyone
  know" -> "knows" (both in narration only: dialogue may speak that way on purpose).

A word counts as a verb form when stripping its ending gives a word of symspellpy's list that
has a common -ed form (or is the base of an irregular verb); one adverb may come between
("could possibly causes").
"""

import functools
import re

from .. import lexicon
from ..document import Document, match_case
from ..findings import Category, Finding, Severity
from . import number

S = Severity.SUGGESTION

_MODALS = frozenset(
    "can could will would shall should may might must does did cannot can't couldn't won't "
    "wouldn't shouldn't mustn't doesn't didn't don't".split()
)
# Words that are also nouns ("a can of", "his will", "in May") count only after these.
_NOUN_TOO = frozenset("can will may must".split())
_ADVERBS = frozenset(
    "not just also only still really never always even probably possibly certainly easily "
    "surely actually definitely hardly simply further eventually then".split()
)
# Before a modal that is also a noun, these make it the noun.
_DETERMINERS = frozenset(
    "a an the this that his her my your our their its one each every any no some".split()
)
_MIN_VERB_COUNT = 1_000_000
_FORM = re.compile(r"[a-z]{4,}")


@functools.cache
def _irregular() -> dict[str, str]:
    """Irregular simple pasts and participles that are no verb's base, to their base."""
    bases = lexicon.irregular_bases()
    table = {}
    for verb in lexicon.irregular_verbs():
        for form in verb.past + verb.participle:
            if form not in bases and verb.base != "be" and not _regular_verb(form):
                table.setdefault(form, verb.base)  # not "wound", "found": verbs of their own
    return table


def _count(word: str) -> int:
    return lexicon.word_counts().get(word, 0)


@functools.cache
def is_verb(base: str) -> bool:
    if base in lexicon.irregular_bases():
        return True
    return _regular_verb(base)


def _regular_verb(base: str) -> bool:
    if len(base) < 3 or _count(base) == 0:
        return False
    past = base + "d" if base.endswith("e") else base + "ed"
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        past = base[:-1] + "ied"
    return _count(past) >= _MIN_VERB_COUNT or _count(base + base[-1] + "ed") >= _MIN_VERB_COUNT


@functools.cache
def base_of(word: str) -> str | None:
    """The plain form of `word` when it is an -s, -ed or -ing form of a verb."""
    if word in _irregular():
        return _irregular()[word]
    if not _FORM.fullmatch(word) or word.endswith(("ss", "us", "is", "eed", "ous")):
        return None
    for base in _candidates(word):
        if is_verb(base) and _count(base) > _count(word) / 50:
            return base
    return None


def _candidates(word: str) -> tuple[str, ...]:
    if word.endswith("ies") or word.endswith("ied"):
        return (word[:-3] + "y",)
    if word.endswith("es"):
        return (word[:-1], word[:-2])
    if word.endswith("s"):
        return (word[:-1],)
    for ending in ("ed", "ing"):
        if word.endswith(ending):
            stem = word[: -len(ending)]
            # "ed", "ing", "sing": a stem too short to have a doubled last letter.
            doubled = (
                (stem[:-1],)
                if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls"
                else ()
            )
            if ending == "ing":
                return doubled + (stem + "e", stem)
            return doubled + (word[:-1], stem)
    return ()


# Plural subjects: their present verb takes no -s ("we kids", "you guys" may be a noun).
_PLURAL_SUBJECTS = frozenset("they people who".split())
_PLURAL_WHO = frozenset("people those".split())  # "people who knows" -> "know"
# Between a plural subject and its verb.
_SUBJECT_ADVERBS = frozenset("also always often never usually still really only just all".split())


def plural_subject_verbs(doc: Document) -> list[Finding]:
    """ "people says" -> "say", "they wants" -> "want" (narration only: "I says to him" is a
    voice)."""
    findings = []
    words = doc.words
    hits = (hit for subject in _PLURAL_SUBJECTS for hit in doc.words_by_lower.get(subject, ()))
    for subject, index in sorted(hits, key=lambda hit: hit[1]):
        target = index + 1
        if target < len(words) and words[target].lower in _SUBJECT_ADVERBS:
            target += 1
        if target >= len(words) or not all(doc.joined(i, i + 1) for i in range(index, target)):
            continue
        if index and words[index - 1].lower in ("of", "to", "for", "with", "than", "like"):
            continue  # "most of you", "thank you": not a subject
        if subject.lower == "who" and (not index or words[index - 1].lower not in _PLURAL_WHO):
            continue
        word = words[target]
        if not word.text.islower() or not word.lower.endswith("s") or doc.in_dialogue(word.start):
            continue
        base = base_of(word.lower)
        if base is None or number.countable(base) or base in ("be", "have", "do"):
            continue
        if _count(word.lower) > 2 * max(_count(form) for form in _other_forms(base)):
            continue  # a plural noun more than a verb: "they eyes" is "their eyes"
        findings.append(
            doc.finding(
                word.start,
                word.end,
                severity=S,
                category=Category.AGREEMENT,
                rule="fiction:plural-subject-verb",
                message=f"After “{subject.text}”, the verb has no -s: “{base}”.",
                suggestions=(match_case(word.text, base),),
            )
        )
    return findings


def _other_forms(base: str) -> tuple[str, ...]:
    stem = base[:-1] if base.endswith("e") else base
    return (stem + "ed", stem + "ing", base + "ed", base + "ing") + tuple(
        form for verb in lexicon.irregular_verbs() if verb.base == base for form in verb.past
    )


_HAVE = frozenset("have has had having".split())
_HAVE_ADVERBS = frozenset("never already just not also always ever recently since".split())
# After the verb: an object, so "has allow us" is a verb and "have access to" is not.
_OBJECTS = frozenset(
    "us them him her me it you the a an their our his my your its this these those some".split()
)
# A verb whose -ed form is this common, against its plain form, is more verb than noun.
_PAST_SHARE = 0.5


def _participle(base: str) -> str | None:
    for verb in lexicon.irregular_verbs():
        if verb.base == base:
            return None if base in verb.participle else verb.participle[0]
    if number.countable(base) or base.endswith(("s", "ed", "ing")):
        return None
    if base.endswith("e"):
        past = base + "d"
    elif base.endswith("y") and base[-2:-1] not in "aeiou":
        past = base[:-1] + "ied"
    else:
        past = base + "ed"
    if _count(past) >= _PAST_SHARE * _count(base):
        return past
    doubled = base + base[-1] + "ed"
    return doubled if _count(doubled) >= _PAST_SHARE * _count(base) else None


def have_participles(doc: Document) -> list[Finding]:
    """ "has allow us" -> "has allowed", "have take the" -> "have taken"."""
    findings = []
    words = doc.words
    hits = (hit for have in _HAVE for hit in doc.words_by_lower.get(have, ()))
    for have, index in sorted(hits, key=lambda hit: hit[1]):
        target = index + 1
        if target < len(words) and words[target].lower in _HAVE_ADVERBS:
            target += 1
        if target + 1 >= len(words) or words[target + 1].lower not in _OBJECTS:
            continue
        if not all(doc.joined(i, i + 1) for i in range(index, target + 1)):
            continue
        word = words[target]
        if not word.text.islower() or not is_verb(word.lower):
            continue
        participle = _participle(word.lower)
        if participle is None:
            continue
        findings.append(
            doc.finding(
                word.start,
                word.end,
                severity=S,
                category=Category.PAST_FORM,
                rule="fiction:have-participle",
                message=f"After “{have.text}”, the verb takes its participle: “{participle}”.",
                suggestions=(match_case(word.text, participle),),
            )
        )
    return findings


_EVERYONE = frozenset("everyone everybody someone somebody anyone anybody nobody".split())


def _third_person(base: str) -> str:
    if base in _IRREGULAR_THIRD_PERSON:
        return _IRREGULAR_THIRD_PERSON[base]
    if base.endswith(("s", "x", "z", "ch", "sh", "o")):
        return base + "es"
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return base[:-1] + "ies"
    return base + "s"


_IRREGULAR_THIRD_PERSON = {"have": "has", "be": "is", "are": "is", "were": "was"}


def _plea(doc: Document, index: int) -> bool:
    """A plea, an order or a spoken question, not a statement: "Somebody help me", "Everyone
    get down!", "Anyone want coffee?"."""
    words = doc.words
    if index + 1 < len(words) and words[index + 1].lower in ("me", "us"):
        return True
    rest = doc.normalized[words[index].end : words[index].end + 200]
    end = re.search(r"[.!?]", rest)
    return bool(end) and end.group() in "!?"  # "Anyone want coffee?" drops its "does"


def everyone_verbs(doc: Document) -> list[Finding]:
    """ "everyone know" -> "knows" (narration only: "Nobody move!" is an order)."""
    findings = []
    words = doc.words
    hits = (hit for subject in _EVERYONE for hit in doc.words_by_lower.get(subject, ()))
    for subject, index in sorted(hits, key=lambda hit: hit[1]):
        if index + 1 >= len(words) or not doc.joined(index, index + 1):
            continue
        word = words[index + 1]
        lower = word.lower
        if not word.text.islower() or doc.in_dialogue(word.start) or lower in _MODALS:
            continue
        if lower.endswith(("s", "ed", "ing")) or lower in lexicon.all_past_forms():
            continue
        if lower in _irregular() or not is_verb(lower) or number.countable(lower):
            continue
        fix = _third_person(lower)
        if _count(fix) == 0 or _plea(doc, index + 1):
            continue
        findings.append(
            doc.finding(
                word.start,
                word.end,
                severity=S,
                category=Category.AGREEMENT,
                rule="fiction:everyone-verb",
                message=f"“{subject.text}” takes a singular verb: “{fix}”.",
                suggestions=(match_case(word.text, fix),),
            )
        )
    return findings


def find(doc: Document) -> list[Finding]:
    return (
        modal_forms(doc) + plural_subject_verbs(doc) + have_participles(doc) + everyone_verbs(doc)
    )


def modal_forms(doc: Document) -> list[Finding]:
    findings = []
    words = doc.words
    hits = (hit for modal in _MODALS for hit in doc.words_by_lower.get(modal, ()))
    for modal, index in sorted(hits, key=lambda hit: hit[1]):
        if modal.lower in _NOUN_TOO:
            if index and words[index - 1].lower in _DETERMINERS:
                continue
            if modal.text[0].isupper() and modal.lower == "may" and index:
                continue  # the month
        target = index + 1
        if target < len(words) and words[target].lower in _ADVERBS:
            target += 1
        if target >= len(words) or not all(doc.joined(i, i + 1) for i in range(index, target)):
            continue
        word = words[target]
        if not word.text.islower():
            continue
        base = base_of(word.lower)
        if base is None or base == word.lower:
            continue
        findings.append(
            doc.finding(
                word.start,
                word.end,
                severity=S,
                category=Category.AGREEMENT,
                rule="fiction:modal-verb-form",
                message=f"After “{modal.text}”, the verb takes its plain form: “{base}”.",
                suggestions=(match_case(word.text, base),),
            )
        )
    return findings
