"""Tags: fandoms, relationships, characters, additional tags, and AO3's fixed warning and
category tags. A tag is one row shared by every work that uses it, and its name is unique
across kinds, as on AO3, so /tags/<name>/works names one tag.

Wranglers shape the tags: a tag can be *canonical* (the one name readers filter by), a
*synonym* of a canonical of the same kind (`merger`: works tagged with it are found under the
canonical), and have *parents* (a character's or relationship's fandom, a sub-fandom's parent
fandom, a meta tag above its subtags). Works keep the result denormalized (works.FilterTagging).
"""

import unicodedata

from django.conf import settings
from django.db import connections, models
from django.db.models import Q
from django.urls import reverse


class TagKind(models.TextChoices):
    FANDOM = "fandom", "Fandom"
    RELATIONSHIP = "relationship", "Relationship"
    CHARACTER = "character", "Character"
    FREEFORM = "freeform", "Additional Tag"
    WARNING = "warning", "Archive Warning"
    CATEGORY = "category", "Category"


class Rating(models.TextChoices):
    # Stored on the work (exactly one per work); ordered from least to most restrictive.
    NOT_RATED = "not_rated", "Not Rated"
    GENERAL = "general", "General Audiences"
    TEEN = "teen", "Teen And Up Audiences"
    MATURE = "mature", "Mature"
    EXPLICIT = "explicit", "Explicit"


ADULT_RATINGS = {Rating.MATURE, Rating.EXPLICIT}

ARCHIVE_WARNINGS = [
    "Creator Chose Not To Use Archive Warnings",
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "No Archive Warnings Apply",
    "Rape/Non-Con",
    "Underage Sex",
]
CATEGORIES = ["F/F", "F/M", "Gen", "M/M", "Multi", "Other"]
# The order of the work meta block, as on AO3.
META_ORDER = [
    TagKind.WARNING,
    TagKind.CATEGORY,
    TagKind.FANDOM,
    TagKind.RELATIONSHIP,
    TagKind.CHARACTER,
    TagKind.FREEFORM,
]

# Warnings and categories are AO3's fixed lists: canonical from the start, never wrangled.
FIXED_KINDS = {TagKind.WARNING, TagKind.CATEGORY}
# A name already used by another kind gets this suffix, as otwarchive does ("Sherlock - Freeform").
KIND_SUFFIXES = {
    TagKind.FANDOM: "Fandom",
    TagKind.RELATIONSHIP: "Relationship",
    TagKind.CHARACTER: "Character",
    TagKind.FREEFORM: "Freeform",
    TagKind.WARNING: "Warning",
    TagKind.CATEGORY: "Category",
}

MAX_TAG_LENGTH = 150  # what a creator may type
# The column has room for a kind suffix on a name of the longest length.
TAG_COLUMN_LENGTH = 200


def tag_key(name: str) -> str:
    """The form of a name that lookups compare: spaces collapsed, NFKC, Python's full Unicode
    case folding ("Émile" and "émile", "STRASSE" and "straße" are one key). Stored in
    `Tag.name_key` with a unique index, because neither database folds case the same way
    (SQLite's LOWER folds ASCII only)."""
    name = " ".join(name.split())
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def _next_prefix(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class TagQuerySet(models.QuerySet):
    def of_kind(self, kind: str) -> "TagQuerySet":
        return self.filter(kind=kind)

    def named(self, name: str) -> "Tag | None":
        """The tag with this name, ignoring case (one index lookup on name_key)."""
        return self.filter(name_key=tag_key(name)).first()

    def canonical(self, canonical: bool = True) -> "TagQuerySet":
        # `canonical=True` compiles to a bare column test, which SQLite cannot match to the
        # (kind, canonical, name_key) index; `IN (…)` is a comparison it can.
        return self.filter(canonical__in=[canonical])

    def unwrangled(self) -> "TagQuerySet":
        """Tags no wrangler has placed yet: not canonical, not a synonym, with no parent."""
        return self.filter(canonical=False, merger__isnull=True, parents__isnull=True).exclude(
            kind__in=FIXED_KINDS
        )

    def starting_with(self, prefix: str) -> "TagQuerySet":
        """Tags whose name begins with `prefix`, ignoring case, through an index on name_key.
        SQLite's LIKE ignores ASCII case and so cannot use a plain index: a range on the
        (already folded) key can. PostgreSQL's range order follows the collation, not code
        points, so there a LIKE on the varchar_pattern_ops index answers instead."""
        key = tag_key(prefix)
        if not key:
            return self.none()
        if connections[self.db].vendor == "postgresql":
            return self.filter(name_key__startswith=key)
        return self.filter(name_key__gte=key, name_key__lt=_next_prefix(key))


class Tag(models.Model):
    kind = models.CharField(max_length=20, choices=TagKind.choices)
    name = models.CharField(max_length=TAG_COLUMN_LENGTH)
    # tag_key(name), set on every save: the unique, indexed form lookups compare.
    name_key = models.CharField(max_length=TAG_COLUMN_LENGTH, unique=True, editable=False)
    canonical = models.BooleanField(
        default=False, help_text="The name readers filter by; synonyms point to it."
    )
    merger = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="synonyms",
        verbose_name="synonym of",
    )
    parents = models.ManyToManyField(
        "self",
        through="TagParent",
        through_fields=("child", "parent"),
        symmetrical=False,
        related_name="children",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        permissions = [("wrangle_tag", "Can wrangle tags")]
        constraints = [
            models.CheckConstraint(
                condition=Q(merger__isnull=True) | Q(canonical=False),
                name="a_synonym_is_not_canonical",
            ),
            models.CheckConstraint(
                condition=~Q(merger=models.F("pk")), name="a_tag_is_not_its_own_synonym"
            ),
        ]
        indexes = [
            # Autocomplete: canonical tags of one kind by name prefix. PostgreSQL needs the
            # pattern operator classes for LIKE 'x%' (SQLite ignores them and uses ranges).
            models.Index(
                fields=["kind", "canonical", "name_key"],
                name="tag_kind_canonical_key",
                opclasses=["varchar_pattern_ops", "bool_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = tag_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def is_synonym(self) -> bool:
        return self.merger_id is not None

    @property
    def is_wrangleable(self) -> bool:
        return self.kind not in FIXED_KINDS

    @property
    def is_platonic(self) -> bool:
        """`A & B` is a platonic relationship; `A/B` a romantic one."""
        return self.kind == TagKind.RELATIONSHIP and " & " in self.name

    def get_absolute_url(self) -> str:
        return reverse("tags:works", kwargs={"tag": tag_to_param(self.name)})

    def get_wrangling_url(self) -> str:
        return reverse("wrangling:edit", kwargs={"tag": tag_to_param(self.name)})

    def get_bin_url(self) -> str:
        """A fandom's unwrangled tags (a page of works' URL map: it counts works)."""
        return reverse("tags:wrangle", kwargs={"tag": tag_to_param(self.name)})


class TagParent(models.Model):
    """`parent` is above `child`: works tagged with the child are found under the parent.
    Rules the database cannot say (the parent is canonical, no cycles) are checked by
    tags.services."""

    parent = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="parent_links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "parent"], name="unique_tag_parent"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("child")), name="a_tag_is_not_its_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent} above {self.child}"


def ancestors(tag_ids) -> dict[int, set[int]]:
    """For each tag id: the tags a work tagged with it is found under — itself, its canonical
    if it is a synonym, and every ancestor of either through parents. A few queries per
    level of the graph, whatever the number of tags."""
    tag_ids = set(tag_ids)
    above: dict[int, set[int]] = {}  # one step up: canonical and parents
    frontier = set(tag_ids)
    while frontier:
        for tag_id in frontier:
            above.setdefault(tag_id, set())
        for tag_id, merger_id in Tag.objects.filter(
            pk__in=frontier, merger__isnull=False
        ).values_list("pk", "merger_id"):
            above[tag_id].add(merger_id)
        for child_id, parent_id in TagParent.objects.filter(child__in=frontier).values_list(
            "child_id", "parent_id"
        ):
            above[child_id].add(parent_id)
        frontier = {up for ups in above.values() for up in ups} - above.keys()
    closures: dict[int, set[int]] = {}
    for tag_id in tag_ids:
        seen, stack = {tag_id}, [tag_id]
        while stack:
            for up in above.get(stack.pop(), ()):
                if up not in seen:
                    seen.add(up)
                    stack.append(up)
        closures[tag_id] = seen
    return closures


class WranglingChange(models.Model):
    """One wrangling decision, with who made it and when."""

    class Action(models.TextChoices):
        MADE_CANONICAL = "canonical", "made canonical"
        MADE_NOT_CANONICAL = "not_canonical", "made not canonical"
        MERGED = "merged", "made a synonym of"
        UNMERGED = "unmerged", "no longer a synonym of"
        PARENT_ADDED = "parent_added", "given the parent"
        PARENT_REMOVED = "parent_removed", "no longer under"

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="wrangling_changes")
    action = models.CharField(max_length=20, choices=Action.choices)
    # The canonical of a merge or unmerge, the parent of a parent change.
    other = models.ForeignKey(
        Tag, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    wrangler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        other = f" “{self.other}”" if self.other_id else ""
        return f"“{self.tag}” {self.get_action_display()}{other}"


# AO3 escapes these in tag URLs (/tags/Alex*s*Olivia/works), which readers' tools rely on.
_URL_ESCAPES = {"/": "*s*", "&": "*a*", ".": "*d*", "?": "*q*", "#": "*h*"}


def tag_to_param(name: str) -> str:
    for char, escape in _URL_ESCAPES.items():
        name = name.replace(char, escape)
    return name


def tag_from_param(param: str) -> str:
    for char, escape in _URL_ESCAPES.items():
        param = param.replace(escape, char)
    return param
