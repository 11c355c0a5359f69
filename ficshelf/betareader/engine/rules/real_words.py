"""Real words in the wrong place that a grammatical frame gives away, where a bigram model
cannot (its pairs are missing from the list, or the telling word is two words off):

- fixed phrases: a set expression but for one word that looks like the expression's own
  ("peace and quite", "in the neck of time", "head over heals"; `lexicon/fixed_phrases.txt`);
- a degree adverb before a bare verb before a noun, where the participle is meant ("a highly
  populate area", "a newly elect mayor");
- "was no <participle or adjective> <subject> ...", a result clause where "so" is meant
  ("She was no tired she could not stand");
- "<verb>ing (adverb) to <verb>", where a verb one letter away takes the infinitive ("tying
  hard to open it" for trying, "hopping to see you" for hoping);
- "know/wonder/ask ... it <noun phrase> <verb>", a clause opened by "if" ("She asked it the
  train was late").

Each rule tells a suggestion, never an error: a frame is strong evidence, not proof.
"""

import functools
from importlib import resources

from .. import lexicon
from ..document import Document, match_case
from ..findings import Category, Finding, Severity

RULE = "fiction:real-word"

_FUNCTION_WORDS = frozenset(
    "a an the of to in on at by for with from and or but nor as is are was were be been being "
    "am has have had do does did this that these those it its he him his she her they them "
    "their we us our i me my you your not no so than then there here who whom whose which what "
    "when where why how if all any some each every both either neither one into onto upon".split()
)


def find(doc: Document) -> list[Finding]:
    if not doc.words:
        return []
    return (
        fixed_phrases(doc)
        + adverb_participles(doc)
        + result_so(doc)
        + infinitive_verbs(doc)
        + clause_if(doc)
    )


def _finding(doc: Document, word, fix: str, message: str) -> Finding:
    return doc.finding(
        word.start,
        word.end,
        severity=Severity.SUGGESTION,
        category=Category.REAL_WORD_TYPO,
        rule=RULE,
        message=message,
        suggestions=(match_case(word.text, fix),),
    )


def _run(doc: Document, first: int, last: int) -> bool:
    """Whether words first..last follow one another in one clause."""
    return last < len(doc.words) and all(doc.joined(i, i + 1) for i in range(first, last))


def _plain(word) -> bool:
    """A lower-case word (not a name, not a sentence's capital)."""
    return word.text.islower() and "'" not in word.text


# --- Fixed phrases ---------------------------------------------------------------------------

# After a phrase whose last word was changed, the phrase must end its clause (a mark, or one
# of these words): "peace and quite." is the idiom; "peace and quite a lot" is not.
_CLAUSE_GOES_ON = frozenset(
    "and but or so because until when while as before after if though although then for with "
    "about over at in on by from to of".split()
)
# A word is taken for a phrase's word when a slip could have made it: up to two edits (one for
# a word of four letters), or, for a phrase's last word right before a punctuation mark, the
# same outline (first letter and length) and up to three edits ("dome", "dune" for "done"):
# weaker likeness asks for the phrase to close its clause. Shorter phrase words are never
# replaced.
_MIN_REPLACED = 4
CLOSE, OUTLINE = 2, 1


def _phrase_lines() -> list[str]:
    text = resources.files(lexicon).joinpath("fixed_phrases.txt").read_text(encoding="utf-8")
    stripped = (line.strip() for line in text.splitlines())
    return sorted({line for line in stripped if line and not line.startswith("#")})


@functools.cache
def _phrases() -> dict[str, tuple[tuple[frozenset[str], ...], ...]]:
    """Fixed phrases by their first word: each a tuple of the words allowed at each place."""
    table: dict[str, list] = {}
    for line in _phrase_lines():
        places = tuple(frozenset(part.split("|")) for part in line.lower().split())
        if len(places) < 3:
            continue
        for first in places[0]:
            table.setdefault(first, []).append(places)
    return {first: tuple(phrases) for first, phrases in table.items()}


def _edits(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count one)."""
    rows = [list(range(len(b) + 1))]
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


def likeness(written: str, meant: str) -> int:
    """CLOSE when `written` is a likely slip for `meant`, OUTLINE when it keeps only its
    outline, else 0."""
    if written == meant or len(meant) < _MIN_REPLACED or meant in _FUNCTION_WORDS:
        return 0
    distance = _edits(written, meant)
    if distance <= (1 if len(meant) <= 4 else 2):
        return CLOSE
    if written[0] == meant[0] and len(written) == len(meant) and distance <= 3:
        return OUTLINE
    return 0


def _marked_end_after(doc: Document, index: int) -> bool:
    """Whether a punctuation mark (or the text's end) follows word `index`."""
    words = doc.words
    if index + 1 >= len(words):
        return True
    gap = doc.normalized[words[index].end : words[index + 1].start]
    return any(mark in gap for mark in ".,;:!?")


def _clause_ends_after(doc: Document, index: int) -> bool:
    words = doc.words
    if index + 1 >= len(words):
        return True
    if not doc.joined(index, index + 1):
        return True
    return words[index + 1].lower in _CLAUSE_GOES_ON


def fixed_phrases(doc: Document) -> list[Finding]:
    findings = []
    words = doc.words
    table = _phrases()
    known = lexicon.word_counts()
    for index, word in enumerate(words):
        for places in table.get(word.lower, ()):
            last = index + len(places) - 1
            if last >= len(words):
                continue
            written = [w.lower for w in words[index : last + 1]]
            wrong = [k for k, place in enumerate(places) if written[k] not in place]
            if len(wrong) != 1 or wrong[0] == 0 or not _run(doc, index, last):
                continue
            place, slip = wrong[0], words[index + wrong[0]]
            if all(written[k] in _FUNCTION_WORDS for k in range(len(places)) if k != place):
                continue  # "for the scum of": words kept that tell nothing
            if not _plain(slip) or slip.lower not in known:
                continue  # a word the dictionary lacks is spelling's to flag
            final = place == len(places) - 1
            if final and not _clause_ends_after(doc, last):
                continue
            weakest = OUTLINE if final and _marked_end_after(doc, last) else CLOSE
            meant = sorted(m for m in places[place] if likeness(slip.lower, m) >= weakest)
            if not meant:
                continue
            phrase = " ".join(meant[0] if k == place else written[k] for k in range(len(places)))
            findings.append(
                _finding(doc, slip, meant[0], f"The set phrase is “{phrase}”: “{meant[0]}”?")
            )
    return findings


# --- A degree adverb before a bare verb: the participle ---------------------------------------

# Adverbs of degree and manner that stand before a participle used as an adjective ("a
# densely populated town"). "Well" is also a noun ("the well water"): it needs the pair
# "well <participle>" in the bigram list.
_PARTICIPLE_ADVERBS = frozenset(
    "highly heavily densely sparsely thinly thickly badly poorly richly finely nicely neatly "
    "carefully carelessly beautifully elegantly brightly dimly brilliantly hastily freshly "
    "newly recently widely closely tightly loosely securely lightly partly partially "
    "properly skilfully skillfully expertly cleverly superbly crudely roughly lavishly "
    "privately publicly secretly hotly fiercely bitterly deeply strictly commonly frequently "
    "rarely seldom often poorly sharply strongly weakly badly severely mildly lovingly "
    "painstakingly meticulously intricately ornately richly hurriedly specially specifically "
    "purposely deliberately well".split()
)
# What comes before the adverb in the frame: a determiner or a preposition.
_BEFORE_ADVERB = frozenset(
    "a an the this that these those his her their our my your its some any no every each "
    "in into on at from with of for by through".split()
)
# A participle must be this common to be offered.
_MIN_PARTICIPLE_COUNT = 200_000


@functools.cache
def _irregular_participles() -> dict[str, str]:
    return {verb.base: verb.participle[0] for verb in lexicon.irregular_verbs()}


@functools.lru_cache(maxsize=20_000)
def participle_of(base: str) -> str | None:
    """The commonest past participle of `base` as a verb, if it is a different word."""
    irregular = _irregular_participles().get(base)
    if irregular is not None:
        return None if irregular == base else irregular
    counts = lexicon.word_counts()
    forms = {base + "ed", base + "d" if base.endswith("e") else ""}
    if base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
        forms.add(base[:-1] + "ied")
    if len(base) >= 3 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou":
        forms.add(base + base[-1] + "ed")
    forms.discard("")
    best = max(forms, key=lambda form: counts.get(form, 0))
    return best if counts.get(best, 0) >= _MIN_PARTICIPLE_COUNT else None


@functools.lru_cache(maxsize=20_000)
def is_adjective(word: str) -> bool:
    """Whether `word` is used as an adjective: "very clean", "too warm", "emptiest"."""
    from .. import context

    pairs = context.model().pairs
    if any(f"{degree} {word}" in pairs for degree in ("very", "too", "so")):
        return True
    counts = lexicon.word_counts()
    superlatives = (word + "est", word + "st", word[:-1] + "iest", word + word[-1:] + "est")
    return any(counts.get(form, 0) >= 20_000 for form in superlatives)


def adverb_participles(doc: Document) -> list[Finding]:
    from .. import context

    findings = []
    words = doc.words
    pairs = context.model().pairs
    for index in range(1, len(words) - 2):
        adverb = words[index]
        if adverb.lower not in _PARTICIPLE_ADVERBS or words[index - 1].lower not in _BEFORE_ADVERB:
            continue
        verb, noun = words[index + 1], words[index + 2]
        if not _run(doc, index - 1, index + 2) or not _plain(verb) or not _plain(noun):
            continue
        if noun.lower in _FUNCTION_WORDS or noun.lower.endswith("ly"):
            continue
        participle = participle_of(verb.lower)
        if participle is None or is_adjective(verb.lower):
            continue
        if adverb.lower == "well" and f"well {participle}" not in pairs:
            continue
        findings.append(
            _finding(
                doc,
                verb,
                participle,
                f"After “{adverb.text}”, before a noun, the participle: “{participle}”?",
            )
        )
    return findings


# --- "was no tired she ...": so ----------------------------------------------------------------

_LINKING = frozenset(
    "is are was were am be been felt feel feels seemed seem seems looked look looks got get "
    "grew become became".split()
)
_SUBJECTS = frozenset("i you he she it we they there".split())


def _adjective_or_participle(word: str) -> bool:
    """ "tired", "angry", "coiled": an adjective (see `is_adjective`) or a regular past
    participle of a known verb."""
    if is_adjective(word):
        return True
    counts = lexicon.word_counts()
    if not word.endswith("ed") or len(word) < 5:
        return False
    stems = (word[:-2], word[:-1], word[:-3] + "y" if word.endswith("ied") else "")
    return any(stem and counts.get(stem, 0) >= _MIN_PARTICIPLE_COUNT for stem in stems)


def result_so(doc: Document) -> list[Finding]:
    from .. import context

    findings = []
    words = doc.words
    pairs = context.model().pairs
    for no, index in doc.words_by_lower.get("no", ()):
        if index == 0 or words[index - 1].lower not in _LINKING or not _plain(no):
            continue
        after = index + 2
        if after < len(words) and words[after].lower == "that":
            after += 1
        if not _run(doc, index - 1, after) or words[after].lower not in _SUBJECTS:
            continue
        quality = words[index + 1].lower
        if f"no {quality}" in pairs or not _adjective_or_participle(quality):
            continue  # "no fool", "no doubt", "no wonder": a noun, rightly after "no"
        findings.append(
            _finding(doc, no, "so", f"“{no.text} {quality}” then a clause: “so {quality}”?")
        )
    return findings


# --- "tying hard to open": trying ----------------------------------------------------------------

# Verbs that take a to-infinitive, in -ing: the word a slip of one letter is checked against.
_INFINITIVE_VERBS = frozenset(
    "trying wanting hoping planning waiting struggling managing failing refusing attempting "
    "learning pretending choosing deciding promising threatening offering preparing agreeing "
    "needing seeming longing yearning aiming striving expecting intending wishing daring "
    "hesitating tending claiming vowing begging".split()
)


@functools.cache
def _infinitive_slips() -> dict[str, tuple[str, ...]]:
    """Real -ing words one edit from an infinitive verb, to those verbs."""
    counts = lexicon.word_counts()
    table: dict[str, set[str]] = {}
    letters = "abcdefghijklmnopqrstuvwxyz"
    for verb in _INFINITIVE_VERBS:
        splits = [(verb[:i], verb[i:]) for i in range(len(verb) + 1)]
        edits = {a + b[1:] for a, b in splits if b}
        edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        edits |= {a + c + b[1:] for a, b in splits if b for c in letters}
        edits |= {a + c + b for a, b in splits for c in letters}
        for edit in edits:
            if edit.endswith("ing") and edit not in _INFINITIVE_VERBS and edit in counts:
                table.setdefault(edit, set()).add(verb)
    return {slip: tuple(sorted(verbs)) for slip, verbs in table.items()}


def _bare_verb(word: str) -> bool:
    """Whether `word` is a verb's base: its -ing form is a common word."""
    counts = lexicon.word_counts()
    forms = (
        word + "ing",
        word[:-1] + "ing" if word.endswith("e") else "",
        word + word[-1:] + "ing",
    )
    if word.endswith("ie"):
        forms += (word[:-2] + "ying",)
    return word not in _FUNCTION_WORDS and any(
        form and counts.get(form, 0) >= _MIN_PARTICIPLE_COUNT for form in forms
    )


# Adverbs (besides those in -ly) that stand between the verb and "to": "trying hard to".
_BETWEEN_VERB_AND_TO = frozenset("hard again still just".split())
# The meant verb is followed by "to" at least this often (P(to | verb), bigram list): "trying"
# 0.9, "hoping" 0.4.
_MIN_TO_SHARE = 0.05


def _to_share(word: str) -> float:
    from .. import context

    m = context.model()
    listed = m.pairs.get(f"{word} to")
    return 0.0 if listed is None else listed / context.BIGRAM_SCALE / max(m.count(word), 1)


def infinitive_verbs(doc: Document) -> list[Finding]:
    findings = []
    words = doc.words
    slips = _infinitive_slips()
    for index, word in enumerate(words[:-2]):
        verbs = slips.get(word.lower)
        if not verbs or not _plain(word):
            continue
        to = index + 1
        if words[to].lower in _BETWEEN_VERB_AND_TO or words[to].lower.endswith("ly"):
            to += 1
        if to + 1 >= len(words) or words[to].lower != "to" or not _run(doc, index, to + 1):
            continue
        if not _bare_verb(words[to + 1].lower) or not _plain(words[to + 1]):
            continue
        # The written word must not be one that "to" often follows itself ("writing to ask",
        # "waiting to see"): its pair with "to" is missing from the bigram list.
        if _to_share(word.lower) > 0:
            continue
        verbs = [verb for verb in verbs if _to_share(verb) >= _MIN_TO_SHARE]
        if len(verbs) != 1:
            continue  # none, or two that fit equally: no one fix to offer
        findings.append(_finding(doc, word, verbs[0], f"“{word.text}” before “to”: “{verbs[0]}”?"))
    return findings


# --- "asked it the train was late": if ----------------------------------------------------------

_KNOWING = frozenset(
    "know knew known knows knowing wonder wondered wonders wondering ask asked asks asking "
    "see saw seen check checked checking tell told doubt doubted decide decided "
    "sure unsure certain".split()
)
_NOUN_PHRASE_OPENERS = frozenset(
    "the a an this that these those his her their our my your some any every no something "
    "anything nothing everything someone anyone everyone somebody anybody nobody everybody".split()
)
_FINITE = frozenset(
    "was were is are had has have would could will can should might must did does do".split()
)
_PRONOUNS = frozenset("i you he she it we they him her them me us who".split())


def clause_if(doc: Document) -> list[Finding]:
    findings = []
    words = doc.words
    for it, index in doc.words_by_lower.get("it", ()):
        if index == 0 or words[index - 1].lower not in _KNOWING or not _plain(it):
            continue
        opener = index + 1
        if opener >= len(words) or words[opener].lower not in _NOUN_PHRASE_OPENERS:
            continue
        # The noun phrase: its opener and up to two words more, then the clause's verb.
        for verb in range(opener + 1, min(opener + 4, len(words))):
            if words[verb].lower in _FINITE:
                break
            if words[verb].lower in _PRONOUNS or words[verb].lower in _FUNCTION_WORDS:
                verb = None
                break
        else:
            verb = None
        if verb is None or not _run(doc, index - 1, verb):
            continue
        findings.append(
            _finding(doc, it, "if", "A clause after a verb of knowing opens with “if”: “if”?")
        )
    return findings
