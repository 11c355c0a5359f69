"""Likely synonyms for a wrangler to accept (beyond AO3, which leaves finding them to people).

Three rules, each between tags of one kind:
- variants: names that differ only in case, spacing, accents or punctuation
  ("Hurt/Comfort", "hurt comfort", "Hurt-Comfort");
- relationships naming the same people in another order, "Olivia/Alex" for "Alex/Olivia"
  (and "Olivia & Alex" for "Alex & Olivia": romantic and platonic stay apart);
- a first name against a full name among the characters of one fandom ("Olivia" for
  "Olivia Benson"), which is why the caller passes the tags of one fandom at a time.

A suggestion points from a tag that is not yet a synonym to the tag it would merge into: the
canonical one if there is one, else the more used, else the older.
"""

import re
import unicodedata
from dataclasses import dataclass

from .models import FIXED_KINDS, Tag, TagKind

_NOT_WORD = re.compile(r"[\W_]+")
_PEOPLE = re.compile(r"\s*(/|&)\s*")


@dataclass(frozen=True)
class Suggestion:
    tag: Tag
    into: Tag
    reason: str


def variant_key(name: str) -> str:
    """`name` without case, accents, punctuation or spacing differences."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.sub(" ", bare).split())


def _people(name: str) -> tuple[str, tuple[str, ...]] | None:
    """A relationship's separator and its people's variant keys, in order."""
    parts = _PEOPLE.split(name)
    names, separators = parts[::2], set(parts[1::2])
    if len(names) < 2 or len(separators) != 1:
        return None
    return separators.pop(), tuple(variant_key(person) for person in names)


def _preferred(a: Tag, b: Tag, uses: dict[int, int]) -> tuple[Tag, Tag]:
    """(the tag to merge, the tag to merge it into)."""

    def rank(tag: Tag):
        return (tag.canonical, uses.get(tag.pk, 0), -tag.pk)

    return (b, a) if rank(a) >= rank(b) else (a, b)


def suggest_synonyms(tags, uses: dict[int, int] | None = None) -> list[Suggestion]:
    """Suggestions among `tags` (one fandom's, say), each pair once, most used tags first.
    `uses` maps tag ids to how many works use them, when the caller knows."""
    uses = uses or {}
    tags = [tag for tag in tags if tag.kind not in FIXED_KINDS and not tag.merger_id]
    found: dict[tuple[int, int], Suggestion] = {}

    def suggest(a: Tag, b: Tag, reason: str) -> None:
        if a.pk == b.pk or (a.canonical and b.canonical):
            return
        tag, into = _preferred(a, b, uses)
        found.setdefault((min(a.pk, b.pk), max(a.pk, b.pk)), Suggestion(tag, into, reason))

    def pair_up(groups: dict, reason: str) -> None:
        for group in groups.values():
            for other in group[1:]:
                suggest(group[0], other, reason)

    variants: dict[tuple, list[Tag]] = {}
    reordered: dict[tuple, list[Tag]] = {}
    for tag in tags:
        people = _people(tag.name) if tag.kind == TagKind.RELATIONSHIP else None
        if people:
            # "/" and "&" are not mere punctuation: romantic and platonic stay apart.
            separator, names = people
            variants.setdefault((tag.kind, separator, names), []).append(tag)
            reordered.setdefault((separator, tuple(sorted(names))), []).append(tag)
        else:
            variants.setdefault((tag.kind, variant_key(tag.name)), []).append(tag)
    pair_up(variants, "the same name written differently")
    pair_up(reordered, "the same people in another order")

    characters = [tag for tag in tags if tag.kind == TagKind.CHARACTER]
    full_names: dict[str, list[Tag]] = {}
    for tag in characters:
        words = variant_key(tag.name).split()
        if len(words) > 1:
            full_names.setdefault(words[0], []).append(tag)
    for tag in characters:
        words = variant_key(tag.name).split()
        if len(words) == 1:
            for full in full_names.get(words[0], []):
                # Merge the first name into the full name, whichever is more used.
                if not tag.canonical:
                    found.setdefault(
                        (min(tag.pk, full.pk), max(tag.pk, full.pk)),
                        Suggestion(tag, full, "a first name and a full name in one fandom"),
                    )

    return sorted(
        found.values(),
        key=lambda s: (-uses.get(s.tag.pk, 0) - uses.get(s.into.pk, 0), s.tag.name, s.into.name),
    )
