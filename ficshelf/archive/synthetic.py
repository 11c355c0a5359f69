"""A synthetic archive with AO3's shapes, written in bulk (`manage.py generate_archive`).

What it writes is what the services would have written for the same works (the test compares
them): works posted with chapters of sanitized, paragraph-numbered HTML; tags made canonical,
synonyms and parents as wranglers leave them; each work's filter tags (its tags, their
canonicals and every parent: works.filtertags); and each posted work's search document
(search.indexing), indexed by the database's own full-text index. The shapes follow AO3:

- ratings 28 % General, 30 % Teen, 15 % Mature, 16 % Explicit, 11 % Not Rated;
- about 20 tags per work; fandom, character and additional-tag popularity power-law, the
  largest fandom on about 5 % of works; one broad tag ("Fluff") on about 16 %;
- word counts long-tailed (log-normal, median about 2,500); 84 % complete; 90 % English.

Chapter text is short: a few paragraphs drawn from a pool of sentences, so full-text search has
real chapters to find (a phrase such as "fire escapes" is in about 2 % of works), while the
word count shown is the drawn one (writing 3,000 words per work would make a 1M-work archive
tens of gigabytes; listings and filters read the column, never the text).

Speed: rows are built as tuples and written with `executemany` (SQLite) or `COPY`
(PostgreSQL), in batches with one transaction each; the big tables' secondary indexes are
dropped first and built once at the end, which is much faster than keeping them up to date
row by row.
"""

import bisect
import itertools
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.core.management.color import no_style
from django.db import connection, transaction

from ficshelf.accounts.models import Pseud, User
from ficshelf.search.models import WorkSearchDocument
from ficshelf.tags.models import ARCHIVE_WARNINGS, CATEGORIES, Tag, TagKind, TagParent, tag_key
from ficshelf.tags.services import find_or_create_tag
from ficshelf.userstuff import TextFormat
from ficshelf.userstuff.sanitizer import SANITIZER_VERSION
from ficshelf.works import versions
from ficshelf.works.models import Chapter, Creatorship, FilterTagging, Tagging, Work

RATINGS = [("general", 28), ("teen", 30), ("mature", 15), ("explicit", 16), ("not_rated", 11)]
OTHER_LANGUAGES = ["es", "fr", "de", "ru", "zh-hans", "ja", "pt-br", "it", "pl", "ko"]
BROAD_TAG = "Fluff"
BROAD_SHARE = 0.16
LARGEST_FANDOM_SHARE = 0.05
COMPLETE_SHARE = 0.84
ENGLISH_SHARE = 0.90
RESTRICTED_SHARE = 0.03
DRAFT_SHARE = 0.005
PHRASE = "fire escapes"
BATCH = 5_000
# The big tables whose secondary indexes are built after the load.
BULK_TABLES = [
    "works_work",
    "works_chapter",
    "works_creatorship",
    "works_tagging",
    "works_filtertagging",
    "search_worksearchdocument",
]
_FREEFORM_HEADS = [
    "Angst", "Hurt/Comfort", "Alternate Universe", "Romance", "Humor", "Friendship",
    "Established Relationship", "Slow Burn", "Friends to Lovers", "Fluff and Angst", "Smut",
    "Canon Compliant", "Post-Canon", "Found Family", "Happy Ending", "Enemies to Lovers",
    "Character Study", "Pining", "Domestic Fluff", "Whump",
]  # fmt: skip
_WORDS = (
    "the a and of to in was she he they it that with for on at by from her his their rain "
    "light door window street city night morning letter river bridge train station coffee "
    "kitchen garden winter summer autumn spring sea ship storm fire smoke ash glass stone "
    "silver gold blue green red quiet loud slow quick old new small bright dark warm cold "
    "soft hard long short first last always never again almost only still even back home "
    "said asked whispered laughed waited walked turned looked smiled opened closed held "
    "ran fell stood knew thought remembered forgot wanted needed found lost kept left "
    "hands eyes voice heart breath shoulder name moment year hour minute song story book "
    "map key ring coat boots table chair bed roof stairs hallway corner market harbour"
).split()
_SYLLABLES = (
    "ka lo mi ra ten vor el an is ur bel dra fin gal hol jor kel lin mar nor pel quin ros "
    "sal tor val wen yor zan bri cal dor eth fel gor hal ith jen kor lor mor nel ori par"
).split()


@dataclass
class Shapes:
    """How many of each thing an archive of `works` works has."""

    works: int
    fandoms: int = 0
    characters_per_fandom: int = 8
    relationships_per_fandom: int = 6
    freeforms: int = 0
    writers: int = 0

    def __post_init__(self):
        self.fandoms = self.fandoms or max(20, self.works // 100)
        self.freeforms = self.freeforms or max(100, self.works // 10)
        self.writers = self.writers or max(10, self.works // 8)


@dataclass
class Report:
    works: int = 0
    chapters: int = 0
    taggings: int = 0
    filter_taggings: int = 0
    tags: int = 0
    seconds: dict = field(default_factory=dict)


def _zipf_cumulative(count: int, *, top_share: float, exponent: float = 1.0) -> list[float]:
    """Cumulative weights of `count` items with weight 1/(rank+q)^s, q chosen so that the
    first item has `top_share` of the total (as close as `count` allows)."""

    def weights(q):
        return [1.0 / (rank + q) ** exponent for rank in range(1, count + 1)]

    low, high = 0.0, float(count) * 10
    for _ in range(60):
        q = (low + high) / 2
        w = weights(q)
        if w[0] / sum(w) > top_share:
            low = q
        else:
            high = q
    return list(itertools.accumulate(weights((low + high) / 2)))


def _picker(rng: random.Random, cumulative: list[float]) -> Callable[[], int]:
    total = cumulative[-1]
    random_ = rng.random
    return lambda: bisect.bisect_right(cumulative, random_() * total)


def _distinct(pick: Callable[[], int], count: int, limit: int) -> list[int]:
    chosen: list[int] = []
    for _ in range(count * 4):
        if len(chosen) >= min(count, limit):
            break
        value = pick()
        if value not in chosen:
            chosen.append(value)
    return chosen


class _Names:
    """Names unique across kinds (Tag.name_key is unique), made from syllables."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.keys = set(Tag.objects.values_list("name_key", flat=True))

    def word(self, parts: int = 2) -> str:
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()

    def unique(self, name: str) -> str:
        candidate, number = name, 1
        while tag_key(candidate) in self.keys:
            number += 1
            candidate = f"{name} {number}"
        self.keys.add(tag_key(candidate))
        return candidate


@dataclass
class _Tags:
    """The generated tag graph: ids, names, and what each tag's works are found under."""

    names: dict[int, str] = field(default_factory=dict)
    closure: dict[int, tuple[int, ...]] = field(default_factory=dict)
    fandoms: list[int] = field(default_factory=list)
    characters: list[list[int]] = field(default_factory=list)  # per fandom
    relationships: list[list[int]] = field(default_factory=list)  # per fandom, with synonyms
    freeforms: list[int] = field(default_factory=list)
    freeform_synonyms: dict[int, int] = field(default_factory=dict)  # canonical -> synonym
    warnings: list[int] = field(default_factory=list)
    categories: list[int] = field(default_factory=list)
    broad: int = 0


def _make_tags(shapes: Shapes, rng: random.Random) -> _Tags:
    names = _Names(rng)
    pending: list[Tag] = []  # in creation order; ids come back from bulk_create
    parents: list[tuple[int, int]] = []  # (child index, parent index) into `pending`
    mergers: dict[int, int] = {}  # synonym index -> canonical index

    def add(kind, name, canonical=True) -> int:
        pending.append(Tag(kind=kind, name=name, name_key=tag_key(name), canonical=canonical))
        return len(pending) - 1

    fandoms, characters, relationships, synonyms_of = [], [], [], {}
    meta_fandoms = [
        add(TagKind.FANDOM, names.unique(f"{names.word(3)} - All Media Types"))
        for _ in range(max(1, shapes.fandoms // 50))
    ]
    for number in range(shapes.fandoms):
        fandom = add(TagKind.FANDOM, names.unique(f"{names.word(2)} {names.word(3)}"))
        fandoms.append(fandom)
        if number % 10 == 0:  # a tenth of fandoms sit under an "All Media Types" parent
            parents.append((fandom, meta_fandoms[number % len(meta_fandoms)]))
        cast = []
        for _ in range(shapes.characters_per_fandom):
            character = add(TagKind.CHARACTER, names.unique(f"{names.word(2)} {names.word(2)}"))
            parents.append((character, fandom))
            cast.append(character)
        characters.append(cast)
        pairings = []
        for index in range(shapes.relationships_per_fandom):
            a, b = rng.sample(range(len(cast)), 2)
            sign = " & " if index % 3 == 2 else "/"
            first, second = pending[cast[a]].name, pending[cast[b]].name
            relationship = add(TagKind.RELATIONSHIP, names.unique(f"{first}{sign}{second}"))
            parents.append((relationship, fandom))
            pairings.append(relationship)
            if index == 0:  # the fandom's main pairing is also typed the other way round
                synonym = add(
                    TagKind.RELATIONSHIP, names.unique(f"{second}{sign}{first}"), canonical=False
                )
                mergers[synonym] = relationship
                synonyms_of[relationship] = synonym
        relationships.append(pairings)
    freeforms = []
    alternate = None
    for number in range(shapes.freeforms):
        if number == 0:
            name = BROAD_TAG
        elif number <= len(_FREEFORM_HEADS):
            name = _FREEFORM_HEADS[number - 1]
        else:
            name = f"{names.word(2)} {rng.choice(_WORDS).capitalize()} {names.word(2)}"
        # AO3 leaves most rare additional tags unwrangled: neither canonical nor a synonym.
        freeform = add(
            TagKind.FREEFORM, names.unique(name), canonical=number < shapes.freeforms // 5
        )
        freeforms.append(freeform)
        if name == "Alternate Universe":
            alternate = freeform
        elif alternate is not None and number % 97 == 0 and pending[freeform].canonical:
            parents.append((freeform, alternate))  # "AU" subtags under the meta tag
    freeform_synonyms = {}
    for canonical in freeforms[1 : 1 + max(1, shapes.freeforms // 50)]:
        synonym = add(
            TagKind.FREEFORM,
            names.unique(pending[canonical].name.replace(" ", "-") + "!"),
            canonical=False,
        )
        mergers[synonym] = canonical
        freeform_synonyms[canonical] = synonym

    created = Tag.objects.bulk_create(pending, batch_size=2_000)
    ids = [tag.pk for tag in created]
    if any(tag_id is None for tag_id in ids):  # an old SQLite without RETURNING
        by_key = dict(Tag.objects.values_list("name_key", "pk"))
        ids = [by_key[tag.name_key] for tag in pending]
    for synonym, canonical in mergers.items():
        Tag.objects.filter(pk=ids[synonym]).update(merger_id=ids[canonical])
    TagParent.objects.bulk_create(
        [TagParent(child_id=ids[child], parent_id=ids[parent]) for child, parent in parents],
        batch_size=2_000,
    )

    tags = _Tags()
    for index, tag in enumerate(pending):
        tags.names[ids[index]] = tag.name
    up: dict[int, set[int]] = {ids[i]: set() for i in range(len(pending))}
    for child, parent in parents:
        up[ids[child]].add(ids[parent])
    for synonym, canonical in mergers.items():
        up[ids[synonym]].add(ids[canonical])
    for kind, names_ in ((TagKind.WARNING, ARCHIVE_WARNINGS), (TagKind.CATEGORY, CATEGORIES)):
        target = tags.warnings if kind == TagKind.WARNING else tags.categories
        for name in names_:
            tag = find_or_create_tag(kind=kind, name=name)
            tags.names[tag.pk] = tag.name
            up[tag.pk] = set()
            target.append(tag.pk)
    for tag_id in up:
        seen, stack = {tag_id}, [tag_id]
        while stack:
            for above in up[stack.pop()]:
                if above not in seen:
                    seen.add(above)
                    stack.append(above)
        tags.closure[tag_id] = tuple(seen)
    tags.fandoms = [ids[i] for i in fandoms]
    tags.characters = [[ids[i] for i in cast] for cast in characters]
    tags.relationships = [
        [ids[i] for i in pairings] + [ids[synonyms_of[pairings[0]]]] for pairings in relationships
    ]
    tags.freeforms = [ids[i] for i in freeforms]
    tags.freeform_synonyms = {ids[c]: ids[s] for c, s in freeform_synonyms.items()}
    tags.broad = tags.freeforms[0]
    return tags


def _make_writers(shapes: Shapes, prefix: str) -> list[str]:
    """Accounts with their default pseud (as sign_up makes them); returns pseud names by id."""
    users = User.objects.bulk_create(
        [
            User(
                username=f"{prefix}{number}",
                email=f"{prefix}{number}@example.invalid",
                password="!",  # noqa: S106 (unusable: these accounts cannot log in)
            )
            for number in range(shapes.writers)
        ],
        batch_size=2_000,
    )
    if any(user.pk is None for user in users):
        users = list(User.objects.filter(username__startswith=prefix).order_by("pk"))
    pseuds = Pseud.objects.bulk_create(
        [Pseud(user_id=user.pk, name=user.username, is_default=True) for user in users],
        batch_size=2_000,
    )
    if any(pseud.pk is None for pseud in pseuds):
        pseuds = list(Pseud.objects.filter(user__in=[u.pk for u in users]).order_by("pk"))
    return [(pseud.pk, pseud.name) for pseud in pseuds]


def _sentences(rng: random.Random, count: int = 4_000) -> list[str]:
    pool = []
    for number in range(count):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 16))]
        if number % 500 == 0:  # one sentence in 500 has the phrase
            words.insert(rng.randint(0, len(words)), PHRASE)
        sentence = " ".join(words)
        pool.append(sentence[0].upper() + sentence[1:] + rng.choice([".", ".", ",", "!"]))
    return pool


class _Writer:
    """Rows into tables: `executemany` on SQLite, `COPY` on PostgreSQL."""

    def __init__(self):
        self.postgresql = connection.vendor == "postgresql"

    def columns(self, model, values: list[str]) -> tuple[list[str], tuple]:
        """The model's columns, `values` first, and the defaults of the others."""
        rest = [f for f in model._meta.concrete_fields if f.attname not in values]
        names = [model._meta.get_field(v).column for v in values] + [f.column for f in rest]
        defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        return names, defaults

    def write(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            if self.postgresql:
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(columns))
                cursor.connection.executemany(
                    f"INSERT INTO {table} ({quoted}) VALUES ({marks})",  # noqa: S608
                    rows,
                )


def _secondary_indexes(tables: list[str]) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes on `tables` that no constraint owns."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                """SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.tablename = ANY(%s) AND NOT EXISTS (
                    SELECT 1 FROM pg_constraint c WHERE c.conindid = (
                        quote_ident(i.schemaname) || '.' || quote_ident(i.indexname)
                    )::regclass)""",
                [tables],
            )
        else:
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'index' "  # noqa: S608
                f"AND sql IS NOT NULL AND tbl_name IN ({marks})",
                tables,
            )
        return list(cursor.fetchall())


def _date(rng: random.Random, start: datetime, span: float) -> datetime:
    # More works in later years, as the archive grows.
    return start + timedelta(seconds=span * math.sqrt(rng.random()))


def generate(*, works: int, seed: int = 1, log: Callable[[str], None] = lambda _: None) -> Report:
    """Write `works` synthetic works (with writers, tags, chapters, filter tags and search
    documents) into the archive; returns what was written and how long each step took."""
    rng = random.Random(seed)
    shapes = Shapes(works)
    report = Report()
    started = time.monotonic()
    prefix = f"gen{seed}x"
    if User.objects.filter(username=f"{prefix}0").exists():
        raise ValueError(f"An archive from seed {seed} is already here: choose another --seed.")
    with transaction.atomic():
        tags = _make_tags(shapes, rng)
        writers = _make_writers(shapes, prefix)
    report.tags = len(tags.names)
    report.seconds["tags and writers"] = round(time.monotonic() - started, 1)
    log(f"{report.tags} tags and {len(writers)} writers in {report.seconds['tags and writers']} s")

    indexes = _secondary_indexes(BULK_TABLES)
    with connection.cursor() as cursor:
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        if connection.vendor == "postgresql":
            # Foreign keys are checked by triggers, one per row: the rows here are consistent
            # by construction (ids handed out below), and checking 40M rows one by one would
            # take longer than writing them.
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute("PRAGMA cache_size = -1000000")
    try:
        _write_works(works, rng, tags, writers, report, log)
    finally:
        loaded = time.monotonic()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")
                cursor.execute("SET maintenance_work_mem = '512MB'")
            for name, statement in indexes:
                log(f"index {name}")
                cursor.execute(statement)
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA foreign_keys = ON")
                cursor.execute("PRAGMA analysis_limit = 2000")  # ANALYZE samples, never scans all
            # On PostgreSQL, VACUUM also sets the visibility map, without which an index-only
            # scan (a tag's works on (tag, work), facet counts on (work, tag)) still reads
            # every row from the table; autovacuum would get there only later. (Not inside a
            # transaction, where VACUUM cannot run: a test's.)
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
            for statement in connection.ops.sequence_reset_sql(
                no_style(), [Work, Chapter, Creatorship, Tagging, FilterTagging]
            ):
                cursor.execute(statement)
        report.seconds["indexes"] = round(time.monotonic() - loaded, 1)
    versions.bump_listings()
    report.seconds["total"] = round(time.monotonic() - started, 1)
    return report


def _next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _write_works(count, rng, tags: _Tags, writers, report: Report, log) -> None:
    out = _Writer()
    work_cols, work_rest = out.columns(
        Work,
        ["id", "title", "summary", "rating", "language", "expected_chapters", "is_complete",
         "completed_at", "restricted", "posted", "published_at", "revised_at", "word_count",
         "created_at", "updated_at", "summary_sanitizer_version", "notes_sanitizer_version",
         "end_notes_sanitizer_version"],
    )  # fmt: skip
    chapter_cols, chapter_rest = out.columns(
        Chapter,
        ["id", "work_id", "position", "text", "text_format", "next_paragraph_id", "word_count",
         "posted", "published_at", "created_at", "updated_at", "summary_sanitizer_version",
         "notes_sanitizer_version", "end_notes_sanitizer_version", "text_sanitizer_version"],
    )  # fmt: skip
    creator_cols, creator_rest = out.columns(Creatorship, ["id", "work_id", "pseud_id", "position"])
    tagging_cols, tagging_rest = out.columns(Tagging, ["id", "work_id", "tag_id", "position"])
    filter_cols, _ = out.columns(FilterTagging, ["id", "work_id", "tag_id"])
    document_cols, _ = out.columns(
        WorkSearchDocument, ["work_id", "title", "body", "tags", "creators", "chapters"]
    )
    postgresql = out.postgresql

    def stamp(moment: datetime):
        # SQLite keeps naive UTC text, as Django writes it; COPY takes the aware value.
        return moment if postgresql else str(moment.replace(tzinfo=None))

    v = SANITIZER_VERSION
    ratings, weights = zip(*RATINGS, strict=True)
    rating_cumulative = list(itertools.accumulate(weights))
    pick_fandom = _picker(rng, _zipf_cumulative(len(tags.fandoms), top_share=0.045))
    pick_freeform = _picker(rng, _zipf_cumulative(len(tags.freeforms) - 1, top_share=0.012))
    cast_cumulative = _zipf_cumulative(len(tags.characters[0]), top_share=0.3)
    pick_cast = _picker(rng, cast_cumulative)
    pairing_cumulative = _zipf_cumulative(len(tags.relationships[0]) - 1, top_share=0.4)
    pick_pairing = _picker(rng, pairing_cumulative)
    sentences = _sentences(rng)
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=365 * 14)
    span = (now - start).total_seconds()
    ids = {model: _next_id(model) for model in (Work, Chapter, Creatorship, Tagging, FilterTagging)}
    random_, randint = rng.random, rng.randint

    for batch_start in range(0, count, BATCH):
        rows = {name: [] for name in ("work", "chapter", "creator", "tagging", "filter", "doc")}
        for _ in range(min(BATCH, count - batch_start)):
            work_id = ids[Work]
            ids[Work] += 1
            posted = random_() >= DRAFT_SHARE
            # Tags, in the order a creator types them on AO3's form.
            fandom_numbers = _distinct(pick_fandom, 2 if random_() < 0.1 else 1, len(tags.fandoms))
            own = [tags.warnings[3 if random_() < 0.55 else randint(0, 5)]]
            if random_() < 0.15:
                own.append(tags.warnings[randint(0, 5)])
            own += rng.sample(tags.categories, 2 if random_() < 0.2 else 1)
            own += [tags.fandoms[f] for f in fandom_numbers]
            for number in fandom_numbers:
                pairings = tags.relationships[number]
                for p in _distinct(pick_pairing, randint(0, 3), len(pairings) - 1):
                    # One work in five types the main pairing the other way round (a synonym).
                    own.append(pairings[-1] if p == 0 and random_() < 0.2 else pairings[p])
                cast = tags.characters[number]
                own += [cast[c] for c in _distinct(pick_cast, randint(2, 6), len(cast))]
            if random_() < BROAD_SHARE:
                own.append(tags.broad)
            for f in _distinct(pick_freeform, randint(5, 15), len(tags.freeforms) - 1):
                freeform = tags.freeforms[f + 1]
                synonym = tags.freeform_synonyms.get(freeform)
                own.append(synonym if synonym and random_() < 0.25 else freeform)
            own = list(dict.fromkeys(own))
            for position, tag_id in enumerate(own):
                rows["tagging"].append((ids[Tagging], work_id, tag_id, position, *tagging_rest))
                ids[Tagging] += 1
            wanted = set()
            for tag_id in own:
                wanted.update(tags.closure[tag_id])
            for tag_id in sorted(wanted):
                rows["filter"].append((ids[FilterTagging], work_id, tag_id))
                ids[FilterTagging] += 1

            # Creators: one, or two for one work in twenty.
            credited = [writers[int(len(writers) * random_() ** 2)]]
            if random_() < 0.05:
                other = writers[randint(0, len(writers) - 1)]
                if other != credited[0]:
                    credited.append(other)
            for position, (pseud_id, _) in enumerate(credited):
                rows["creator"].append(
                    (ids[Creatorship], work_id, pseud_id, position, *creator_rest)
                )
                ids[Creatorship] += 1

            # Chapters and dates.
            words = max(100, min(2_000_000, int(rng.lognormvariate(math.log(2_500), 1.3))))
            chapters = 1 if random_() < 0.6 else min(200, 2 + int(rng.expovariate(1 / 4)))
            complete = random_() < COMPLETE_SHARE
            published = _date(rng, start, span)
            revised = published
            chapter_texts = []
            for position in range(1, chapters + 1):
                paragraphs = [
                    sentences[int(random_() * len(sentences))] for _ in range(randint(2, 5))
                ]
                text = "".join(
                    f'<p data-p="{number}">{paragraph}</p>'
                    for number, paragraph in enumerate(paragraphs, start=1)
                )
                chapter_texts.append("".join(f"\n{paragraph}\n" for paragraph in paragraphs))
                if position > 1:
                    revised = min(now, revised + timedelta(days=rng.expovariate(1 / 20)))
                chapter_words = words // chapters + (words % chapters if position == 1 else 0)
                moment = stamp(revised)
                rows["chapter"].append(
                    (ids[Chapter], work_id, position, text, TextFormat.HTML, len(paragraphs) + 1,
                     chapter_words, posted, moment if posted else None, moment, moment, v, v, v, v,
                     *chapter_rest)
                )  # fmt: skip
                ids[Chapter] += 1
            if not posted:
                revised_at = None
            else:
                revised_at = revised = revised + timedelta(microseconds=randint(0, 999_999))
            summary_text = sentences[int(random_() * len(sentences))]
            title = " ".join(rng.choice(_WORDS) for _ in range(randint(1, 4))).title()
            rows["work"].append(
                (work_id, title, f"<p>{summary_text}</p>", ratings[bisect.bisect_right(
                    rating_cumulative, random_() * rating_cumulative[-1])],
                 "en" if random_() < ENGLISH_SHARE else rng.choice(OTHER_LANGUAGES),
                 chapters if complete else (None if random_() < 0.5 else chapters + randint(1, 10)),
                 complete, stamp(revised) if complete and posted else None,
                 random_() < RESTRICTED_SHARE, posted, stamp(published) if posted else None,
                 stamp(revised_at) if revised_at else None, words, stamp(published),
                 stamp(revised), v, v, v, *work_rest)
            )  # fmt: skip
            if posted:
                rows["doc"].append(
                    (work_id, title, f"\n{summary_text}\n", "\n".join(tags.names[t] for t in own),
                     "\n".join(name for _, name in credited), "\n".join(chapter_texts))
                )  # fmt: skip
        with transaction.atomic():
            out.write("works_work", work_cols, rows["work"])
            out.write("works_chapter", chapter_cols, rows["chapter"])
            out.write("works_creatorship", creator_cols, rows["creator"])
            out.write("works_tagging", tagging_cols, rows["tagging"])
            out.write("works_filtertagging", filter_cols, rows["filter"])
            out.write(WorkSearchDocument._meta.db_table, document_cols, rows["doc"])
        report.works += len(rows["work"])
        report.chapters += len(rows["chapter"])
        report.taggings += len(rows["tagging"])
        report.filter_taggings += len(rows["filter"])
        if report.works % 50_000 < BATCH or report.works == count:
            log(f"{report.works} works, {report.chapters} chapters, {report.taggings} taggings")
