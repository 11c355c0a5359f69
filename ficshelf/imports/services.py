"""Importing a file as a new work: read it, fill in what it does not say, post it in one
transaction. A refused import leaves nothing behind."""

import hashlib
from dataclasses import dataclass, field, fields

from django.core.exceptions import ValidationError
from django.db import transaction

from ficshelf.accounts.models import Pseud
from ficshelf.tags.models import Rating
from ficshelf.works.models import Work
from ficshelf.works.services import ChapterContent, WorkMetadata, create_work

from .models import WorkImport
from .parsing import (
    ImportRefused,
    WorkChoices,
    find_archive_warning,
    find_category,
    find_language,
    find_rating,
    parse_file,
)

__all__ = ["ImportRefused", "ImportResult", "PreparedImport", "WorkChoices", "import_work"]

NO_WARNINGS_CHOSEN = "Creator Chose Not To Use Archive Warnings"


@dataclass
class PreparedImport:
    """A file read and checked, ready to become a work."""

    metadata: WorkMetadata
    chapter: ChapterContent
    text_format: str
    sha256: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    work: Work
    warnings: list[str]


def _canonical(choices: WorkChoices | None) -> WorkChoices:
    """The caller's choices with ratings, warnings, categories and languages spelled as the
    archive spells them; anything unknown is refused, naming the field."""
    choices = _without_nul(choices or WorkChoices())
    result = WorkChoices(**{f.name: getattr(choices, f.name) for f in fields(WorkChoices)})
    if choices.rating:
        result.rating = find_rating(choices.rating)
        if result.rating is None:
            labels = ", ".join(label for _, label in Rating.choices)
            raise ImportRefused(
                f"“{choices.rating}” is not a rating. Choose one of: {labels}.", field="rating"
            )
    for name, find, what in (
        ("warnings", find_archive_warning, "an archive warning"),
        ("categories", find_category, "a category"),
    ):
        names = []
        for given in getattr(choices, name) or []:
            if (found := find(given)) is None:
                raise ImportRefused(f"“{given}” is not {what}.", field=name)
            names.append(found)
        setattr(result, name, names or None)
    if choices.language:
        result.language = find_language(choices.language)
        if result.language is None:
            raise ImportRefused(f"“{choices.language}” is not a language.", field="language")
    return result


def _without_nul(choices: WorkChoices) -> WorkChoices:
    # No field of a work can hold NUL (PostgreSQL refuses it); the file's text is cleaned of it
    # when it is read, and what the caller gives is cleaned here.
    def clean(value):
        if isinstance(value, str):
            return value.replace("\x00", "")
        if isinstance(value, list):
            return [item.replace("\x00", "") for item in value]
        return value

    return WorkChoices(**{f.name: clean(getattr(choices, f.name)) for f in fields(WorkChoices)})


def _pick(name: str, *sources: WorkChoices):
    return next((value for s in sources if (value := getattr(s, name))), None)


def prepare_import(
    *,
    file_bytes: bytes,
    filename: str,
    defaults: WorkChoices | None = None,
    overrides: WorkChoices | None = None,
) -> PreparedImport:
    """Read the file and settle every value of the new work, touching no rows.

    Each value comes from the first of these that gives one: `overrides` (the caller insists),
    the file's header, `defaults` (the caller's answer to what the file may not say). Then,
    for what is still missing: no rating is "Not Rated", no archive warning is "Creator Chose
    Not To Use Archive Warnings", and no fandom is refused, asking for one.
    Raises ImportRefused with a message for the person importing.
    """
    parsed = parse_file(file_bytes, filename)
    sources = (_canonical(overrides), parsed.choices, _canonical(defaults))
    fandoms = _pick("fandoms", *sources)
    if not fandoms:
        raise ImportRefused(
            "The file does not say which fandom the work belongs to. Please add a fandom.",
            field="fandoms",
        )
    metadata = WorkMetadata(
        title=_pick("title", *sources),
        fandoms=fandoms,
        rating=_pick("rating", *sources) or Rating.NOT_RATED,
        warnings=_pick("warnings", *sources) or [NO_WARNINGS_CHOSEN],
        categories=_pick("categories", *sources) or [],
        relationships=_pick("relationships", *sources) or [],
        characters=_pick("characters", *sources) or [],
        freeforms=_pick("freeforms", *sources) or [],
        language=_pick("language", *sources) or "en",
        summary=parsed.summary,
        notes=parsed.notes,
    )
    chapter = ChapterContent(text=parsed.text, text_format=parsed.text_format)
    try:
        metadata.validate()
        chapter.validate()
    except ValidationError as error:
        raise _refusal(error) from None
    return PreparedImport(
        metadata=metadata,
        chapter=chapter,
        text_format=parsed.text_format,
        sha256=hashlib.sha256(file_bytes).hexdigest(),
        warnings=parsed.warnings,
    )


def _refusal(error: ValidationError) -> ImportRefused:
    if hasattr(error, "error_dict"):
        names = list(error.message_dict)
        messages = [m for name in names for m in error.message_dict[name]]
        return ImportRefused(" ".join(messages), field=names[0] if len(names) == 1 else None)
    return ImportRefused(" ".join(error.messages))


@transaction.atomic
def import_work(
    *,
    file_bytes: bytes,
    filename: str,
    importer,
    pseuds: list[Pseud] | None = None,
    defaults: WorkChoices | None = None,
    overrides: WorkChoices | None = None,
    post: bool = True,
) -> ImportResult:
    """Create a complete one-chapter work from a file, credited to `pseuds` (the importer's
    default pseud if None), posted or kept as a draft, and record the import.

    How each value is chosen is described on `prepare_import`. Raises ImportRefused, with a
    message for the person importing, and then nothing has been written.
    """
    filename = filename.replace("\x00", "")
    prepared = prepare_import(
        file_bytes=file_bytes, filename=filename, defaults=defaults, overrides=overrides
    )
    pseuds = pseuds or [importer.default_pseud]
    if any(pseud.user_id != importer.pk for pseud in pseuds):
        raise ImportRefused("You can only credit a work to your own pseuds.", field="pseuds")
    warnings = list(prepared.warnings)
    if earlier := find_import(importer=importer, file_bytes=file_bytes):
        warnings.append(
            f"You imported this file before, as {earlier.work.get_absolute_url()}; "
            "this is a second copy."
        )
    try:
        work = create_work(
            creators=pseuds, metadata=prepared.metadata, chapter=prepared.chapter, post=post
        )
    except ValidationError as error:
        raise _refusal(error) from None
    WorkImport.objects.create(
        work=work,
        imported_by=importer,
        filename=filename[: WorkImport._meta.get_field("filename").max_length],
        sha256=prepared.sha256,
        file_format=prepared.text_format,
        warnings="\n".join(warnings),
    )
    return ImportResult(work=work, warnings=warnings)


def find_import(*, importer, file_bytes: bytes) -> WorkImport | None:
    """The importer's earlier import of exactly these bytes whose work still exists."""
    sha256 = hashlib.sha256(file_bytes).hexdigest()
    return (
        WorkImport.objects.filter(imported_by=importer, sha256=sha256)
        .exclude(work=None)
        .select_related("work")
        .first()
    )
