"""Tags: fandoms, relationships, characters, additional tags, and AO3's fixed warning and
category tags. A tag is one row shared by every work that uses it."""

from django.db import models
from django.db.models.functions import Lower
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

MAX_TAG_LENGTH = 150


class TagQuerySet(models.QuerySet):
    def of_kind(self, kind: str) -> "TagQuerySet":
        return self.filter(kind=kind)

    def named(self, kind: str, name: str) -> "Tag | None":
        return self.filter(kind=kind, name__iexact=name).first()


class Tag(models.Model):
    kind = models.CharField(max_length=20, choices=TagKind.choices)
    name = models.CharField(max_length=MAX_TAG_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint("kind", Lower("name"), name="unique_tag_name_per_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_platonic(self) -> bool:
        """`A & B` is a platonic relationship; `A/B` a romantic one."""
        return self.kind == TagKind.RELATIONSHIP and " & " in self.name

    def get_absolute_url(self) -> str:
        return reverse("tags:works", kwargs={"tag": tag_to_param(self.name)})


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
