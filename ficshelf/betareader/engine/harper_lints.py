"""Harper, configured for fiction, its lints turned into findings.

Harper's defaults are written for office prose. A story's voice (profanity, slang, fragments,
"And" at the start of a sentence, no Oxford comma, `...` for an ellipsis, `--` for a dash) is
never an error here, so those rules are off. Every rule that stays on maps to a category and a
severity: first by the table below, then by the group Harper files the rule under.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass

from harper import Dialect, Language, Linter, SuggestionKind

from . import lexicon
from .document import Document, match_case
from .findings import Category, Finding, Severity
from .rules.confusables import after_preposition
from .rules.usage import participle_follows
from .spelling import (
    Lexicon,
    best_correction,
    elided,
    in_foreign_phrase,
    one_edit_correction,
    repeated,
)

E, S, ST = Severity.ERROR, Severity.SUGGESTION, Severity.STYLE

# Rules that fight the author's voice, fire on office prose only, or that our own fiction
# rules do better (quotes, doubled words, long sentences).
OFF = {
    "AvoidCurses",
    "Bollocks",
    "OxfordComma",
    "NoOxfordComma",
    "UseEllipsisCharacter",
    "Dashes",
    "SpelledNumbers",
    "LongSentences",
    "UnclosedQuotes",
    "RepeatedWords",
    "TheTheToThatThe",
    "FillerWords",
    "Hedging",
    "BoringWords",
    "AvoidContractions",
    "DiscourseMarkers",
    "UseTitleCase",
    "OkToOkay",
    "YeaToYeah",
    "YehToYeah",
    "FindOut",
    "LetsConfusion",
    "PreferSneaked",
    "PreferSnuck",
    "PreferPleaded",
    "PreferPled",
    "OrthographicConsistency",
    "KindOf",
    "Lots",
    "Really",
    "OhMyGod",
    "Freezing",
    "Starving",
    "Excellent",
    "AllOfASudden",
    "ExpandBecause",
    "ExpandThough",
    "ExpandThrough",
    "ExpandWith",
    "ExpandWithout",
    "ExpandPeople",
    "ExpandTimeShorthands",
    "ExpandMemoryShorthands",
    "ExpandFavourite",
    "ExpandForward",
    "ExpandPrevious",
    "ExpandMinimum",
    "ExpandLegitimate",
    "ExpandControl",
    "ExpandGovt",
    "HelloGreeting",
    "BestRegards",
    "KindRegards",
    "LetMeKnow",
    "SendAnEmailTo",
    "CaseSensitive",
    "QuoteSpacing",
    # Below 45% precision on CoNLL-2014, or done better by our rules (rules/verbs.py, number.py,
    # mechanics.py): "have their right" -> "there", "offsprings" -> "off springs".
    "SplitWords",
    "ModalBeAdjective",
    "TheirToThere",
    "WhomSubjectOfVerb",
    "MassNouns",
    "AnA",
}
# Whole groups of Harper's settings that are not about a story's mechanics.
OFF_GROUPS = {"Initialisms", "Regionalisms and Dialect", "Proper Nouns"}

GROUPS = {
    "Spelling and Orthography": (Category.SPELLING, S),
    "Grammar and Agreement": (Category.GRAMMAR, S),
    "Pronouns and Possession": (Category.CONFUSABLE, S),
    "Miscellaneous": (Category.GRAMMAR, S),
    "Word Choice and Usage": (Category.GRAMMAR, S),
    "Phrase Corrections": (Category.GRAMMAR, S),
    "Numbers and Units": (Category.GRAMMAR, S),
    "Capitalization and Case": (Category.CAPITALIZATION, S),
    "Closed Compounds": (Category.COMPOUND, S),
    "Compounds and Hyphenation": (Category.COMPOUND, S),
    "Punctuation and Spacing": (Category.PUNCTUATION, S),
    "Style and Redundancy": (Category.STYLE, ST),
}
# By the lint's own kind, for a rule in no group.
KINDS = {
    "Spelling": (Category.SPELLING, S),
    "Capitalization": (Category.CAPITALIZATION, S),
    "Punctuation": (Category.PUNCTUATION, S),
    "Formatting": (Category.PUNCTUATION, S),
    "Agreement": (Category.AGREEMENT, S),
    "Repetition": (Category.DOUBLED_WORD, S),
    "Style": (Category.STYLE, ST),
    "Readability": (Category.STYLE, ST),
    "Enhancement": (Category.STYLE, ST),
}
DEFAULT = (Category.GRAMMAR, S)

# The rules that matter most to fiction, mapped deliberately.
RULES: dict[str, tuple[Category, Severity]] = {
    "SpellCheck": (Category.SPELLING, E),
    "ThenThan": (Category.CONFUSABLE, E),
    "ThatThan": (Category.CONFUSABLE, S),
    "ItsPossessive": (Category.CONFUSABLE, E),
    "ItsContraction": (Category.CONFUSABLE, E),
    "PossessiveYour": (Category.CONFUSABLE, E),
    "PronounContraction": (Category.CONFUSABLE, E),
    "YourOutClauseAgreement": (Category.CONFUSABLE, S),
    "ThereToTheir": (Category.CONFUSABLE, E),
    "TheirToThere": (Category.CONFUSABLE, E),
    "TheirToTheyre": (Category.CONFUSABLE, E),
    "TheyreToTheir": (Category.CONFUSABLE, E),
    "TheyreConfusions": (Category.CONFUSABLE, E),
    "ThereOwn": (Category.CONFUSABLE, E),
    "Theres": (Category.CONFUSABLE, S),
    "WereWhere": (Category.CONFUSABLE, E),
    # Takes "too kind", "too much at my ease" for "to": never right on published novels.
    "ToTwoToo": (Category.CONFUSABLE, S),
    "TooTo": (Category.CONFUSABLE, E),
    "ToTooIdioms": (Category.CONFUSABLE, S),
    "ToLoseTooLoose": (Category.CONFUSABLE, E),
    "TheWhetherWeather": (Category.CONFUSABLE, E),
    "NounVerbConfusion": (Category.CONFUSABLE, S),
    "BellowBelow": (Category.REAL_WORD_TYPO, S),
    "QuiteQuiet": (Category.REAL_WORD_TYPO, S),
    "ThoughThought": (Category.REAL_WORD_TYPO, S),
    "PronounKnew": (Category.REAL_WORD_TYPO, S),
    "FeelFell": (Category.REAL_WORD_TYPO, S),
    "ThingThink": (Category.REAL_WORD_TYPO, S),
    "HopHope": (Category.REAL_WORD_TYPO, S),
    "BoarderBorder": (Category.REAL_WORD_TYPO, S),
    "WaistWaste": (Category.REAL_WORD_TYPO, S),
    "SupposedTo": (Category.USED_TO, E),
    "UseToUsedTo": (Category.USED_TO, E),
    "GetUsedTo": (Category.USED_TO, E),
    "ModalOf": (Category.MODAL_OF, E),
    "HadOf": (Category.MODAL_OF, E),
    "MayOfPronoun": (Category.MODAL_OF, S),
    "SimplePastToPastParticiple": (Category.PAST_FORM, E),
    "RegularIrregulars": (Category.PAST_FORM, E),
    "Payed": (Category.PAST_FORM, E),
    "DidPast": (Category.PAST_FORM, S),
    "HelpedPast": (Category.PAST_FORM, S),
    "OpenCompounds": (Category.COMPOUND, E),
    "Everyday": (Category.COMPOUND, S),
    "CompoundNouns": (Category.STYLE, ST),
    "MergeWords": (Category.COMPOUND, S),
    "SplitWords": (Category.COMPOUND, S),
    "MissingTo": (Category.MISSING_WORD, S),
    "MissingPreposition": (Category.MISSING_WORD, S),
    "MissingDeterminer": (Category.MISSING_WORD, S),
    "PronounVerbAgreement": (Category.AGREEMENT, S),
    "PronounInflectionBe": (Category.AGREEMENT, E),
    "IAmAgreement": (Category.AGREEMENT, E),
    "NominalWants": (Category.AGREEMENT, S),
    "ThereIsAgreement": (Category.AGREEMENT, S),
    "CapitalizePersonalPronouns": (Category.CAPITALIZATION, E),
    "SentenceCapitalization": (Category.CAPITALIZATION, S),
    "EllipsisLength": (Category.PUNCTUATION, S),
    "Spaces": (Category.STYLE, ST),
    "NoFrenchSpaces": (Category.STYLE, ST),
}

# PronounVerbAgreement takes some adverbs for verbs ("he first noticed", "she still hopes").
_NOT_VERBS = {"last", "first", "still", "just", "only", "also", "never", "always", "often", "once"}
_BE = {"am", "is", "are", "was", "were", "be", "been", "being"}
_SINGULAR_IN_S = {"news", "series", "species", "means", "physics", "mathematics", "economics"}
_BE_NEXT = tuple(f"{word} " for word in ("is", "are", "was", "were"))
_RUN_TOGETHER_COUNT = 5_000_000
_EITHER_PRONOUN = re.compile(r"\b(?:he|she)\s*(?:or|/)\s*(?:he|she)\s+$", re.I)
_PLURAL_PRONOUN = re.compile(r"\b(?:they|we)\s+$", re.I)
_GLUED = re.compile(r"\w[.,;:]\w")
_PAYED_OUT = re.compile(r"\s+out\b", re.I)
_SHORT_WORDS = {"a", "an", "to", "of", "in", "on", "at", "by", "is", "it", "be", "we", "he", "my"}
_HYPHEN_AFTER = re.compile(r"-+\s*")
_BACKTICKS = re.compile(r"`([^`]*)`")
# Harper's rules that take a possessive for a contraction ("their" for "they're").
_POSSESSIVE_CONTRACTIONS = {
    "TheirToTheyre",
    "ItsContraction",
    "PronounContraction",
    "YourOutClauseAgreement",
}
# "you" before a plural naming people ("you men"), or before a span of time and "ago".
_YOU_PLURAL = re.compile(
    r"\s+(?:men|women|people|guys|boys|girls|children|kids|folks|ladies|gentlemen|two|three"
    r"|both|all|lot)\b"
    r"|\s+(?:\w+\s+)?(?:seconds|minutes|hours|days|weeks|months|years|ages|decades)"
    r"\s+(?:ago|before|later|earlier|back)\b",
    re.I,
)
_TOO_ADJECTIVE_A = re.compile(r"too\s+[a-z]+\s+an?\s+[a-z]", re.I)

_local = threading.local()
_groups: dict[str, str] = {}
_groups_lock = threading.Lock()


_DIALECTS = {
    "gb": Dialect.BRITISH,
    "uk": Dialect.BRITISH,
    "ie": Dialect.BRITISH,
    "nz": Dialect.AUSTRALIAN,
    "au": Dialect.AUSTRALIAN,
    "ca": Dialect.CANADIAN,
    "in": Dialect.INDIAN,
}


def names_region(variant: str) -> bool:
    """Whether a language tag names its English ("en-GB", "en-US"), not only "en"."""
    return bool(variant.replace("_", "-").partition("-")[2])


def dialect_of(variant: str) -> Dialect:
    """Harper's dialect for a language tag: "en-GB" British, "en" or "en-US" American."""
    region = variant.replace("_", "-").lower().partition("-")[2][:2]
    return _DIALECTS.get(region, Dialect.AMERICAN)


def linter(dialect: Dialect = Dialect.AMERICAN) -> Linter:
    """A Linter configured for fiction, one per thread and dialect (building one takes about a
    second). Its SpellCheck is off: spelling is asked of `speller` word by word."""
    linters = _local.__dict__.setdefault("fiction", {})
    linter = linters.get(dialect)
    if linter is None:
        linter = Linter(dialect)
        groups = rule_groups(linter)
        config = {
            name: False if name in OFF or groups.get(name) in OFF_GROUPS else None
            for name in linter.get_default_lint_config()
        }
        config["SpellCheck"] = False
        linter.set_lint_config(config)
        linters[dialect] = linter
    return linter


def speller(dialect: Dialect = Dialect.AMERICAN) -> Linter:
    """A Linter with Harper's SpellCheck alone, one per thread and dialect."""
    spellers = _local.__dict__.setdefault("speller", {})
    linter = spellers.get(dialect)
    if linter is None:
        linter = Linter(dialect)
        linter.set_lint_config(
            {name: name == "SpellCheck" for name in linter.get_default_lint_config()}
        )
        spellers[dialect] = linter
    return linter


def rule_groups(linter: Linter) -> dict[str, str]:
    """Each rule's group label in Harper's structured settings."""
    with _groups_lock:
        if not _groups:
            _walk(linter.get_structured_lint_config(), "", _groups)
    return _groups


def _walk(node: dict, label: str, into: dict[str, str]) -> None:
    for setting in node.get("settings", ()):
        if "Group" in setting:
            group = setting["Group"]
            _walk(group["child"], group.get("label", ""), into)
        elif "Bool" in setting:
            into[setting["Bool"]["name"]] = label


def classify(rule: str, kind: str) -> tuple[Category, Severity]:
    if rule in RULES:
        return RULES[rule]
    group = _groups.get(rule)
    if group in GROUPS:
        return GROUPS[group]
    return KINDS.get(kind, DEFAULT)


# Harper slows down more than linearly on a long stretch of text without a paragraph break
# (a chapter of 510,000 characters on one line took minutes), so it reads the text in pieces of
# about this many characters, cut at a paragraph or sentence end.
_PIECE = 1_000
# A run of punctuation with nothing but spaces in it (a divider of 500,000 asterisks, ". . .")
# holds nothing to check, and Harper reads it slowly: it sees spaces inside it instead.
_PUNCTUATION_RUN = re.compile(r"[^\w\s](?:\s*+[^\w\s])*+")
_LONG_RUN = 8
_CUTS = ("\n", ". ", "! ", "? ", '." ', '!" ', '?" ', " ")


def harper_findings(
    doc: Document,
    known: Lexicon,
    *,
    dialect: Dialect = Dialect.AMERICAN,
    strict: bool = False,
    progress=None,
) -> list[Finding]:
    """Harper's findings on the document: its rules on the text piece by piece, and its
    spelling on the document's words. `progress(fraction)` is told how far it got."""
    text, blanked = _without_long_punctuation(doc.normalized)
    findings = spelling_findings(doc, known, dialect=dialect, strict=strict)
    fiction = linter(dialect)
    length = max(1, len(text))
    for start, end in _pieces(text):
        organized = fiction.organized_lints(text[start:end], language=Language.PLAINTEXT)
        for rule, lints in organized.items():
            for lint in lints:
                if blanked[lint.span.start + start]:
                    continue  # about the spaces that stand for a run of punctuation
                if (
                    rule == "SentenceCapitalization"
                    and lint.span.start == 0
                    and not doc.sentence_start(start)
                ):
                    continue  # the piece begins here, the sentence began before it
                finding = _finding(doc, known, rule, _Lint.of(lint, offset=start))
                if finding is not None:
                    findings.append(finding)
        if progress is not None:
            progress(end / length)
    return findings


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


@dataclass(frozen=True)
class _Suggestion:
    kind: SuggestionKind
    replacement_text: str


@dataclass(frozen=True)
class _Lint:
    """What is kept of one of Harper's lints, its span moved to offsets into the document."""

    span: _Span
    lint_kind: str
    message: str
    suggestions: tuple[_Suggestion, ...]

    @classmethod
    def of(cls, lint, *, offset: int) -> "_Lint":
        return cls(
            _Span(lint.span.start + offset, lint.span.end + offset),
            lint.lint_kind,
            lint.message,
            tuple(_Suggestion(s.kind, s.replacement_text) for s in lint.suggestions),
        )


# Harper's verdict on each word form it was asked about, per dialect: None when it knows the
# word, else its lint with the span of the word alone. A chapter's words are mostly words seen
# in earlier chapters, so each is asked once; the memo is bounded (emptied when full).
_spellings: dict[tuple[Dialect, str], _Lint | None] = {}
_SPELLINGS_MAX = 300_000


def forget_spellings() -> None:
    """Empty the memo of Harper's spelling verdicts (the speed benchmark times cold words)."""
    _spellings.clear()


def _glued(text: str, start: int, end: int) -> bool:
    """Whether the word is glued to the next or the last by a comma or stop with no space
    ("receipent,will", "members.Early"): a missing space, not a misspelling (as Harper,
    reading the text, takes the two words for one)."""
    after = text[end : end + 2]
    before = text[max(0, start - 2) : start]
    return (len(after) == 2 and after[0] in ".,;:" and after[1].isalpha()) or (
        len(before) == 2 and before[1] in ".,;:" and before[0].isalpha()
    )


def _ask_speller(words: list[str], dialect: Dialect) -> None:
    if len(_spellings) + len(words) > _SPELLINGS_MAX:
        _spellings.clear()
    # One word a line: Harper's SpellCheck judges a word by itself, not by its neighbours.
    text = "\n".join(words)
    starts, pos = {}, 0
    for word in words:
        starts[pos] = word
        pos += len(word) + 1
    verdicts: dict[str, _Lint | None] = dict.fromkeys(words)
    for lint in speller(dialect).lint(text, language=Language.PLAINTEXT):
        word = starts.get(lint.span.start)
        if word is not None and lint.span.end - lint.span.start == len(word):
            verdicts[word] = _Lint.of(lint, offset=-lint.span.start)
    for word, verdict in verdicts.items():
        _spellings[(dialect, word)] = verdict


_DIALECT_NAMES = {
    Dialect.AMERICAN: "American",
    Dialect.BRITISH: "British",
    Dialect.AUSTRALIAN: "Australian",
    Dialect.CANADIAN: "Canadian",
    Dialect.INDIAN: "Indian",
}


def spelling_findings(
    doc: Document, known: Lexicon, *, dialect: Dialect, strict: bool = False
) -> list[Finding]:
    """Harper's SpellCheck on the document's words, asked once per distinct word form.

    `strict`: the work names its English ("en-GB", "en-US"), so a word right only in another
    English ("color" in a British work) is a suggestion; else ("en") either is let be."""
    other = Dialect.BRITISH if dialect == Dialect.AMERICAN else Dialect.AMERICAN
    unasked = sorted({w.text for w in doc.words if (dialect, w.text) not in _spellings})
    if unasked:
        _ask_speller(unasked, dialect)
    # A word Harper knows only in the other English ("labor", "centered" in a British work).
    unasked = sorted(
        {
            w.text
            for w in doc.words
            if _spellings.get((dialect, w.text)) is not None and (other, w.text) not in _spellings
        }
    )
    if unasked:
        _ask_speller(unasked, other)
    findings = []
    for word in doc.words:
        verdict = _spellings.get((dialect, word.text))
        if verdict is None or _glued(doc.normalized, word.start, word.end):
            continue
        lint = _Lint(
            _Span(word.start, word.end), verdict.lint_kind, verdict.message, verdict.suggestions
        )
        if (
            verdict.suggestions
            and (word.text.islower() or known.knows(word.text))
            and _spellings.get((other, word.text), False) is None
        ):
            if not strict:
                continue  # "en" names no English: either spelling is right
            fix = verdict.suggestions[0].replacement_text
            findings.append(
                doc.finding(
                    word.start,
                    word.end,
                    severity=S,
                    category=Category.SPELLING,
                    rule="fiction:variant-spelling",
                    message=(
                        f"“{word.text}” is the {_DIALECT_NAMES[other]} spelling; this "
                        f"work is in {_DIALECT_NAMES[dialect]} English: “{fix}”."
                    ),
                    suggestions=[fix],
                )
            )
            continue
        finding = _finding(doc, known, "SpellCheck", lint)
        if finding is not None:
            findings.append(finding)
    return findings


def _without_long_punctuation(text: str) -> tuple[str, bytearray]:
    """`text` with each long run of punctuation made spaces, character for character, and
    which characters were (1) or were not (0) made spaces."""
    blanked = bytearray(len(text) + 1)

    def spaces(match: re.Match) -> str:
        run = match.group()
        if sum(not c.isspace() for c in run) < _LONG_RUN:
            return run
        # Its first and last marks stay, so the words around it stay apart for Harper.
        inside = "".join(c if c == "\n" else " " for c in run[1:-1])
        blanked[match.start() + 1 : match.end() - 1] = b"\x01" * len(inside)
        return run[0] + inside + run[-1]

    return _PUNCTUATION_RUN.sub(spaces, text), blanked


def _pieces(text: str):
    """(start, end) of consecutive pieces of `text` of at most about _PIECE characters, each
    ending at a paragraph end if there is one in its second half, else at a sentence end, else
    at a space."""
    start, length = 0, len(text)
    while start < length:
        end = start + _PIECE
        if end >= length:
            yield start, length
            return
        cut = -1
        for mark in _CUTS:
            found = text.rfind(mark, start + (_PIECE // 2 if mark == "\n" else 0), end)
            if found > start:
                cut = found + len(mark)
                break
        if cut < 0:
            # No space at all: after the last character that is no letter or digit, so that no
            # word is cut in two (a cut word would be a spelling mistake).
            cut = next((i + 1 for i in range(end - 1, start, -1) if not text[i].isalnum()), end)
        yield start, cut
        start = cut


def _finding(doc: Document, known: Lexicon, rule: str, lint: _Lint):
    """The finding for one of Harper's lints (its span into the document), or None."""
    start, end = lint.span.start, lint.span.end
    if end <= start:
        return None
    category, severity = classify(rule, lint.lint_kind)
    word = doc.normalized[start:end]
    suggestions = [_replacement(word, s.kind, s.replacement_text) for s in lint.suggestions]
    if rule == "SpellCheck":
        letters = sum(c.isalpha() for c in word)
        if _stutter(doc, start, end) or letters <= 2 or _GLUED.search(word):
            return None  # "Aa", "C.", "Jolie,she": initials and missing spaces
        if elided(doc.normalized, known, start, word):
            return None  # "'tis", "'twould", "'prenticed": a word with its start left out
        if known.knows(word):
            if not _proper_lowercased(word, suggestions) or known.is_term(word):
                return None
            # "facebook", "canadian": Harper knows the word only with a capital.
            category, severity = Category.CAPITALIZATION, S
            suggestions = suggestions[:1]
        elif (old := word.lower()) in lexicon.period_spellings():
            modern = lexicon.period_spellings()[old]
            return doc.finding(
                start,
                end,
                severity=S,
                category=Category.SPELLING,
                rule="fiction:period-spelling",
                message=f"An old spelling of “{modern}”: right in a period piece only.",
                suggestions=[match_case(word, modern)],
            )
        elif _accented(word):
            # A loanword (née, coupé, château): right as it is when it is known without its
            # accents, else worth a look, with no guessed fix.
            if known.knows(_without_accents(word)):
                return None
            severity, suggestions = S, []
        elif (joined := _hyphenated(doc, start, end)) is not None:
            # Half of a hyphenated word (post-mortem, pince-nez): the half alone is not a
            # word, and says little about the whole.
            if known.knows(joined.replace("-", "")) or known.knows(joined):
                return None
            severity = S
        elif _inflection_of_known(known, word):
            severity = S  # "muslins", "gaieties": a plural the word list lacks
        elif repeated(doc.normalized, start, end) or in_foreign_phrase(doc, known, start, end):
            severity = S  # "Phoo! phoo!", "my caro sposo": a sound, or a foreign phrase
        elif one_edit_correction(word):
            suggestions = best_correction(word, suggestions)
        elif split := _run_together(known, word):
            suggestions = [split]  # "withthe", "thefamily"
        else:
            # No likely typo of a common word: more often a rare real word ("barouche",
            # "instructress") or a coinage than a mistake.
            severity = S
        if word[:1].isupper() and not word.isupper():
            # Most likely a name the vocabulary does not hold yet: worth a look, but no
            # guessed fix, unless it opens the sentence.
            severity = S
            if not doc.sentence_start(start):
                suggestions = []
        elif _compound_of_words(known, word):
            # A coined compound of the genre ("biobed", "hoverbike"): worth a look, not
            # certainly wrong.
            severity = S
    elif rule == "PronounVerbAgreement":
        if word.lower() in _NOT_VERBS or word.lower() in lexicon.all_past_forms():
            return None
        before = doc.normalized[max(0, start - 20) : start]
        if _EITHER_PRONOUN.search(before) or _PLURAL_PRONOUN.search(before):
            # "if he or she wish": an essay's subjunctive; "they eyes" is "their eyes"
            # (rules/verbs.py checks "they wants" with a noun filter).
            return None
    elif rule == "PronounKnew":
        before = doc.normalized[max(0, start - 30) : start].lower().split()
        if len(before) >= 2 and before[-2] in _BE:  # "Were they new recruits?"
            return None
    elif rule == "Payed" and _PAYED_OUT.match(doc.normalized, end):
        return None  # a sailor "payed out" the rope: the right past there
    elif rule in _POSSESSIVE_CONTRACTIONS and after_preposition(doc, start):
        return None  # "of their being engaged", "near to your home": possessives
    elif rule == "PossessiveYour" and _you_plural_or_time(doc, end):
        return None  # "you men are all so lazy", "warned against you months ago"
    elif rule == "ToTwoToo" and _TOO_ADJECTIVE_A.match(doc.normalized, start):
        return None  # "too fine a day", "too good a man"
    elif rule in ("HadOf", "ModalOf") and not participle_follows(doc, end):
        return None  # "had of late", "the look I had of her", "the good will of Lucy"
    elif rule in _READ_OTHERWISE:
        severity = _read_otherwise(doc, rule, start, word, severity)
        if severity is None:
            return None
    elif rule in ("MissingPreposition", "MissingDeterminer") and not suggestions:
        return None
    elif rule == "ThereIsAgreement" and word.split()[-1].lower() in _SINGULAR_IN_S:
        return None  # "there is news"
    elif rule == "MissingTo" and doc.normalized[end:].lstrip().lower().startswith(_BE_NEXT):
        return None  # "the users' needs are": a noun, not a verb wanting "to"
    elif rule == "SentenceCapitalization" and doc.in_dialogue(start):
        return None
    if any(known.is_term(part) for part in word.split()) and category in (
        Category.SPELLING,
        Category.CAPITALIZATION,
        Category.COMPOUND,
    ):
        return None
    return doc.finding(
        start,
        end,
        severity=severity,
        category=category,
        rule=f"harper:{rule}",
        message=_BACKTICKS.sub(r"“\1”", lint.message),
        suggestions=suggestions,
    )


_READ_OTHERWISE = {
    "SupposedTo", "PronounInflectionBe", "ThereToTheir", "WereWhere", "RegularIrregulars",
    "SimplePastToPastParticiple",
}  # fmt: skip
_TOKEN = re.compile(r"[\w']+")
_AUXILIARIES = _BE | {"had", "has", "have", "will", "would", "could", "should", "might", "must"}
_AUXILIARIES |= {"can", "did", "does", "do", "shall", "may"}
_POSSESSIVE_PRONOUNS = {"hers", "his", "ours", "yours", "theirs", "mine"}
_SUBJUNCTIVE = re.compile(r"\b(?:if|whether|though|unless|wish|wished)\b", re.I)


def _read_otherwise(doc: Document, rule: str, start: int, word: str, severity):
    """The severity of a lint where the words before allow another reading of what it
    flags (None: the other reading is the likely one)."""
    clause = re.split(r"[.!?;:\n]\s*\n|[.!?;:]", doc.normalized[max(0, start - 80) : start])[-1]
    before = [w.lower() for w in _TOKEN.findall(clause)][-2:]
    last = before[-1] if before else ""
    if rule == "SupposedTo":  # "they are suppose to"; "she could suppose to be" is the verb
        return severity if any(w in _BE or w.endswith(("'m", "'s", "'re")) for w in before) else S
    if rule == "PronounInflectionBe":
        plural = word.lower() in ("were", "are")
        if last in _POSSESSIVE_PRONOUNS or (plural and "and" in before[:1]):
            return None  # "Hers are not faults", "her father and herself were"
        if word.lower() == "were" and _SUBJUNCTIVE.search(clause):
            return None  # "whether, if lessened, it were likely": a subjunctive
    elif rule == "ThereToTheir" and last in _AUXILIARIES:
        return None  # "was there time", "were there roses enough": a question's order
    elif rule == "WereWhere" and last.endswith(("s", "ing")):
        return S  # "Julia's looks were", "listening and wondering were": a verb
    elif rule == "RegularIrregulars" and word[:1].isupper() and not doc.sentence_start(start):
        return None  # "the Parrys": a family's name
    elif rule == "SimplePastToPastParticiple" and last.endswith("'d"):
        if word.lower() in lexicon.irregular_bases():
            return None  # "I'd lay my life": "I would", not "I had"
    return severity


def _inflection_of_known(known: Lexicon, word: str) -> bool:
    lower = word.lower()
    stems = []
    if lower.endswith("ies"):
        stems.append(lower[:-3] + "y")
    if lower.endswith("es"):
        stems.append(lower[:-2])
    if lower.endswith("s"):
        stems.append(lower[:-1])
    return any(len(stem) >= 4 and known.is_common(stem) for stem in stems)


def _accented(word: str) -> bool:
    return any(ord(c) > 127 and c.isalpha() for c in word)


def _without_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


_HYPHENATED = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")


def _hyphenated(doc: Document, start: int, end: int) -> str | None:
    """The hyphenated word that doc.normalized[start:end] is a part of, or None."""
    text = doc.normalized
    if not (text.startswith("-", end) or (start > 0 and text[start - 1] == "-")):
        return None
    left = start
    while left > 0 and (text[left - 1].isalpha() or text[left - 1] == "-"):
        left -= 1
    match = _HYPHENATED.match(text, left)
    if match is None or not (match.start() <= start and end <= match.end()):
        return None
    return match.group()


def _you_plural_or_time(doc: Document, end: int) -> bool:
    return bool(_YOU_PLURAL.match(doc.normalized, end))


def _replacement(problem: str, kind: SuggestionKind, text: str) -> str:
    """A Harper suggestion as the text that replaces the whole span, as Finding promises."""
    if kind == SuggestionKind.REMOVE:
        return ""
    if kind == SuggestionKind.INSERT_AFTER:
        return problem + text
    return text


def _proper_lowercased(word: str, suggestions: list[str]) -> bool:
    return bool(suggestions) and word.islower() and suggestions[0] == word[:1].upper() + word[1:]


def _compound_of_words(known: Lexicon, word: str) -> bool:
    lower = word.lower()
    return any(
        known.is_common(lower[:cut]) and known.is_common(lower[cut:])
        for cut in range(3, len(lower) - 2)
    )


def _run_together(known: Lexicon, word: str) -> str | None:
    """`word` split into two common words ("with the"), the likeliest split, or None."""
    lower = word.lower()
    splits = [
        (min(known.counts[lower[:cut]], known.counts[lower[cut:]]), cut)
        for cut in range(2, len(lower) - 1)
        if known.counts.get(lower[:cut], 0) >= _RUN_TOGETHER_COUNT
        and known.counts.get(lower[cut:], 0) >= _RUN_TOGETHER_COUNT
        and (cut >= 3 or lower[:cut] in _SHORT_WORDS)
        and (len(lower) - cut >= 3 or lower[cut:] in _SHORT_WORDS)
    ]
    if not splits:
        return None
    cut = max(splits)[1]
    return f"{word[:cut]} {word[cut:]}"


def _stutter(doc: Document, start: int, end: int) -> bool:
    """`S-stop`, `c-cop`: a first letter or two repeated before the word."""
    fragment = doc.normalized[start:end].lower()
    match = _HYPHEN_AFTER.match(doc.normalized, end)
    if not match:
        return False
    rest = doc.normalized[match.end() : match.end() + len(fragment) + 10].lower()
    return len(fragment) <= 3 and rest.startswith(fragment)
