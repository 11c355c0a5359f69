"""Finding or creating tags by name."""

import re

from django.db import IntegrityError, transaction

from .models import MAX_TAG_LENGTH, Tag, TagKind

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


def find_or_create_tag(*, kind: str, name: str) -> Tag:
    """The tag of this kind with this name (ignoring case), created if new."""
    name = check_tag_name(kind, name)
    if tag := Tag.objects.named(kind, name):
        return tag
    try:
        with transaction.atomic():
            return Tag.objects.create(kind=kind, name=name)
    except IntegrityError:
        # Another request created it between our read and our write.
        return Tag.objects.get(kind=kind, name__iexact=name)


def split_tag_list(value: str) -> list[str]:
    """Comma-separated tag input into names, blanks and duplicates dropped, order kept."""
    seen: dict[str, str] = {}
    for part in value.split(","):
        part = _SPACES.sub(" ", part).strip()
        if part and part.lower() not in seen:
            seen[part.lower()] = part
    return list(seen.values())
