"""The checker's word lists, each read once on first use and kept for the process.

The `.txt` files beside this module are ours (one entry a line, `#` comments); the word and
bigram frequencies are symspellpy's English dictionaries, shipped in its package.
"""

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import symspellpy

_HERE = Path(__file__).parent
_SYMSPELL = Path(symspellpy.__file__).parent
WORDS_FILE = _SYMSPELL / "frequency_dictionary_en_82_765.txt"
BIGRAMS_FILE = _SYMSPELL / "frequency_bigramdictionary_en_243_342.txt"


def _lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    stripped = (line.strip() for line in text.splitlines())
    return [line for line in stripped if line and not line.startswith("#")]


@functools.cache
def word_counts() -> dict[str, int]:
    """symspellpy's English words (lower case) and their corpus counts."""
    counts: dict[str, int] = {}
    with WORDS_FILE.open(encoding="utf-8") as lines:
        for line in lines:
            word, _, count = line.rstrip("\n").partition(" ")
            counts[word] = int(count)
    return counts


@functools.cache
def slang() -> frozenset[str]:
    return frozenset(_lines("slang.txt"))


@functools.cache
def british() -> frozenset[str]:
    """British spellings right in any English that the dictionaries lack ("gipsy", "leant")."""
    return frozenset(_lines("british.txt"))


@functools.cache
def period_spellings() -> dict[str, str]:
    """Old spellings of published novels ("chuse", "surprized") to today's."""
    return dict(line.split() for line in _lines("period_spellings.txt"))


@functools.cache
def speech_verbs() -> dict[str, bool]:
    """Speech-tag verbs to whether they are a tag only when the tag ends right after them."""
    return {line.split()[0]: line.endswith("*") for line in _lines("speech_verbs.txt")}


@functools.cache
def comparatives() -> frozenset[str]:
    return frozenset(_lines("comparatives.txt"))


@functools.cache
def filter_words() -> frozenset[str]:
    return frozenset(_lines("filter_words.txt"))


@functools.cache
def past_forms() -> dict[str, str]:
    """Nonstandard past forms ("brung") to the standard one ("brought")."""
    return dict(line.split() for line in _lines("past_forms.txt"))


@functools.cache
def compounds() -> dict[str, str]:
    """Words joined or split the wrong way ("alot", "some thing") to the right form."""
    pairs = (line.split("=>") for line in _lines("compounds.txt"))
    return {wrong.strip(): right.strip() for wrong, right in pairs}


@dataclass(frozen=True)
class IrregularVerb:
    base: str
    past: tuple[str, ...]
    participle: tuple[str, ...]


@functools.cache
def irregular_verbs() -> tuple[IrregularVerb, ...]:
    verbs = []
    for line in _lines("irregular_verbs.txt"):
        base, past, participle = line.split()
        verbs.append(IrregularVerb(base, tuple(past.split("/")), tuple(participle.split("/"))))
    return tuple(verbs)


@functools.cache
def past_only() -> dict[str, str]:
    """Simple pasts that are not also participles ("went") to the participle ("gone")."""
    table = {}
    for verb in irregular_verbs():
        for past in verb.past:
            if past not in verb.participle and verb.base not in ("be", "lie"):
                table[past] = verb.participle[0]
    return table


@functools.cache
def participle_only() -> dict[str, str]:
    """Participles that are not also simple pasts ("seen") to the simple past ("saw")."""
    table = {}
    for verb in irregular_verbs():
        for participle in verb.participle:
            if participle not in verb.past and participle != verb.base and verb.base != "be":
                table[participle] = verb.past[0]
    return table


@functools.cache
def irregular_bases() -> frozenset[str]:
    """The irregular verbs' bases ("go", "know", "lay")."""
    return frozenset(verb.base for verb in irregular_verbs())


@functools.cache
def verb_pasts() -> frozenset[str]:
    """Every irregular verb's simple pasts and participles ("went", "gone", "known")."""
    return frozenset(form for verb in irregular_verbs() for form in verb.past + verb.participle)


@functools.cache
def all_past_forms() -> frozenset[str]:
    return frozenset(form for verb in irregular_verbs() for form in verb.past)


@dataclass(frozen=True)
class Confusion:
    word: str
    other: str
    category: str


@functools.cache
def confusions() -> dict[str, tuple[Confusion, ...]]:
    """Each word of a confusion pair to the words it may stand for."""
    table: dict[str, list[Confusion]] = {}
    for line in _lines("confusion_pairs.txt"):
        first, second, category = line.split()
        table.setdefault(first, []).append(Confusion(first, second, category))
        table.setdefault(second, []).append(Confusion(second, first, category))
    return {word: tuple(items) for word, items in table.items()}


@functools.cache
def bigram_counts() -> dict[tuple[str, str], int]:
    """symspellpy's bigram counts, kept only for pairs with a word of `confusions()`."""
    wanted = confusions().keys()
    counts: dict[tuple[str, str], int] = {}
    with BIGRAMS_FILE.open(encoding="utf-8") as lines:
        for line in lines:
            first, second, count = line.split()
            if first in wanted or second in wanted:
                counts[(first, second)] = int(count)
    return counts


# The smallest count in the bigram dictionary: pairs rarer than this are not listed.
BIGRAM_FLOOR = 6_400_000


@functools.cache
def mass_nouns() -> frozenset[str]:
    return frozenset(_lines("mass_nouns.txt"))


# Plurals that do not add -s, singular to plural.
IRREGULAR_PLURALS = {
    "child": "children",
    "person": "people",
    "man": "men",
    "woman": "women",
    "foot": "feet",
    "tooth": "teeth",
    "mouse": "mice",
    "goose": "geese",
    "life": "lives",
    "wife": "wives",
    "knife": "knives",
    "leaf": "leaves",
    "half": "halves",
    "shelf": "shelves",
    "wolf": "wolves",
    "thief": "thieves",
    "criterion": "criteria",
    "phenomenon": "phenomena",
    "analysis": "analyses",
    "crisis": "crises",
    "thesis": "theses",
    "hypothesis": "hypotheses",
    "basis": "bases",
}
