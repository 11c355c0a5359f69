"""Importing a file as a new work: read it, fill in what it does not say, post it in one
transaction. A refused import leaves nothing behind."""

import hashlib
import re
from dataclasses import dataclass, field, fields
from html import escape as html_escape
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction

from ficshelf.accounts.models import Pseud
from ficshelf.tags.models import Rating
from ficshelf.userstuff import TextFormat
from ficshelf.works import limits
from ficshelf.works.models import Work
from ficshelf.works.services import (
    ChapterContent,
    WorkMetadata,
    add_chapter,
    create_work,
    post_work,
)

from .ao3 import (
    ImportedWork,
    credit_html,
    find_ao3_language,
    looks_like_download,
    parse_document,
    pick_rating,
    read_download,
    sort_tags,
)
from .ao3_epub import is_epub, read_ao3_epub
from .models import FileFormat, WorkImport
from .parsing import (
    MAX_DOWNLOAD_BYTES,
    ImportRefused,
    WorkChoices,
    check_size,
    decode,
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
    # Every chapter, the first one included (an AO3 download may have many).
    chapters: list[ChapterContent] = field(default_factory=list)
    # How the file was read (FileFormat): a text format, or an AO3 download.
    file_format: str = ""

    def __post_init__(self):
        self.chapters = self.chapters or [self.chapter]
        self.file_format = self.file_format or self.text_format


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
    if download := read_ao3_download(file_bytes, filename):
        return _prepare_download(
            *download, file_bytes=file_bytes, filename=filename, sources=(overrides, defaults)
        )
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
        **_picked_choices(sources),
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


# --- AO3 downloads -----------------------------------------------------------------------------


def read_ao3_download(
    file_bytes: bytes, filename: str
) -> tuple[ImportedWork, list[str], str] | None:
    """(the work, warnings, FileFormat) when the file is an AO3 download, by its content: an
    EPUB (or a file named .epub) must be AO3's; an HTML file that is not an AO3 download is
    None, to be imported as an HTML file. Raises ImportRefused."""
    if PurePath(filename).suffix.lower() == ".epub" or is_epub(file_bytes):
        check_size(len(file_bytes), limit=MAX_DOWNLOAD_BYTES)
        work, warnings = read_ao3_epub(file_bytes)
        return work, warnings, FileFormat.AO3_EPUB
    opening = file_bytes[:20_000].decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
    if not opening.startswith("<") or not looks_like_download(opening):
        return None
    check_size(len(file_bytes), limit=MAX_DOWNLOAD_BYTES)
    text, warnings = decode(file_bytes)
    work = read_download(parse_document(text))
    return (work, warnings, FileFormat.AO3_HTML) if work else None


def _prepare_download(
    work: ImportedWork,
    warnings: list[str],
    file_format: str,
    *,
    file_bytes: bytes,
    filename: str,
    sources: tuple[WorkChoices | None, WorkChoices | None],
) -> PreparedImport:
    """The new work's values from an AO3 download, as `prepare_import` promises."""
    told = list(warnings)
    rating, said = pick_rating(work)
    told += said
    archive_warnings, categories, freeforms, said = sort_tags(work)
    told += said
    language = find_ao3_language(work.language) if work.language else None
    if work.language and language is None:
        told.append(f"“{work.language}” is not a language Ficshelf knows, so it was not set.")
    from_file = WorkChoices(
        title=work.title or None,
        fandoms=work.fandoms or None,
        rating=rating,
        warnings=archive_warnings or None,
        categories=categories or None,
        relationships=work.relationships or None,
        characters=work.characters or None,
        freeforms=freeforms or None,
        language=language,
    )
    overrides, defaults = sources
    sources = (_canonical(overrides), _without_nul(from_file), _canonical(defaults))
    title = _pick("title", *sources)
    if not title:
        title = " ".join(re.split(r"[\s_]+", PurePath(filename).stem)).strip() or "Untitled"
        told.append(f"The file has no title, so the work is called “{title}”.")
    fandoms = _pick("fandoms", *sources)
    if not fandoms:
        raise ImportRefused(
            "The file does not say which fandom the work belongs to. Please add a fandom.",
            field="fandoms",
        )
    notes, end_notes = _with_credit(work, told)
    expected, complete = _chapter_count(work, told)
    metadata = WorkMetadata(
        title=title,
        fandoms=fandoms,
        **_picked_choices(sources),
        summary=_nul_free(work.summary),
        notes=notes,
        end_notes=end_notes,
        expected_chapters=expected,
        is_complete=complete,
    )
    try:
        metadata.validate()
    except ValidationError as error:
        raise _refusal(error) from None
    chapters = [_chapter_content(chapter) for chapter in work.chapters]
    if work.had_scripts:
        told.append("Scripts in the file were removed; the rest of it was kept.")
    return PreparedImport(
        metadata=metadata,
        chapter=chapters[0],
        chapters=chapters,
        text_format=TextFormat.HTML,
        file_format=file_format,
        sha256=hashlib.sha256(file_bytes).hexdigest(),
        warnings=told,
    )


def _picked_choices(sources) -> dict:
    """The rating, warnings, categories, tags and language, each from the first of `sources`
    (the form's overrides, the file, the form's defaults) that gives it, or the default."""
    return {
        "rating": _pick("rating", *sources) or Rating.NOT_RATED,
        "warnings": _pick("warnings", *sources) or [NO_WARNINGS_CHOSEN],
        "categories": _pick("categories", *sources) or [],
        "relationships": _pick("relationships", *sources) or [],
        "characters": _pick("characters", *sources) or [],
        "freeforms": _pick("freeforms", *sources) or [],
        "language": _pick("language", *sources) or "en",
    }


def _nul_free(text: str) -> str:
    return text.replace("\x00", "")


def _with_credit(work: ImportedWork, told: list[str]) -> tuple[str, str]:
    """(notes, end notes): the credit to the work's creators on AO3 comes first in the notes,
    or in the end notes when the notes are full."""
    credit, notes, end_notes = credit_html(work), _nul_free(work.notes), _nul_free(work.end_notes)
    if len(credit) + len(notes) <= limits.NOTES_MAX:
        return credit + notes, end_notes
    told.append(
        "The work's notes are full, so who first posted it, and where, is in its end notes."
    )
    return notes, credit + end_notes


def _chapter_count(work: ImportedWork, told: list[str]) -> tuple[int | None, bool]:
    """(expected chapters, complete) from the file's "Chapters: 3/3"."""
    found = len(work.chapters)
    if work.chapter_count is None:
        return None, False
    posted, expected = work.chapter_count
    if posted != found:
        told.append(f"The file says the work has {posted:,} chapters; {found:,} were found in it.")
    if expected is None or expected < found:
        return None, False
    return min(expected, limits.EXPECTED_CHAPTERS_MAX), expected == found


def _chapter_content(chapter) -> ChapterContent:
    notes = _nul_free(chapter.notes)
    if chapter.byline:
        notes = f"<p>Chapter by {html_escape(chapter.byline)}.</p>{notes}"
    content = ChapterContent(
        text=_nul_free(chapter.text or ""),
        text_format=TextFormat.HTML,
        title=_nul_free(chapter.title),
        summary=_nul_free(chapter.summary),
        notes=notes,
        end_notes=_nul_free(chapter.end_notes),
    )
    try:
        content.validate()
    except ValidationError as error:
        refusal = _refusal(error)
        name = f"Chapter {chapter.position}"
        if chapter.title:
            name += f" (“{chapter.title[:80]}”)"
        raise ImportRefused(f"{name}: {refusal.message}", field="file") from None
    return content


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
    prepared: PreparedImport | None = None,
) -> ImportResult:
    """Create a work from a file (one chapter, or an AO3 download's chapters), credited to
    `pseuds` (the importer's default pseud if None), posted or kept as a draft, and record the
    import.

    How each value is chosen is described on `prepare_import`. `prepared`, when given, is its
    result for these very arguments (the import form's, which read the file to show what it
    refuses): the file is not read twice. Raises ImportRefused, with a message for the person
    importing, and then nothing has been written.
    """
    filename = filename.replace("\x00", "")
    if prepared is None:
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
    first, *more = prepared.chapters
    try:
        # A work of several chapters is put together as a draft, then posted whole.
        work = create_work(
            creators=pseuds, metadata=prepared.metadata, chapter=first, post=post and not more
        )
        for content in more:
            add_chapter(work=work, editor=importer, content=content, post=False)
        if post and more:
            work = post_work(work=work, editor=importer)
    except ValidationError as error:
        raise _refusal(error) from None
    WorkImport.objects.create(
        work=work,
        imported_by=importer,
        filename=filename[: WorkImport._meta.get_field("filename").max_length],
        sha256=prepared.sha256,
        file_format=prepared.file_format,
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
