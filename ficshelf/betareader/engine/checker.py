"""The checker's public interface: Harper tuned for fiction, then Ficshelf's fiction rules.

- check_text(text, *, vocabulary=(), include_style=False, progress=None) -> CheckResult,
  offsets into `text`; `progress(fraction)`, when given, is told how far the check got (for
  a long chapter checked in the background).
- check_html(html, *, vocabulary=(), include_style=False) -> CheckResult, offsets into `html`;
  a finding whose span crosses markup has no suggestions (no one-click fix).
- apply_fix(text, *, start, end, expected, replacement) -> str; raises StaleText when
  text[start:end] != expected (the text changed since it was checked).
- correct_text(text) -> str: every error and suggestion fixed with its first suggestion
  (used by the benchmarks).

`context=False` leaves out the context layer (`context.py`: real words in the wrong place,
weighed by a bigram model); the benchmarks use it for the figures without the layer.

`variant` is the work's language tag ("en", "en-US", "en-GB", "en-AU", "en-CA", "en-IN"): it
decides which spellings are right (colour and realise in British English, color and realize in
American English).

`vocabulary` is the work's own names and terms: its fandom, character and relationship tags
and the author's dictionary ("Alex/Olivia", "Law & Order: SVU", "1PP"). Their words are never
spelling mistakes.
"""

import bisect
from collections.abc import Callable, Iterable
from dataclasses import replace

from harper import Linter

from . import context as context_layer
from . import harper_lints, html_text, lexicon, rules
from .document import Document
from .findings import Category, CheckResult, Finding, Severity
from .spelling import Lexicon
from .words import count_words

NOT_ENGLISH = "This text does not look like English, so it was not checked."
# Below this share of known English words a text (or a paragraph) is taken for another language.
ENGLISH_SHARE = 0.5
# Between the two shares, Harper's own guess decides.
SURELY_ENGLISH_SHARE = 0.8
_FOREIGN_PARAGRAPH_WORDS = 6
_SAMPLE_WORDS = 4000

# English's commonest small words; other languages share few of them.
_FUNCTION_WORDS = frozenset(
    "the a an of to in on at by for with from and or but as is are was were be been can could "
    "will would should may might must this that these those it he she they we i you not have "
    "has had do does did there their his her its our my your which who what when if than so".split()
)
_FUNCTION_WORD_SHARE = 0.3
_SHORT_TEXT_WORDS = 40

_RANK = {Severity.ERROR: 2, Severity.SUGGESTION: 1, Severity.STYLE: 0}


class StaleText(ValueError):
    """The text changed since it was checked: check again before fixing."""


def _linter() -> Linter:
    """The fiction-configured Linter of this thread."""
    return harper_lints.linter()


def check_text(
    text: str,
    *,
    vocabulary: Iterable[str] = (),
    include_style: bool = False,
    variant: str = "en",
    progress: Callable[[float], None] | None = None,
    context: bool = True,
) -> CheckResult:
    word_count = count_words(text, is_html=False)
    doc = Document(text)
    if not doc.words:
        return CheckResult(findings=[], word_count=word_count)
    known = Lexicon(vocabulary)
    if not _looks_english(doc, known):
        return CheckResult(findings=[], skipped_reason=NOT_ENGLISH, word_count=word_count)
    dialect = harper_lints.dialect_of(variant)
    findings = harper_lints.harper_findings(
        doc,
        known,
        dialect=dialect,
        strict=harper_lints.names_region(variant),
        progress=progress,
    )
    findings += rules.run(doc, include_style=include_style)
    if context:
        findings += context_layer.find(doc, known)
    if not include_style:
        findings = [f for f in findings if f.severity != Severity.STYLE]
    findings = _drop_foreign(doc, known, findings)
    findings = [_calibrated(doc, known, f) for f in findings]
    return CheckResult(findings=_dedupe(findings), word_count=word_count)


def check_html(
    html: str,
    *,
    vocabulary: Iterable[str] = (),
    include_style: bool = False,
    variant: str = "en",
    progress: Callable[[float], None] | None = None,
) -> CheckResult:
    extracted = html_text.extract(html)
    result = check_text(
        extracted.text,
        vocabulary=vocabulary,
        include_style=include_style,
        variant=variant,
        progress=progress,
    )
    findings = []
    for finding in result.findings:
        start, end, clean = extracted.html_span(finding.start, finding.end)
        findings.append(
            Finding(
                start=start,
                end=end,
                text=html[start:end],
                severity=finding.severity,
                category=finding.category,
                rule=finding.rule,
                message=finding.message,
                suggestions=finding.suggestions if clean else (),
            )
        )
    return CheckResult(
        findings=findings,
        skipped_reason=result.skipped_reason,
        word_count=count_words(html, is_html=True),
    )


def apply_fix(text: str, *, start: int, end: int, expected: str, replacement: str) -> str:
    if text[start:end] != expected:
        raise StaleText("The text changed since it was checked.")
    return text[:start] + replacement + text[end:]


def correct_text(text: str, *, context: bool = True) -> str:
    result = check_text(text, context=context)
    corrected, last = [], 0
    for finding in sorted(result.findings, key=lambda f: f.start):
        if finding.severity == Severity.STYLE or not finding.suggestions or finding.start < last:
            continue
        corrected.append(text[last : finding.start])
        corrected.append(finding.suggestions[0])
        last = finding.end
    corrected.append(text[last:])
    return "".join(corrected)


def _looks_english(doc: Document, known: Lexicon) -> bool:
    words = doc.words
    step = max(1, len(words) // _SAMPLE_WORDS)
    share = known.known_share(word.text for word in words[::step])
    if share < ENGLISH_SHARE:
        return False
    if share >= SURELY_ENGLISH_SHARE or len(words) < 8:
        return True
    if len(words) < _SHORT_TEXT_WORDS and _function_word_share(words) >= _FUNCTION_WORD_SHARE:
        return True  # a short English text with a few typos ("This covenience can be ...")
    return _linter().is_likely_english(doc.normalized[:20_000])


def _function_word_share(words) -> float:
    return sum(word.lower in _FUNCTION_WORDS for word in words) / len(words)


def _drop_foreign(doc: Document, known: Lexicon, findings: list[Finding]) -> list[Finding]:
    """Findings inside a paragraph in another language (a French letter, a Spanish line) go:
    flagging each of its words helps nobody."""
    foreign = []
    for paragraph in doc.paragraphs:
        first, last = doc.next_word_index(paragraph.start), doc.next_word_index(paragraph.end)
        words = [word.text for word in doc.words[first:last]]
        if len(words) >= _FOREIGN_PARAGRAPH_WORDS and known.known_share(words) < ENGLISH_SHARE:
            foreign.append((paragraph.start, paragraph.end))
    if not foreign:
        return findings
    starts = [start for start, _ in foreign]

    def inside(finding: Finding) -> bool:
        index = bisect.bisect_right(starts, finding.start) - 1
        return index >= 0 and finding.start < foreign[index][1]

    return [f for f in findings if not inside(f)]


# The lints that read a possessive as a contraction ("their" for "they're").
_CONTRACTION_LINTS = frozenset(
    (
        "harper:TheirToTheyre",
        "harper:PronounContraction",
        "harper:ItsContraction",
        "fiction:their-they're",
        "fiction:your-you're",
    )
)
# Words that cannot open the noun phrase after "their" ("their not", "their so"): there the
# contraction is meant. Before anything else ("their two fathers", "their very reduced
# circle", "their visit") Harper's TheirToTheyre is a guess.
_NOT_AFTER_POSSESSIVE = frozenset(
    "a an the not so too in on at going gonna never always just really still here there".split()
)
_DETERMINERS = frozenset("his her my your their our its this that these those some".split())
# Closed-class words after "you" that no possessive "your" comes before: pronouns, numbers,
# time adverbs ("you yourself", "you four hours hence", "to you I", "upon you yesterday").
_NOT_AFTER_YOUR = frozenset(
    "i you he she we they it yourself yourselves none all both two three four five six seven "
    "eight nine ten yesterday today tomorrow to-day to-morrow hence now then".split()
)
# In dialogue, a nonstandard verb form is more often the character's voice than a slip.
_VOICE = frozenset((Category.PAST_FORM, Category.AGREEMENT))
_DERIVATIONS = ("ing", "ed", "er", "ers", "ly", "ness", "cy", "ment")
# Marks that set a word in italics in plain text (Gutenberg's _caro sposo_, Markdown's *née*).
_EMPHASIS = "_*"


def _calibrated(doc: Document, known: Lexicon, finding: Finding) -> Finding:
    """An error is kept an error only where it is almost certainly wrong; what edited prose
    does on purpose (a possessive before a gerund, a foreign word set in italics, an older
    participle) is told as a suggestion, with its fix still offered."""
    if finding.severity != Severity.ERROR or not _done_on_purpose(doc, known, finding):
        return finding
    return replace(finding, severity=Severity.SUGGESTION)


def _done_on_purpose(doc: Document, known: Lexicon, finding: Finding) -> bool:
    if finding.category in _VOICE and doc.in_dialogue(finding.start):
        return True  # a character's "had took", "they was": how the character speaks
    if finding.rule == "harper:TheirToTheyre":
        following = _next_word(doc, finding.start)
        return following not in _NOT_AFTER_POSSESSIVE or _before_gerund(doc, finding.start)
    if finding.rule == "harper:PronounContraction" and finding.text.lower() == "were":
        # "the first of the three, were the first": a verb after a comma, or opening an
        # inverted clause ("Were this so"); "we're" follows a word, not a pause.
        before = doc.normalized[: finding.start].rstrip()
        return not before or not before[-1].isalpha()
    if finding.rule in _CONTRACTION_LINTS:
        return _before_gerund(doc, finding.start)
    if finding.rule == "harper:PossessiveYour":
        return _next_word(doc, finding.start) in _NOT_AFTER_YOUR
    if finding.category == Category.UNPAIRED_QUOTE:
        # In hard-wrapped text (a Gutenberg book, an e-mail) paragraphs are guessed from
        # blank lines; quoted letters and verse run over many: an unpaired mark is uncertain.
        return doc.hard_wrapped
    if finding.category == Category.SPELLING:
        return (
            _emphasised(doc, finding.start, finding.end)
            or _older_past(known, finding)
            or _derived_from_known(known, finding.text)
        )
    if finding.category == Category.PAST_FORM:
        return _older_participle(finding)
    return False


def _next_word(doc: Document, start: int) -> str:
    following = doc.words[doc.next_word_index(start) + 1 :][:1]
    return following[0].lower if following else ""


def _derived_from_known(known: Lexicon, word: str) -> bool:
    """ "desponding", "wonderer", "eligibly", "sashed": a known word of four letters or more
    with a regular ending is a rare derivation, not a typo. A short stem ("runing"), one whose
    last consonant doubles before the ending ("begining": "beginning" is a word) or a word
    with a letter too many ("hopeing", "comming") is still a typo."""
    lower = word.lower()
    for ending in _DERIVATIONS:
        stem = lower[: -len(ending)]
        if not lower.endswith(ending) or len(stem) < 4:
            continue
        cut = len(stem) - 1  # "comming", "truely": a letter too many where the ending joins
        if known.is_common(lower[:cut] + lower[cut + 1 :]):
            continue
        if known.is_common(stem + stem[-1] + ending) or known.is_common(stem + ending[0] + ending):
            continue  # "begining", "finaly": a letter left out where the ending joins
        if ending == "ed" and stem in lexicon.irregular_bases():
            continue  # "keeped", "catched": an irregular verb's past
        if ending == "ly" and known.knows(stem + "le"):
            return True  # eligibly
        if ending == "cy" and known.is_common(stem + "ce"):
            return True  # "significancy", "convenancy": the older -ncy of an -nce noun
        if known.knows(stem) or (ending[0] in "ei" and known.knows(stem + "e")):
            return True
    return False


def _before_gerund(doc: Document, start: int) -> bool:
    """ "of their being engaged", "your coming so soon", "their going to Bath": a possessive
    before an -ing word is good English; "your going to love it" ("going to" and a verb) is
    the contraction's."""
    first = doc.next_word_index(start)
    words = doc.words[first + 1 : first + 4]
    if not words or not words[0].lower.endswith("ing") or len(words[0].lower) < 5:
        return False
    if len(words) < 3 or words[1].lower != "to" or words[0].lower != "going":
        return True
    place = words[2]
    return place.text[:1].isupper() or place.lower in _NOT_AFTER_POSSESSIVE | _DETERMINERS


def _emphasised(doc: Document, start: int, end: int) -> bool:
    """Whether the word is set in italics (an odd number of emphasis marks before it in its
    paragraph, or one touching it): how edited prose marks a foreign word."""
    text = doc.normalized
    if text[start - 1 : start] in tuple(_EMPHASIS) or text[end : end + 1] in tuple(_EMPHASIS):
        return True
    paragraph = max(text.rfind("\n\n", 0, start), 0)
    before = text[paragraph:start]
    return any(before.count(mark) % 2 == 1 for mark in _EMPHASIS)


def _older_past(known: Lexicon, finding: Finding) -> bool:
    """ "wrapt", "stampt", "mixt", "blest": a past in -t after p, x, s or k whose stem is a
    word is the older spelling of a regular past, not a typo."""
    word = finding.text.lower()
    return (
        len(word) >= 4 and word.endswith("t") and word[-2] in "pxsk" and known.is_common(word[:-1])
    )


def _older_participle(finding: Finding) -> bool:
    """ "have broke", "had spoke", "was forgot": the past used for a participle that is the
    same word plus -n or -en (broken, spoken, forgotten) is the older English participle of
    edited period prose; "have went", "had ran" are not."""
    if not finding.suggestions:
        return False
    used = finding.text.lower().split()[-1:]
    fixed = finding.suggestions[0].lower().split()[-1:]
    if not used or not fixed:
        return False
    used, fixed = used[0], fixed[0]
    return fixed in (used + "n", used + "en", used + used[-1:] + "en")


def _priority(finding: Finding) -> tuple:
    return (
        _RANK[finding.severity],
        finding.category != Category.SPELLING,  # a named mistake explains more than "spelling"
        # The statistical layers rank below the rules that name a mistake.
        finding.rule.startswith("fiction:")
        and finding.rule not in ("fiction:bigram-pair", "fiction:context"),
        -(finding.end - finding.start),
    )


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """Overlapping findings keep the most severe, then the most specific. Style notes are
    kept apart: they may span a whole sentence."""
    kept: list[Finding] = []
    styles = [f for f in findings if f.severity == Severity.STYLE]
    others = [f for f in findings if f.severity != Severity.STYLE]
    # The characters kept findings cover: a finding overlapping one of them goes. (A sorted
    # list with insertions was quadratic in the number of findings.)
    covered = bytearray(max((f.end for f in others), default=0) + 1)
    for finding in sorted(others, key=_priority, reverse=True):
        start, end = finding.start, max(finding.end, finding.start + 1)
        if covered.find(1, start, end) != -1:
            continue
        kept.append(finding)
        covered[start:end] = b"\x01" * (end - start)
    seen = set()
    unique_styles = []
    for finding in styles:
        key = (finding.start, finding.end, finding.rule)
        if key not in seen:
            seen.add(key)
            unique_styles.append(finding)
    return sorted(kept + unique_styles, key=lambda f: (f.start, f.end))
