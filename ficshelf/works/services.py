"""Posting and revising works: every write that touches several rows is one transaction.

Every public service checks that its caller may do what it asks (views, commands, tasks and
the API call the same functions). A service that changes a work locks its row first
(`select_for_update`; SQLite's IMMEDIATE transactions serialize writers anyway) and saves only
the fields it changes, so co-creators acting at once never put back each other's changes. Edit
forms carry the revision they were loaded at: a save over a newer change is refused with a
message instead of silently overwriting it.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from ficshelf.accounts.models import Pseud
from ficshelf.accounts.suspension import refuse_if_suspended
from ficshelf.tags.models import ARCHIVE_WARNINGS, CATEGORIES, Rating, TagKind
from ficshelf.tags.services import TagNameError, check_tag_name, find_or_create_tag
from ficshelf.userstuff import TextFormat, TextRefused, count_words, notes_to_html, to_html
from ficshelf.userstuff.paragraphs import number_paragraphs
from ficshelf.userstuff.text_checks import refuse_unstorable

from . import filtertags, history, limits, versions
from .models import Chapter, CommentPermission, CreatorInvitation, Creatorship, Tagging, Work
from .signals import chapter_saved, chapters_posted, work_changed


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
    comment_permission: str = CommentPermission.EVERYONE
    moderated_comments: bool = False
    critique_welcome: bool = False
    inline_comments: bool = True

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
        # Text no database can store (PostgreSQL refuses NUL) is refused first, for every caller.
        refuse_unstorable(**vars(self))
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
        if self.comment_permission not in CommentPermission.values:
            error("comment_permission", "Please choose who may comment.")
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
        refuse_unstorable(**vars(self))
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
        if errors:
            raise ValidationError(errors)
        try:
            html = to_html(self.text, self.text_format)
        except TextRefused as refusal:
            raise ValidationError({"text": [str(refusal)]}) from None
        if not count_words(html) and "<img" not in html:
            errors["text"] = ["The chapter has no text."]
        if errors:
            raise ValidationError(errors)
        return html

    @property
    def source(self) -> str:
        """What to keep as the author's own source: plain text and Markdown as typed; for
        HTML the stored (clean) HTML is itself what the editor shows."""
        return "" if self.text_format == TextFormat.HTML else self.text


CONFLICT_MESSAGE = (
    "{what} was changed (in another tab, or by a co-creator) since you opened this page. "
    "Nothing was saved. Your version is still below: check the saved one in a new tab, then "
    "save again to replace it with yours."
)


def _user_html(text: str, field_name: str) -> str:
    # Summaries and notes are typed as HTML; blank lines make paragraphs as on AO3.
    try:
        return notes_to_html(text)
    except TextRefused as refusal:
        raise ValidationError({field_name: [str(refusal)]}) from None


def _all_valid(*steps) -> None:
    """Run each validating step and raise one ValidationError with all their errors, so the
    author sees every problem at once."""
    errors: dict[str, list[str]] = {}
    for step in steps:
        try:
            step()
        except ValidationError as error:
            for name, messages in ValidationError(error).update_error_dict({}).items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _require_creator(work: Work, editor) -> None:
    if not Work.objects.editable_by(editor).filter(pk=work.pk).exists():
        raise PermissionDenied("Only the work's creators can change it.")


def _locked(work: Work) -> Work:
    """The work's row, locked until the transaction ends, with fresh values."""
    return Work.objects.select_for_update().get(pk=work.pk)


def _check_revision(current: int, base_revision: int | None, what: str) -> None:
    if base_revision is not None and base_revision != current:
        raise ValidationError(CONFLICT_MESSAGE.format(what=what), code="conflict")


# The fields a metadata edit writes; nothing else is saved by it.
_METADATA_FIELDS = [
    "title",
    "rating",
    "language",
    "summary",
    "notes",
    "end_notes",
    "expected_chapters",
    "is_complete",
    "restricted",
    "comment_permission",
    "moderated_comments",
    "critique_welcome",
    "inline_comments",
]


def _apply_metadata(work: Work, metadata: WorkMetadata) -> None:
    work.title = metadata.title
    work.rating = metadata.rating
    work.language = metadata.language
    work.summary = _user_html(metadata.summary, "summary")
    work.notes = _user_html(metadata.notes, "notes")
    work.end_notes = _user_html(metadata.end_notes, "end_notes")
    work.expected_chapters = metadata.expected_chapters
    work.is_complete = metadata.is_complete
    work.restricted = metadata.restricted
    work.comment_permission = metadata.comment_permission
    work.moderated_comments = metadata.moderated_comments
    work.critique_welcome = metadata.critique_welcome
    work.inline_comments = metadata.inline_comments


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
    filtertags.refresh_filter_tags([work.pk])


def _refresh_counts(work: Work) -> None:
    """Recount the work's words and chapters and settle the complete flag. `work` must be the
    locked row. A draft counts all its chapters; a posted work its posted ones."""
    chapters = work.chapters.filter(posted=True) if work.posted else work.chapters.all()
    work.word_count = chapters.aggregate(total=Sum("word_count"))["total"] or 0
    count = chapters.count()
    if work.is_complete and count:
        # A complete work has exactly the chapters it has.
        work.expected_chapters = count
    elif work.expected_chapters is not None and work.expected_chapters < count:
        work.expected_chapters = count
    elif work.expected_chapters is not None and count == work.expected_chapters:
        work.is_complete = True
    if work.is_complete and work.posted and work.completed_at is None:
        work.completed_at = timezone.now()
    elif not work.is_complete:
        work.completed_at = None
    work.save(
        update_fields=[
            "word_count",
            "expected_chapters",
            "is_complete",
            "completed_at",
            "updated_at",
        ]
    )


def _fill_chapter(chapter: Chapter, content: ChapterContent) -> None:
    """Put `content` into `chapter`: clean HTML with paragraph ids kept from its previous
    text, the author's own source and format, the counts."""
    html = content.validate()
    chapter.text, chapter.next_paragraph_id = number_paragraphs(
        html, previous=chapter.text or "", next_id=chapter.next_paragraph_id or 1
    )
    chapter.text_format = content.text_format
    chapter.text_source = content.source
    chapter.title = content.title.strip()
    chapter.summary = _user_html(content.summary, "summary")
    chapter.notes = _user_html(content.notes, "notes")
    chapter.end_notes = _user_html(content.end_notes, "end_notes")
    chapter.word_count = count_words(chapter.text)


# The two ways a service says what it changed. Each moves the work's page-cache version (and
# the listings') in this transaction, so no change can forget to, and tells apps above works.


def _chapter_saved(chapter: Chapter) -> None:
    versions.bump_work(chapter.work_id)
    chapter_saved.send(sender=Chapter, chapter_id=chapter.pk, work_id=chapter.work_id)


def _work_changed(work: Work) -> None:
    versions.bump_work(work.pk)
    work_changed.send(sender=Work, work_id=work.pk)


def _announce(work: Work, chapter_ids: list[int], *, new_work: bool = False) -> None:
    if chapter_ids or new_work:
        chapters_posted.send(
            sender=Work, work_id=work.pk, chapter_ids=chapter_ids, new_work=new_work
        )


def _post(work: Work) -> None:
    """Post the work with all its chapters; the caller saves the work's fields."""
    now = timezone.now()
    drafts = work.chapters.filter(posted=False)
    chapter_ids = list(drafts.order_by("position").values_list("pk", flat=True))
    drafts.update(posted=True, published_at=now)
    new_work = not work.posted
    if new_work:
        work.posted = True
        work.published_at = now
    work.revised_at = now
    work.save(update_fields=["posted", "published_at", "revised_at", "updated_at"])
    _announce(work, chapter_ids, new_work=new_work)


# --- Works ----------------------------------------------------------------------------------


@transaction.atomic
def create_work(
    *,
    creators: list[Pseud],
    metadata: WorkMetadata,
    chapter: ChapterContent,
    post: bool = True,
    author=None,
) -> Work:
    """Create a work with its first chapter, posted at once or kept as a draft.

    `author` is the account posting it (the first creator's account if None): their pseuds
    among `creators` are credited; anyone else's pseud is invited as a co-creator and shows
    on the work only once its owner accepts."""
    if not creators:
        raise ValidationError({"creators": ["A work needs at least one creator."]})
    author = author or creators[0].user
    refuse_if_suspended(author)
    creators = list(dict.fromkeys(creators))
    own = [pseud for pseud in creators if pseud.user_id == author.pk]
    if not own:
        raise ValidationError({"pseuds": ["Credit at least one of your own pseuds."]})
    html_chapter = Chapter(position=1)
    _all_valid(metadata.validate, lambda: _fill_chapter(html_chapter, chapter))
    work = Work()
    _apply_metadata(work, metadata)
    work.save()
    for position, pseud in enumerate(own):
        Creatorship.objects.create(work=work, pseud=pseud, position=position)
    _invite(work, [pseud for pseud in creators if pseud.user_id != author.pk], author)
    _set_tags(work, metadata)
    html_chapter.work = work
    html_chapter.save()
    if post:
        _post(work)
    _refresh_counts(work)
    chapter_saved.send(sender=Chapter, chapter_id=html_chapter.pk, work_id=work.pk)
    _work_changed(work)
    return work


@transaction.atomic
def post_work(*, work: Work, editor) -> Work:
    """Post a draft work, with all its chapters, so readers can see it. Posting a work that is
    already posted changes nothing: its draft chapters are posted one by one."""
    refuse_if_suspended(editor)
    _require_creator(work, editor)
    work = _locked(work)
    if work.posted:
        return work
    _post(work)
    _refresh_counts(work)
    for chapter_id in work.chapters.values_list("pk", flat=True):
        chapter_saved.send(sender=Chapter, chapter_id=chapter_id, work_id=work.pk)
    _work_changed(work)
    return work


@transaction.atomic
def update_work(
    *,
    work: Work,
    editor,
    metadata: WorkMetadata,
    co_creators=None,
    base_revision: int | None = None,
    post: bool = False,
) -> Work:
    """Revise a work's metadata, and post it too when `post` (a draft's "Post" button).

    `co_creators`, when given, is the full list of pseuds to credit (see `set_creators`).
    `base_revision` is the revision the edit form was loaded at: if the work's metadata was
    changed since, nothing is saved and a ValidationError (code "conflict") says so."""
    refuse_if_suspended(editor)
    _require_creator(work, editor)
    metadata.validate()
    work = _locked(work)
    _check_revision(work.revision, base_revision, "This work")
    _apply_metadata(work, metadata)
    work.revision += 1
    fields = [*_METADATA_FIELDS, "revision", "updated_at"]
    if work.posted:
        work.revised_at = timezone.now()
        fields.append("revised_at")
    work.save(update_fields=fields)
    _set_tags(work, metadata)
    if co_creators is not None:
        set_creators(work=work, editor=editor, pseuds=co_creators)
    if post and not work.posted:
        _post(work)
    _refresh_counts(work)
    _work_changed(work)
    return work


@transaction.atomic
def delete_work(*, work: Work, editor) -> None:
    _require_creator(work, editor)
    _locked(work).delete()
    versions.bump_listings()


# --- Chapters -------------------------------------------------------------------------------


@transaction.atomic
def add_chapter(*, work: Work, editor, content: ChapterContent, post: bool = True) -> Chapter:
    """Add a chapter at the end. On a draft work the chapter stays a draft too."""
    refuse_if_suspended(editor)
    _require_creator(work, editor)
    work = _locked(work)
    last = work.chapters.aggregate(last=Max("position"))["last"] or 0
    chapter = Chapter(work=work, position=last + 1)
    _fill_chapter(chapter, content)
    if post and work.posted:
        now = timezone.now()
        chapter.posted = True
        chapter.published_at = now
        work.revised_at = now
        work.save(update_fields=["revised_at", "updated_at"])
    chapter.save()
    if chapter.posted:
        _announce(work, [chapter.pk])
    _refresh_counts(work)
    _chapter_saved(chapter)
    return chapter


@transaction.atomic
def edit_chapter(
    *,
    chapter: Chapter,
    editor,
    content: ChapterContent,
    base_revision: int | None = None,
    post: bool = False,
) -> Chapter:
    """Save a chapter's new content, and post it too when `post` ("Post" on a draft).

    Paragraphs that did not change, or changed a little, keep their ids. `base_revision` is
    the chapter's revision when the form was loaded: if it was saved since (another tab, a
    co-creator), nothing is saved and a ValidationError (code "conflict") says so."""
    refuse_if_suspended(editor)
    _require_creator(chapter.work, editor)
    work = _locked(chapter.work)
    chapter = Chapter.objects.select_for_update().get(pk=chapter.pk, work=work)
    _check_revision(chapter.revision, base_revision, "This chapter")
    previous = history.snapshot(chapter)
    _fill_chapter(chapter, content)
    # The text this save replaces is kept (works.history), in this transaction.
    history.keep_previous(chapter, previous, editor=editor)
    chapter.revision += 1
    now = timezone.now()
    newly_posted = post and not chapter.posted and work.posted
    if newly_posted:
        chapter.posted = True
        chapter.published_at = now
    chapter.save()
    if newly_posted:
        _announce(work, [chapter.pk])
    if post and not work.posted:
        _post(work)
    elif chapter.posted:
        work.revised_at = now
        work.save(update_fields=["revised_at", "updated_at"])
    _refresh_counts(work)
    _chapter_saved(chapter)
    chapter.work = work
    return chapter


@transaction.atomic
def restore_chapter_version(
    *, chapter: Chapter, editor, number: int, base_revision: int | None = None
) -> Chapter:
    """Make an earlier version the chapter's text again. It is an edit like any other: the
    current text is kept as a version, paragraph ids carry over, inline comments re-anchor."""
    _require_creator(chapter.work, editor)
    version = chapter.versions.filter(number=number).first()
    if version is None:
        raise ValidationError("That version of the chapter is no longer kept.")
    plain = version.text_format != TextFormat.HTML and version.text_source
    content = ChapterContent(
        text=version.text_source if plain else version.text,
        text_format=version.text_format if plain else TextFormat.HTML,
        title=version.title,
        summary=version.summary,
        notes=version.notes,
        end_notes=version.end_notes,
    )
    return edit_chapter(
        chapter=chapter, editor=editor, content=content, base_revision=base_revision
    )


@transaction.atomic
def post_chapter(*, chapter: Chapter, editor) -> Chapter:
    """Post a draft chapter of a posted work (posting a draft work posts all its chapters)."""
    refuse_if_suspended(editor)
    _require_creator(chapter.work, editor)
    work = _locked(chapter.work)
    if not work.posted:
        _post(work)
    elif not chapter.posted:
        now = timezone.now()
        Chapter.objects.filter(pk=chapter.pk).update(posted=True, published_at=now)
        work.revised_at = now
        work.save(update_fields=["revised_at", "updated_at"])
        _announce(work, [chapter.pk])
    _refresh_counts(work)
    chapter.refresh_from_db()
    _chapter_saved(chapter)
    return chapter


@transaction.atomic
def reorder_chapters(*, work: Work, editor, chapter_ids: list[int]) -> None:
    """Put the work's chapters in the order of `chapter_ids`, which must list each once."""
    _require_creator(work, editor)
    work = _locked(work)
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
    _work_changed(work)


@transaction.atomic
def delete_chapter(*, chapter: Chapter, editor) -> None:
    _require_creator(chapter.work, editor)
    work = _locked(chapter.work)
    chapter = Chapter.objects.get(pk=chapter.pk, work=work)
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
    _work_changed(work)


# --- Creators -------------------------------------------------------------------------------

ORPHAN_ACCOUNT = "orphan_account"


def _invite(work: Work, pseuds: list[Pseud], inviter) -> None:
    credited = set(work.creatorships.values_list("pseud_id", flat=True))
    for pseud in pseuds:
        if pseud.pk not in credited:
            CreatorInvitation.objects.get_or_create(
                work=work, pseud=pseud, defaults={"invited_by": inviter}
            )


@transaction.atomic
def set_creators(*, work: Work, editor, pseuds: list[Pseud]) -> None:
    """Credit `pseuds` on the work, as the editor asks from the work's form.

    The editor chooses which of their own pseuds are credited (at least one). Other people's
    pseuds are invited, not credited: they appear once accepted. A co-creator who already
    accepted can only leave by themselves; an invitation not in the list is withdrawn."""
    _require_creator(work, editor)
    work = _locked(work)
    pseuds = list(dict.fromkeys(pseuds))
    own = [pseud for pseud in pseuds if pseud.user_id == editor.pk]
    others = [pseud for pseud in pseuds if pseud.user_id != editor.pk]
    if not own:
        raise ValidationError({"pseuds": ["You cannot remove yourself from a work here."]})
    credited = list(work.creatorships.select_related("pseud__user"))
    wanted_ids = {pseud.pk for pseud in pseuds}
    dropped = [c.pseud for c in credited if c.pseud.user_id != editor.pk]
    dropped = [pseud for pseud in dropped if pseud.pk not in wanted_ids]
    if dropped:
        names = ", ".join(str(pseud) for pseud in dropped)
        raise ValidationError(
            {"co_creators": [f"Only {names} can remove themselves from this work."]}
        )
    work.creatorships.filter(pseud__user=editor).exclude(pseud__in=own).delete()
    have = set(work.creatorships.values_list("pseud_id", flat=True))
    for pseud in own:
        if pseud.pk not in have:
            Creatorship.objects.create(work=work, pseud=pseud, position=len(have))
            have.add(pseud.pk)
    work.creator_invitations.exclude(pseud__in=others).delete()
    _invite(work, others, editor)
    _work_changed(work)


@transaction.atomic
def accept_creator_invitation(*, invitation: CreatorInvitation, user) -> Creatorship:
    """The invited creator accepts: they are credited and can edit the work."""
    invitation = CreatorInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.pseud.user_id != user.pk:
        raise PermissionDenied("Only the invited creator can accept.")
    work = _locked(invitation.work)
    position = work.creatorships.count()
    creatorship, _ = Creatorship.objects.get_or_create(
        work=work, pseud=invitation.pseud, defaults={"position": position}
    )
    invitation.delete()
    _work_changed(work)
    return creatorship


@transaction.atomic
def decline_creator_invitation(*, invitation: CreatorInvitation, user) -> None:
    if invitation.pseud.user_id != user.pk:
        raise PermissionDenied("Only the invited creator can decline.")
    CreatorInvitation.objects.filter(pk=invitation.pk).delete()


def orphan_pseud() -> Pseud:
    """The pseud of AO3's "orphan_account", which is credited on works their creators left."""
    from ficshelf.accounts.models import User

    user = User.objects.filter(username=ORPHAN_ACCOUNT).first()
    if user is None:
        user = User.objects.create_user(
            username=ORPHAN_ACCOUNT, email="", password=None, is_active=False
        )
    return user.default_pseud


@transaction.atomic
def leave_work(*, work: Work, user) -> None:
    """Remove all of `user`'s pseuds from the work. When they were its last creator, the work
    stays up, credited to the orphan account, as on AO3 (delete it instead to take it down)."""
    _require_creator(work, user)
    work = _locked(work)
    work.creatorships.filter(pseud__user=user).delete()
    # Orphaning is anonymous: the history no longer names them, their autosaves go.
    history.forget_editor(work, user)
    if not work.creatorships.exists():
        Creatorship.objects.create(work=work, pseud=orphan_pseud(), position=0)
        work.creator_invitations.all().delete()
    _work_changed(work)
