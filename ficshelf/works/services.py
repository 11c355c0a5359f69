"""Posting and revising works: every write that touches several rows is one transaction."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from ficshelf.accounts.models import Pseud
from ficshelf.tags.models import ARCHIVE_WARNINGS, CATEGORIES, Rating, TagKind
from ficshelf.tags.services import TagNameError, check_tag_name, find_or_create_tag
from ficshelf.userstuff import TextFormat, clean_html, count_words, to_html
from ficshelf.userstuff.formatting import html_with_paragraphs

from . import limits
from .models import Chapter, Creatorship, Tagging, Work


@dataclass
class WorkMetadata:
    """Everything about a work except its chapters, as a creator enters it."""

    title: str
    fandoms: list[str]
    rating: str = Rating.NOT_RATED
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    language: str = "en"
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    expected_chapters: int | None = None
    is_complete: bool = False
    restricted: bool = False

    def tag_names(self) -> list[tuple[str, str]]:
        return (
            [(TagKind.WARNING, name) for name in self.warnings]
            + [(TagKind.CATEGORY, name) for name in self.categories]
            + [(TagKind.FANDOM, name) for name in self.fandoms]
            + [(TagKind.RELATIONSHIP, name) for name in self.relationships]
            + [(TagKind.CHARACTER, name) for name in self.characters]
            + [(TagKind.FREEFORM, name) for name in self.freeforms]
        )

    def validate(self) -> None:
        """Raise ValidationError, keyed by field, for anything AO3 would refuse."""
        errors: dict[str, list[str]] = {}

        def error(name: str, message: str) -> None:
            errors.setdefault(name, []).append(message)

        self.title = self.title.strip()
        if not self.title:
            error("title", "Please enter a title.")
        elif len(self.title) > limits.TITLE_MAX:
            error("title", f"The title must be at most {limits.TITLE_MAX} characters.")
        if not [name for name in self.fandoms if name.strip()]:
            error("fandoms", "Please add at least one fandom.")
        if self.rating not in Rating.values:
            error("rating", "Please choose a rating.")
        if not self.warnings:
            error("warnings", "Please choose at least one archive warning.")
        for name in self.warnings:
            if name not in ARCHIVE_WARNINGS:
                error("warnings", f"“{name}” is not an archive warning.")
        for name in self.categories:
            if name not in CATEGORIES:
                error("categories", f"“{name}” is not a category.")
        if len(self.summary) > limits.SUMMARY_MAX:
            error("summary", f"The summary must be at most {limits.SUMMARY_MAX:,} characters.")
        for name in ("notes", "end_notes"):
            if len(getattr(self, name)) > limits.NOTES_MAX:
                error(name, f"Notes must be at most {limits.NOTES_MAX:,} characters.")
        if len(self.freeforms) > limits.FREEFORM_TAGS_MAX:
            error(
                "freeforms", f"A work can have at most {limits.FREEFORM_TAGS_MAX} additional tags."
            )
        if len(self.tag_names()) > limits.TAGS_MAX:
            error("freeforms", f"A work can have at most {limits.TAGS_MAX} tags in all.")
        for kind, name in self.tag_names():
            try:
                check_tag_name(kind, name)
            except TagNameError as problem:
                error(_TAG_FIELDS[kind], str(problem))
        if self.expected_chapters is not None and not (
            1 <= self.expected_chapters <= limits.EXPECTED_CHAPTERS_MAX
        ):
            error("expected_chapters", "The expected number of chapters must be at least 1.")
        if errors:
            raise ValidationError(errors)


_TAG_FIELDS = {
    TagKind.WARNING: "warnings",
    TagKind.CATEGORY: "categories",
    TagKind.FANDOM: "fandoms",
    TagKind.RELATIONSHIP: "relationships",
    TagKind.CHARACTER: "characters",
    TagKind.FREEFORM: "freeforms",
}


@dataclass
class ChapterContent:
    """A chapter as its creator typed it; `text_format` says how to read the text."""

    text: str
    text_format: str = TextFormat.HTML
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""

    def validate(self) -> str:
        """Raise ValidationError for bad content; return the clean HTML of the text."""
        errors: dict[str, list[str]] = {}
        if len(self.title) > limits.TITLE_MAX:
            errors["title"] = [f"A chapter title must be at most {limits.TITLE_MAX} characters."]
        if len(self.summary) > limits.SUMMARY_MAX:
            errors["summary"] = [f"The summary must be at most {limits.SUMMARY_MAX:,} characters."]
        for name in ("notes", "end_notes"):
            if len(getattr(self, name)) > limits.NOTES_MAX:
                errors[name] = [f"Notes must be at most {limits.NOTES_MAX:,} characters."]
        if self.text_format not in TextFormat.values:
            errors["text_format"] = ["Please choose how the text is written."]
            raise ValidationError(errors)
        if len(self.text) > limits.CHAPTER_TEXT_MAX:
            errors["text"] = [
                f"The chapter text is {len(self.text):,} characters long; "
                f"the most a chapter can hold is {limits.CHAPTER_TEXT_MAX:,}. "
                "Please split it into more chapters."
            ]
        html = to_html(self.text, self.text_format)
        if not errors and not count_words(html) and "<img" not in html:
            errors["text"] = ["The chapter has no text."]
        if errors:
            raise ValidationError(errors)
        return html


def _user_html(text: str) -> str:
    # Summaries and notes are typed as HTML; blank lines make paragraphs as on AO3.
    return clean_html(html_with_paragraphs(text))


def _require_creator(work: Work, editor) -> None:
    if not Work.objects.editable_by(editor).filter(pk=work.pk).exists():
        raise PermissionDenied("Only the work's creators can change it.")


def _apply_metadata(work: Work, metadata: WorkMetadata) -> None:
    work.title = metadata.title
    work.rating = metadata.rating
    work.language = metadata.language
    work.summary = _user_html(metadata.summary)
    work.notes = _user_html(metadata.notes)
    work.end_notes = _user_html(metadata.end_notes)
    work.expected_chapters = metadata.expected_chapters
    work.is_complete = metadata.is_complete
    work.restricted = metadata.restricted


def _set_tags(work: Work, metadata: WorkMetadata) -> None:
    wanted = []
    for kind, name in metadata.tag_names():
        tag = find_or_create_tag(kind=kind, name=name)
        if tag.pk not in {t.pk for t in wanted}:
            wanted.append(tag)
    work.taggings.exclude(tag__in=wanted).delete()
    existing = {tagging.tag_id: tagging for tagging in work.taggings.all()}
    for position, tag in enumerate(wanted):
        if tagging := existing.get(tag.pk):
            if tagging.position != position:
                tagging.position = position
                tagging.save(update_fields=["position"])
        else:
            Tagging.objects.create(work=work, tag=tag, position=position)


def _refresh_counts(work: Work) -> None:
    """Recount the work's words from its posted chapters and settle the complete flag."""
    posted = work.chapters.filter(posted=True)
    work.word_count = posted.aggregate(total=Sum("word_count"))["total"] or 0
    posted_count = posted.count()
    if work.is_complete and posted_count:
        # A complete work has exactly the chapters it has posted.
        work.expected_chapters = posted_count
    elif work.expected_chapters is not None and work.expected_chapters < posted_count:
        work.expected_chapters = posted_count
    elif work.expected_chapters is not None and posted_count == work.expected_chapters:
        work.is_complete = True
    work.save()


def _fill_chapter(chapter: Chapter, content: ChapterContent) -> None:
    chapter.text = content.validate()
    chapter.title = content.title.strip()
    chapter.summary = _user_html(content.summary)
    chapter.notes = _user_html(content.notes)
    chapter.end_notes = _user_html(content.end_notes)
    chapter.word_count = count_words(chapter.text)


@transaction.atomic
def create_work(
    *,
    creators: list[Pseud],
    metadata: WorkMetadata,
    chapter: ChapterContent,
    post: bool = True,
) -> Work:
    """Create a work with its first chapter, posted at once or kept as a draft."""
    if not creators:
        raise ValidationError({"creators": ["A work needs at least one creator."]})
    metadata.validate()
    work = Work()
    _apply_metadata(work, metadata)
    work.save()
    for position, pseud in enumerate(dict.fromkeys(creators)):
        Creatorship.objects.create(work=work, pseud=pseud, position=position)
    _set_tags(work, metadata)
    first = Chapter(work=work, position=1)
    _fill_chapter(first, chapter)
    first.save()
    if post:
        _post(work)
    _refresh_counts(work)
    return work


def _post(work: Work) -> None:
    now = timezone.now()
    work.chapters.filter(posted=False).update(posted=True, published_at=now)
    if not work.posted:
        work.posted = True
        work.published_at = now
    work.revised_at = now


@transaction.atomic
def post_work(*, work: Work, editor) -> Work:
    """Post a draft work, with all its chapters, so readers can see it. Posting a work that is
    already posted changes nothing: its draft chapters are posted one by one."""
    _require_creator(work, editor)
    if work.posted:
        return work
    _post(work)
    _refresh_counts(work)
    return work


@transaction.atomic
def update_work(*, work: Work, editor, metadata: WorkMetadata, co_creators=None) -> Work:
    """Revise a work's metadata; `co_creators`, when given, is the full list of pseuds."""
    _require_creator(work, editor)
    metadata.validate()
    _apply_metadata(work, metadata)
    if work.posted:
        work.revised_at = timezone.now()
    work.save()
    _set_tags(work, metadata)
    if co_creators is not None:
        set_creators(work=work, editor=editor, pseuds=co_creators)
    _refresh_counts(work)
    return work


def set_creators(*, work: Work, editor, pseuds: list[Pseud]) -> None:
    """Credit exactly `pseuds`; the editor must keep at least one of their own pseuds."""
    pseuds = list(dict.fromkeys(pseuds))
    if not any(pseud.user_id == editor.pk for pseud in pseuds):
        raise ValidationError({"pseuds": ["You cannot remove yourself from a work here."]})
    with transaction.atomic():
        work.creatorships.exclude(pseud__in=pseuds).delete()
        have = set(work.creatorships.values_list("pseud_id", flat=True))
        for position, pseud in enumerate(pseuds):
            if pseud.pk in have:
                work.creatorships.filter(pseud=pseud).update(position=position)
            else:
                Creatorship.objects.create(work=work, pseud=pseud, position=position)


@transaction.atomic
def add_chapter(*, work: Work, editor, content: ChapterContent, post: bool = True) -> Chapter:
    """Add a chapter at the end. On a draft work the chapter stays a draft too."""
    _require_creator(work, editor)
    work = Work.objects.select_for_update().get(pk=work.pk)
    last = work.chapters.aggregate(last=Max("position"))["last"] or 0
    chapter = Chapter(work=work, position=last + 1)
    _fill_chapter(chapter, content)
    if post and work.posted:
        now = timezone.now()
        chapter.posted = True
        chapter.published_at = now
        work.revised_at = now
    chapter.save()
    _refresh_counts(work)
    return chapter


@transaction.atomic
def edit_chapter(*, chapter: Chapter, editor, content: ChapterContent) -> Chapter:
    _require_creator(chapter.work, editor)
    _fill_chapter(chapter, content)
    chapter.save()
    work = chapter.work
    if chapter.posted:
        work.revised_at = timezone.now()
    _refresh_counts(work)
    return chapter


@transaction.atomic
def post_chapter(*, chapter: Chapter, editor) -> Chapter:
    """Post a draft chapter of a posted work (posting a draft work posts all its chapters)."""
    work = chapter.work
    _require_creator(work, editor)
    if not work.posted:
        _post(work)
    elif not chapter.posted:
        now = timezone.now()
        chapter.posted = True
        chapter.published_at = now
        chapter.save(update_fields=["posted", "published_at", "updated_at"])
        work.revised_at = now
    _refresh_counts(work)
    chapter.refresh_from_db()
    return chapter


@transaction.atomic
def reorder_chapters(*, work: Work, editor, chapter_ids: list[int]) -> None:
    """Put the work's chapters in the order of `chapter_ids`, which must list each once."""
    _require_creator(work, editor)
    current = list(work.chapters.values_list("pk", flat=True))
    if sorted(current) != sorted(chapter_ids) or len(set(chapter_ids)) != len(chapter_ids):
        raise ValidationError("The new order must list every chapter of the work exactly once.")
    # Two steps so that the unique (work, position) constraint holds after each statement.
    offset = len(current) + 1
    work.chapters.update(position=F("position") + offset)
    for position, chapter_id in enumerate(chapter_ids, start=1):
        Chapter.objects.filter(pk=chapter_id).update(position=position)
    if work.posted:
        work.revised_at = timezone.now()
        work.save(update_fields=["revised_at", "updated_at"])


@transaction.atomic
def delete_chapter(*, chapter: Chapter, editor) -> None:
    work = chapter.work
    _require_creator(work, editor)
    if work.chapters.count() == 1:
        raise ValidationError("A work needs at least one chapter: delete the work instead.")
    if work.posted and chapter.posted and work.chapters.filter(posted=True).count() == 1:
        raise ValidationError(
            "A posted work needs at least one posted chapter: post another chapter first, "
            "or delete the work instead."
        )
    chapter.delete()
    for position, remaining in enumerate(work.chapters.order_by("position"), start=1):
        if remaining.position != position:
            Chapter.objects.filter(pk=remaining.pk).update(position=position)
    _refresh_counts(work)


@transaction.atomic
def delete_work(*, work: Work, editor) -> None:
    _require_creator(work, editor)
    work.delete()
