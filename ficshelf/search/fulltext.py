"""Full-text search behind one interface, on SQLite FTS5 or PostgreSQL.

A reader's text never reaches the database as query syntax: `parse_query` turns it into words
and quoted phrases, and each backend matches every one of them (AND) as a literal phrase — on
FTS5 as a quoted string, on PostgreSQL through `phraseto_tsquery` with a parameter — so `"`,
`*`, `NEAR`, `OR`, `-`, `(`, `:` and unbalanced quotes are only words or nothing at all."""

import re

from django.db import connections
from django.db.models.expressions import RawSQL

QUERY_MAX = 500
# More words than this add nothing a reader could want, and each one costs a lookup.
TERMS_MAX = 32

_PHRASE = re.compile(r'"([^"]*)"')


def parse_query(text: str) -> list[str]:
    """The words and phrases to find, each once, in order: `fire "fire escapes"` gives
    ["fire", "fire escapes"]. A quote without its pair is dropped; so is anything without a
    letter or digit in it."""
    units = []
    rest = _PHRASE.sub(lambda match: _keep(units, match.group(1)) or " ", text)
    for word in rest.replace('"', " ").split():
        _keep(units, word)
    return list(dict.fromkeys(units))[:TERMS_MAX]


def _keep(units: list[str], unit: str) -> None:
    unit = " ".join(unit.split())
    if any(character.isalnum() for character in unit):
        units.append(unit)


def matching_works(units: list[str], using: str = "default") -> RawSQL:
    """The ids of works whose document holds every word and phrase, for `pk__in=`."""
    if connections[using].vendor == "postgresql":
        # The SQL is fixed text, one placeholder per unit: the reader's words are parameters.
        tsquery = " && ".join(["phraseto_tsquery('simple'::regconfig, %s)"] * len(units))
        sql = f"SELECT work_id FROM search_worksearchdocument WHERE document @@ ({tsquery})"  # noqa: S608
        return RawSQL(sql, units)  # noqa: S611
    # FTS5: a string in double quotes is a phrase of its tokens; a quote inside is doubled.
    match = " ".join('"' + unit.replace('"', '""') + '"' for unit in units)
    sql = "SELECT rowid FROM search_workfts WHERE search_workfts MATCH %s"
    return RawSQL(sql, [match])  # noqa: S611
