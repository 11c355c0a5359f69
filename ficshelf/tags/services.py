"""Finding or creating tags by name, and wrangling them.

The wrangling services are atomic, check that the caller is a wrangler, lock the tags they
change (in id order, so two wranglers never deadlock), log every change with who made it
(WranglingChange) and send `tags_wrangled`, on which works recomputes the filter tags of the
works concerned and moves the page-cache versions.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from .models import (
    ARCHIVE_WARNINGS,
    CATEGORIES,
    FIXED_KINDS,
    KIND_SUFFIXES,
    MAX_TAG_LENGTH,
    Tag,
    TagKind,
    TagParent,
    WranglingChange,
    ancestors,
    tag_key,
)
from .signals import tags_wrangled

_SPACES = re.compile(r"\s+")
# Characters that would break a tag's URL or the comma-separated tag fields.
_FORBIDDEN = re.compile(r"[,*<>^{}=`\\%]")


class TagNameError(ValueError):
    pass


def normalize_tag_name(kind: str, name: str) -> str:
    name = _SPACES.sub(" ", name).strip()
    if kind == TagKind.RELATIONSHIP:
        # "A/B" romantic, "A & B" platonic: normalize spacing around both.
        name = re.sub(r"\s*/\s*", "/", name)
        name = re.sub(r"\s*&\s*", " & ", name)
    return name


def check_tag_name(kind: str, name: str) -> str:
    name = normalize_tag_name(kind, name)
    if not name:
        raise TagNameError("A tag cannot be empty.")
    if len(name) > MAX_TAG_LENGTH:
        raise TagNameError(f"“{name[:40]}…” is longer than {MAX_TAG_LENGTH} characters.")
    if found := _FORBIDDEN.search(name):
        raise TagNameError(f"“{name}” contains “{found.group()}”, which tags cannot contain.")
    return name


# The fixed lists' names are theirs even before their rows exist.
_FIXED_NAMES = {tag_key(name): TagKind.WARNING for name in ARCHIVE_WARNINGS} | {
    tag_key(name): TagKind.CATEGORY for name in CATEGORIES
}


def name_for_kind(kind: str, name: str) -> str:
    """`name` as a tag of `kind` is called: as on otwarchive, a name that another kind already
    has gets this kind's suffix ("Sherlock" typed as an additional tag when a character
    "Sherlock" exists is "Sherlock - Freeform")."""
    fixed_kind = _FIXED_NAMES.get(tag_key(name))
    taken = Tag.objects.named(name)
    if (taken is None or taken.kind == kind) and fixed_kind in (None, kind):
        return name
    return f"{name} - {KIND_SUFFIXES[kind]}"


def find_or_create_tag(*, kind: str, name: str) -> Tag:
    """The tag of this kind with this name (ignoring case), created if new."""
    name = name_for_kind(kind, check_tag_name(kind, name))
    tag = Tag.objects.named(name)
    if tag is not None and tag.kind != kind:
        # "X - Character" typed as a fandom: no third name to give it.
        raise TagNameError(f"“{name}” is already a {tag.get_kind_display()} tag.")
    if tag is not None:
        return tag
    try:
        with transaction.atomic():
            return Tag.objects.create(kind=kind, name=name, canonical=kind in FIXED_KINDS)
    except IntegrityError:
        # Another request created it between our read and our write.
        return Tag.objects.get(name_key=tag_key(name), kind=kind)


def split_tag_list(value: str) -> list[str]:
    """Comma-separated tag input into names, blanks and duplicates dropped, order kept."""
    seen: dict[str, str] = {}
    for part in value.split(","):
        part = _SPACES.sub(" ", part).strip()
        if part and part.lower() not in seen:
            seen[part.lower()] = part
    return list(seen.values())


# --- Wrangling ------------------------------------------------------------------------------

WRANGLER_GROUP = "Tag wranglers"

# Which kinds may be above which: a fandom above its characters, relationships and additional
# tags; characters above relationships; any kind above its own (meta tags, sub-fandoms).
PARENT_KINDS = {
    TagKind.FANDOM: {TagKind.FANDOM},
    TagKind.CHARACTER: {TagKind.FANDOM, TagKind.CHARACTER},
    TagKind.RELATIONSHIP: {TagKind.FANDOM, TagKind.CHARACTER, TagKind.RELATIONSHIP},
    TagKind.FREEFORM: {TagKind.FANDOM, TagKind.FREEFORM},
}


def is_wrangler(user) -> bool:
    """Members of "Tag wranglers" (the tags.wrangle_tag permission), and superusers."""
    return bool(user and user.is_active and user.has_perm("tags.wrangle_tag"))


def _require_wrangler(user) -> None:
    if not is_wrangler(user):
        raise PermissionDenied("Only tag wranglers can wrangle tags.")


def _refuse(message: str):
    return ValidationError({"tag": [message]})


def _locked(*tags: Tag) -> list[Tag]:
    """The rows of `tags`, locked in id order, read afresh, in the order given."""
    rows = {
        tag.pk: tag
        for tag in Tag.objects.select_for_update()
        .filter(pk__in=[t.pk for t in tags])
        .order_by("pk")
    }
    return [rows[tag.pk] for tag in tags]


def _require_wrangleable(*tags: Tag) -> None:
    for tag in tags:
        if tag.kind in FIXED_KINDS:
            raise _refuse(f"“{tag}” is one of the archive’s fixed tags and is not wrangled.")


def _log(wrangler, tag: Tag, action: str, other: Tag | None = None) -> None:
    WranglingChange.objects.create(wrangler=wrangler, tag=tag, action=action, other=other)


def _wrangled(*tag_ids: int) -> None:
    tags_wrangled.send(sender=Tag, tag_ids=sorted(set(tag_ids)))


@transaction.atomic
def make_canonical(*, wrangler, tag: Tag) -> Tag:
    """Make `tag` a canonical tag: a name readers filter by, which synonyms can point to."""
    _require_wrangler(wrangler)
    (tag,) = _locked(tag)
    _require_wrangleable(tag)
    if tag.merger_id:
        raise _refuse(f"“{tag}” is a synonym of “{tag.merger}”: unmerge it first.")
    if not tag.canonical:
        tag.canonical = True
        tag.save(update_fields=["canonical"])
        _log(wrangler, tag, WranglingChange.Action.MADE_CANONICAL)
        _wrangled(tag.pk)
    return tag


@transaction.atomic
def make_not_canonical(*, wrangler, tag: Tag) -> Tag:
    """Take away `tag`'s canonical status; refused while synonyms or subtags rely on it."""
    _require_wrangler(wrangler)
    (tag,) = _locked(tag)
    _require_wrangleable(tag)
    if not tag.canonical:
        return tag
    if tag.synonyms.exists():
        raise _refuse(f"“{tag}” has synonyms: merge them into another canonical first.")
    if tag.children.exists():
        raise _refuse(f"“{tag}” has subtags: move them to another parent first.")
    tag.canonical = False
    tag.save(update_fields=["canonical"])
    _log(wrangler, tag, WranglingChange.Action.MADE_NOT_CANONICAL)
    _wrangled(tag.pk)
    return tag


def _would_cycle(*, child: Tag, parent: Tag) -> bool:
    return child.pk in ancestors([parent.pk])[parent.pk]


def _link(*, child: Tag, parent: Tag) -> bool:
    """Put `parent` above `child` unless it is there already or would make a cycle."""
    if child.pk == parent.pk or _would_cycle(child=child, parent=parent):
        return False
    _, created = TagParent.objects.get_or_create(child=child, parent=parent)
    return created


@transaction.atomic
def merge_tag(*, wrangler, tag: Tag, into: Tag, make_canonical: bool = False) -> Tag:
    """Make `tag` a synonym of the canonical `into` (of the same kind): works tagged with it are
    found under `into`, without any work being edited. `make_canonical` first makes `into`
    canonical (accepting a suggestion between two unwrangled tags). `tag`'s synonyms, parents
    and subtags move to `into`, as on AO3."""
    _require_wrangler(wrangler)
    tag, into = _locked(tag, into)
    _require_wrangleable(tag, into)
    if tag.pk == into.pk:
        raise _refuse("A tag cannot be a synonym of itself.")
    if tag.kind != into.kind:
        raise _refuse(
            f"“{into}” is a {into.get_kind_display()} tag; “{tag}” can only be a synonym "
            f"of a {tag.get_kind_display()} tag."
        )
    if into.merger_id:
        raise _refuse(f"“{into}” is itself a synonym of “{into.merger}”: merge into that.")
    if tag.merger_id == into.pk:
        return tag
    if not into.canonical:
        if not make_canonical:
            raise _refuse(f"“{into}” is not canonical: only a canonical tag has synonyms.")
        into.canonical = True
        into.save(update_fields=["canonical"])
        _log(wrangler, into, WranglingChange.Action.MADE_CANONICAL)
    moved = list(tag.synonyms.values_list("pk", flat=True))
    tag.synonyms.update(merger=into)
    for link in TagParent.objects.filter(child=tag).select_related("parent"):
        _link(child=into, parent=link.parent)
    for link in TagParent.objects.filter(parent=tag).select_related("child"):
        _link(child=link.child, parent=into)
    TagParent.objects.filter(child=tag).delete()
    TagParent.objects.filter(parent=tag).delete()
    tag.canonical = False
    tag.merger = into
    tag.save(update_fields=["canonical", "merger"])
    _log(wrangler, tag, WranglingChange.Action.MERGED, into)
    _wrangled(tag.pk, into.pk, *moved)
    return tag


@transaction.atomic
def unmerge_tag(*, wrangler, tag: Tag) -> Tag:
    """Make a synonym a tag of its own again (unwrangled until a wrangler places it)."""
    _require_wrangler(wrangler)
    (tag,) = _locked(tag)
    if not tag.merger_id:
        return tag
    canonical = tag.merger
    tag.merger = None
    tag.save(update_fields=["merger"])
    _log(wrangler, tag, WranglingChange.Action.UNMERGED, canonical)
    _wrangled(tag.pk, canonical.pk)
    return tag


@transaction.atomic
def add_parent(*, wrangler, tag: Tag, parent: Tag) -> Tag:
    """Put the canonical `parent` above `tag`: works tagged with `tag` (or its synonyms) are
    found under `parent` and everything above it."""
    _require_wrangler(wrangler)
    tag, parent = _locked(tag, parent)
    _require_wrangleable(tag, parent)
    if tag.merger_id:
        raise _refuse(f"“{tag}” is a synonym: give its canonical “{tag.merger}” parents instead.")
    if not parent.canonical:
        raise _refuse(f"“{parent}” is not canonical: only a canonical tag can be a parent.")
    if parent.kind not in PARENT_KINDS[tag.kind]:
        raise _refuse(
            f"A {parent.get_kind_display()} tag cannot be above a {tag.get_kind_display()} tag."
        )
    if tag.pk == parent.pk or _would_cycle(child=tag, parent=parent):
        raise _refuse(f"“{parent}” is below “{tag}”: that would make a loop.")
    if _link(child=tag, parent=parent):
        _log(wrangler, tag, WranglingChange.Action.PARENT_ADDED, parent)
        _wrangled(tag.pk, parent.pk)
    return tag


@transaction.atomic
def remove_parent(*, wrangler, tag: Tag, parent: Tag) -> Tag:
    _require_wrangler(wrangler)
    tag, parent = _locked(tag, parent)
    deleted, _ = TagParent.objects.filter(child=tag, parent=parent).delete()
    if deleted:
        _log(wrangler, tag, WranglingChange.Action.PARENT_REMOVED, parent)
        _wrangled(tag.pk, parent.pk)
    return tag
