"""Usage rules: `of` for `have`, use to / suppose to, past forms, compounds, doubled words,
missing small words and agreement."""

import functools
import re

from .. import lexicon
from ..document import Document
from ..findings import Category, Finding, Severity
from .patterns import Pattern, pattern, run_patterns, words_alternation

E, S = Severity.ERROR, Severity.SUGGESTION

_MODALS = (
    r"could|would|should|might|must|may|will|shall|ought\s+to|wouldn't|won't"
    r"|could(?:n't|\s+not)|would(?:n't|\s+not)|should(?:n't|\s+not)|might(?:n't|\s+not)"
    r"|must(?:n't|\s+not)"
)
# "all we could of the food", "would of course": `of` starting a phrase of its own.
_OF_PHRASE = (
    r"course|all|the|a|an|his|her|their|my|your|our|its|them|us|him|me|this|that|those|these"
    r"|which|what|it|whom|whose"
)
_CONJUNCTIONS = (
    "and", "but", "so", "when", "because", "while", "if", "as", "that", "since", "until", "where",
)  # fmt: skip
# Where a clause starts: the text's start, after punctuation, a line break or a conjunction.
_CLAUSE_START = (
    r"(?:^|(?<=[.!?;:,\"(]\s)|(?<=[.!?;:,\"(])|(?<=\n)|"
    + "|".join(rf"(?<=\b{word}\s)" for word in _CONJUNCTIONS)
    + ")"
)
_MOTION = (
    "went", "go", "goes", "going", "gone", "fell", "falls", "falling", "came", "comes", "coming",
)  # fmt: skip
_ING = (
    "going", "gonna", "doing", "getting", "coming", "trying", "looking", "making", "taking",
    "thinking", "talking", "saying", "telling", "leaving", "working", "waiting", "running",
    "standing", "sitting", "walking", "watching", "holding", "starting", "planning", "hoping",
)  # fmt: skip
_VERBS_S = (
    "wants", "needs", "likes", "knows", "says", "thinks", "gets", "makes", "goes", "takes", "sees",
    "comes", "looks", "feels", "seems", "means", "has", "tries", "works", "lives", "loves",
    "hates", "wishes", "cares", "remembers",
)  # fmt: skip
_DO_MODAL = (
    r"does|did|doesn't|didn't|do|don't|can|can't|could|couldn't|would|wouldn't|should"
    r"|shouldn't|must"
)
_SUBJECTS = r"I|you|we|they|he|she|it"
# "all that we can do has been tried": there "do" is the verb, and "has" begins the clause.
_AFTER_MODAL = re.compile(r"\b(?:can|could|would|should|must|will|may|might|to)\s+\Z", re.I)
_DETERMINERS = r"the|a|an|his|her|my|your|their|our|its|this|that|these|those|him|me|them|us|it"
# "went the store", "fell the floor": a verb of going with no preposition before the place. The
# noun must end its phrase, and not be one these verbs take without "to": "went the distance",
# "came the closest", "went the other way", "fell the length of the hall".
_NO_TO_NOUNS = (
    "way ways distance rest length route path course road same whole extra mile miles yard "
    "yards inch inches step steps other others opposite wrong right long short first last next "
    "time times day days night nights morning evening hour hours moment minute minutes week "
    "weeks month months year years dawn news word answer cry call sound voice full most least"
).split()
# Before the verb, these make it an inversion ("Then came the dawn.", "So far went his
# patience") or "fell" a verb of its own ("to fell the tree"); "the sooner you go the better".
_INVERSION = re.compile(
    r"\b(?:then|there|here|now|soon|so|thus|far|how|out|in|up|down|back|next|to|will|would|could|can"
    r"|should|must|might|may|and\s+then)\s+$",
    re.I,
)


_NEXT_WORDS = re.compile(r"\s+([a-z]+)(?:\s+([a-z]+))?", re.I)
# Adverbs that may stand between "of" and the participle: "could of easily gone".
_BEFORE_PARTICIPLE = frozenset("never already just not ever always even really easily".split())


def participle_follows(doc: Document, end: int) -> bool:
    """Whether a past form follows `end` ("could of gone", "had of known"): only then is an
    "of" there a misheard "have"; "the will of others", "what it could of gloom", "the look
    I had of her" are nouns and prepositions."""
    match = _NEXT_WORDS.match(doc.normalized, end)
    if not match:
        return False
    word, after = match.group(1).lower(), (match.group(2) or "").lower()
    if word in _BEFORE_PARTICIPLE or word.endswith("ly"):
        word = after
    return word.endswith("ed") or word in lexicon.verb_pasts()


def _goes_to_a_place(doc: Document, match: re.Match) -> bool:
    noun = match.group("n").lower()
    if noun in _NO_TO_NOUNS or noun.endswith("est") or noun in lexicon.comparatives():
        return False
    return not _INVERSION.search(doc.normalized, max(0, match.start() - 12), match.start())


_AUX = {"i": ("I was", "I'm"), "he": ("he was", "he's"), "she": ("she was", "she's")}
_AUX.update({"we": ("we were", "we're"), "they": ("they were", "they're")})
# Doubled function words are mistakes; a doubled content word may be for effect.
_DOUBLED_ERRORS = {
    "the", "a", "an", "of", "and", "is", "was", "were", "are", "my", "your", "their", "our",
    "his", "its", "i", "he", "she", "we", "they", "will", "would", "could", "should", "with",
    "for", "from", "at", "but", "this", "than", "to", "into", "be", "been", "has", "have",
}  # fmt: skip
_DOUBLED_FINE = {
    "had", "that", "her", "very", "really", "so", "no", "yes", "yeah", "now", "there", "well",
    "ha", "haha", "bye", "knock", "come", "go", "run", "please", "never", "more", "again", "far",
    "little", "long", "round", "on", "hey", "oh", "ah", "tick", "tock", "boom", "bang", "blah",
    "chop", "hush", "shh", "too", "many", "over", "back", "away", "down", "up", "out", "bit",
    "by", "step", "day", "night", "one", "deeper", "closer", "faster", "harder", "louder",
    "higher", "tap", "drip", "wait", "stop", "sorry", "okay", "ok", "fine", "dum", "da", "la",
    "na", "ho", "hee", "ba", "boo", "mm", "hmm", "is", "do", "you", "it", "in", "what",
}  # fmt: skip
# Not "forward to to-morrow": the second word begins a hyphenated one.
_DOUBLED = re.compile(r"\b([^\W\d_]+(?:'[^\W\d_]+)?)([ \t]+|[ \t]*\r?\n[ \t]*)(\1)\b(?!-)", re.I)


def _participle(match: re.Match) -> tuple[str, ...]:
    return (lexicon.past_only()[match.group("x").lower()],)


def _past(match: re.Match) -> tuple[str, ...]:
    return (lexicon.participle_only()[match.group("x").lower()],)


def _nonstandard(match: re.Match) -> tuple[str, ...]:
    return (lexicon.past_forms()[match.group("x").lower()],)


def _compound(match: re.Match) -> tuple[str, ...]:
    return (lexicon.compounds()[" ".join(match.group("x").lower().split())],)


def _base(verb: str) -> str:
    lower = verb.lower()
    if lower == "has":
        return "have"
    if lower.endswith("ies"):
        return lower[:-3] + "y"
    if lower.endswith(("shes", "ches", "oes")):
        return lower[:-2]
    return lower[:-1]


def _aux(match: re.Match) -> tuple[str, ...]:
    return _AUX[match.group("p").lower()]


def _first_words(phrases) -> set[str]:
    return {phrase.split()[0] for phrase in phrases}


@functools.cache
def patterns() -> tuple[Pattern, ...]:
    past_only = {
        form for form in lexicon.past_only() if form not in {"rose", "bit", "lay", "wound", "fell"}
    }
    compounds = lexicon.compounds()
    joined = [word for word in compounds if " " not in word]
    split = [word for word in compounds if " " in word]
    return (
        # --- `of` for `have` -----------------------------------------------------------------
        pattern(
            "modal-of", "of", Category.MODAL_OF, E,
            rf"\b(?P<x>(?P<m>{_MODALS})\s+of)\b(?=\s+(?!(?:{_OF_PHRASE})\b)[a-z])",
            "{m} have",
            "After “{m}”, write “have” (or “’ve”): “of” only sounds like it.",
            check=lambda doc, m: participle_follows(doc, m.end("x")),
        ),
        pattern(
            "had-of", "of", Category.MODAL_OF, E,
            r"\b(?:if|I|he|she|we|they|you|it)\s+(?P<x>(?P<h>had)\s+of)\s+(?=[a-z]+(?:ed|en|wn|ne|ht|ew)\b)",
            "{h}",
            "“had of” is spoken English: write “had”.",
        ),
        # --- use to / suppose to ---------------------------------------------------------------
        pattern(
            "suppose-to", "suppose", Category.USED_TO, E,
            r"\b(?:am|is|are|was|were|be|been|being|not|'m|'s|'re|isn't|aren't|wasn't|weren't)\s+(?P<x>suppose\s+to)\b",
            "supposed to",
            "It is “supposed to”: the -d is not heard, but it is written.",
        ),
        pattern(
            "use-to", "use", Category.USED_TO, E,
            rf"{_CLAUSE_START}(?:{_SUBJECTS}|people|everyone|things)\s+(?:always\s+|never\s+)?(?P<x>use\s+to)\s+(?=[a-z])",
            "used to",
            "For a past habit, write “used to”: only after “did” or “didn’t” is it “use to”.",
        ),
        pattern(
            "use-to", "use", Category.USED_TO, E,
            r"\b(?:am|is|are|was|were|be|been|get|gets|got|getting|gotten|become|became)\s+(?P<x>use\s+to)\b(?!\s+(?:the|a|an|his|her|my|your|their|our|its|some|any)\b)",
            "used to",
            "“Accustomed to” is written “used to”.",
        ),
        pattern(
            "did-used-to", "used", Category.USED_TO, S,
            r"\b(?:did|didn't|did\s+not|does|doesn't)\s+(?:\w+\s+)?(?P<x>used\s+to)\b",
            "use to",
            "After “did” or “didn’t”, the usual form is “use to”.",
        ),
        # --- past forms ----------------------------------------------------------------------
        pattern(
            "past-form", lexicon.past_forms(), Category.PAST_FORM, E,
            rf"\b(?P<x>{words_alternation(lexicon.past_forms())})\b",
            _nonstandard,
            "“{text}” is not a standard past form.",
        ),
        pattern(
            "had-past", past_only, Category.PAST_FORM, E,
            rf"\b(?:have|has|had|having|'ve|'d)\s+(?:(?:never|already|just|not|ever|always|barely|only|finally|really|even|all|since|long|once|probably|clearly|obviously)\s+)?(?P<x>{words_alternation(past_only)})\b",
            _participle,
            "After “have” or “had”, use the participle: “{text}” is the simple past.",
        ),
        pattern(
            "participle-as-past", "seen done begun swum sung rung", Category.PAST_FORM, S,
            rf"{_CLAUSE_START}(?:I|he|she|we|they)\s+(?P<x>seen|done|begun|swum|sung|rung)\b",
            _past,
            "“{text}” needs “have” or “had” before it; for the simple past, use the past form.",
            narration_only=True,
        ),
        pattern(
            "drug-dragged", "drug", Category.PAST_FORM, E,
            r"\b(?:he|she|it|I|we|they)\s+(?P<x>drug)\s+(?=(?:\w+self|themselves|ourselves|the|a|an|his|her|him|me|them|us|it|my|your|their|our)\b)",
            "dragged",
            "The past of “drag” is “dragged”.",
            check=lambda doc, m: m.group(0).split()[0].lower() in ("he", "she", "it")
            or "sel" in doc.normalized[m.end() : m.end() + 12].lower(),
        ),
        pattern(
            "lead-led", "lead", Category.PAST_FORM, E,
            r"\b(?:had|has|have|'ve|having)\s+(?P<x>lead)\b",
            "led",
            "The past of “lead” is “led”.",
        ),
        pattern(
            "lead-led", "lead", Category.PAST_FORM, E,
            r"\b(?:was|were|been|being)\s+(?P<x>lead)\s+(?=(?:to|by|into|away|astray|out|back|through|inside|outside|off|down|up)\b)",
            "led",
            "The past of “lead” is “led”.",
        ),
        pattern(
            "lead-led", "lead", Category.PAST_FORM, S,
            rf"\b(?:he|she|it)\s+(?P<x>lead)\s+(?=(?:{_DETERMINERS}|to|into|through|up|down|out|back|away)\b)",
            ("led", "leads"),
            "After “he”, “she” or “it”, “lead” is neither past nor present: “led” or “leads”.",
        ),
        # --- compounds -------------------------------------------------------------------------
        pattern(
            "compound", _first_words(compounds), Category.COMPOUND, E,
            rf"\b(?P<x>{words_alternation(joined)})\b",
            _compound,
            "“{text}” is written as separate words.",
        ),
        pattern(
            "compound", _first_words(compounds), Category.COMPOUND, S,
            rf"\b(?P<x>{words_alternation(split)})\b(?!-)",
            _compound,
            "“{text}” is usually written as one word.",
        ),
        pattern(
            "may-be", "maybe", Category.COMPOUND, S,
            r"\b(?:it|that|this|there|which|he|she|they|you|I|we)\s+(?P<x>maybe)\s+(?=(?:a|an|the|true|too|possible|hard|better|best|right|wrong|worth|late|over|so|more|less|easier|harder|difficult|dangerous|useful|able|the)\b)",
            "may be",
            "As a verb, “may be” is two words; “maybe” means “perhaps”.",
        ),
        pattern(
            "a-part", "apart", Category.COMPOUND, S,
            r"\b(?:is|was|be|been|being|am|are|were|feel|felt|feels|become|became|'m|'s|'re)\s+(?P<x>apart)\s+(?=of\b)",
            "a part",
            "To belong to something is to be “a part of” it; “apart” means separated.",
        ),
        # --- missing small words ---------------------------------------------------------------
        pattern(
            "missing-to", _MOTION, Category.MISSING_WORD, S,
            rf"\b(?P<x>{'|'.join(_MOTION)})\s+(?=(?:the|his|her|my|your|their|our)\s+(?P<n>[a-z]+)(?:\s*[.,;:!?]|\s+(?:and|but|with|before|after|where|when|while|until|again|together|alone|at|in|on|by|for|from|to)\b))",
            "{x} to",
            "A word seems to be missing after “{text}”: “to”?",
            check=_goes_to_a_place,
        ),
        pattern(
            "missing-of", "front most some none rest each several", Category.MISSING_WORD, S,
            rf"\b(?P<x>in\s+front)\s+(?=(?:{_DETERMINERS})\b)",
            "in front of",
            "“in front” needs “of” before what follows.",
        ),
        pattern(
            "missing-of", "front most some none rest each several", Category.MISSING_WORD, S,
            r"\b(?P<x>most|some|none|rest|each|several)\s+(?=(?:them|us)\b)",
            "{x} of",
            "A word seems to be missing: “{text} of”?",
        ),
        pattern(
            "missing-be", _ING, Category.MISSING_WORD, S,
            rf"{_CLAUSE_START}(?P<x>(?P<p>I|he|she|we|they))\s+(?=(?:{'|'.join(_ING)})\b)",
            _aux,
            "A verb seems to be missing after “{text}”.",
            narration_only=True,
        ),
        # --- agreement ---------------------------------------------------------------------------
        pattern(
            "were-was", "were", Category.AGREEMENT, S,
            r"(?:^|(?<=[.!?]\s)|(?<=\n)|(?<=\band\s)|(?<=\bbut\s)|(?<=\bso\s)|(?<=\bbecause\s)|(?<=\bwhen\s)|(?<=\bthat\s))(?:he|she|it)\s+(?P<x>were)\b(?!\s+to\b)",
            "was",
            "With “he”, “she” or “it”, the past of “be” is “was” (“were” only after “if”, "
            "“as if” or “wish”).",
            narration_only=True,
        ),
        pattern(
            "do-verb-s", _VERBS_S, Category.AGREEMENT, E,
            rf"\b(?:{_DO_MODAL})\s+(?:(?!do\b)[A-Za-z]+\s+)?(?P<x>{'|'.join(_VERBS_S)})\b",
            lambda m: (_base(m.group("x")),),
            "After “do”, “does”, “did” or a modal, the verb takes its plain form.",
            check=lambda doc, m: not _AFTER_MODAL.search(doc.normalized, 0, m.start()),
        ),
        pattern(
            "they-was", "was", Category.AGREEMENT, E,
            r"\b(?:they|we|you)\s+(?P<x>was)\b",
            "were",
            "After “they”, “we” or “you”, the past of “be” is “were”.",
            narration_only=True,
        ),
    )  # fmt: skip


def doubled_words(doc: Document) -> list[Finding]:
    findings = []
    for match in _DOUBLED.finditer(doc.normalized):
        word = match.group(1).lower()
        if word in _DOUBLED_FINE:
            continue
        if match.group(1) != match.group(3) and match.group(3)[0].isupper():
            continue  # "... to. To" is caught elsewhere; "Olivia olivia" is not a doubling.
        severity = E if word in _DOUBLED_ERRORS else S
        findings.append(
            doc.finding(
                match.start(),
                match.end(),
                severity=severity,
                category=Category.DOUBLED_WORD,
                rule="fiction:doubled-word",
                message=f"“{match.group(1)}” is written twice.",
                suggestions=(match.group(1),),
            )
        )
    return findings


def find(doc: Document) -> list[Finding]:
    return run_patterns(doc, patterns()) + doubled_words(doc)
