"""Checking chapters for their creators, and changing drafts with the fixes they accept.

Only a work's creators may check its chapters. A fix changes a draft chapter only, and only the
text that was checked: when the chapter changed since, the author is asked to check it again.
The counts of each draft chapter are kept (ChapterCheckSummary) by a background task, so the
author's list of drafts shows them without checking anything while the page is made.
"""

import hashlib
import html
import logging
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ficshelf.tags.models import TagKind
from ficshelf.userstuff import TextFormat, count_words, html_to_text, to_html
from ficshelf.works.models import Chapter, Work
from ficshelf.works.services import ChapterContent, edit_chapter

from .engine.checker import StaleText, apply_fix, check_html
from .engine.findings import Category, CheckResult, Finding, Severity
from .engine.html_text import extract
from .models import (
    CHECKER_VERSION,
    IGNORED_TEXT_MAX,
    ChapterCheck,
    ChapterCheckSummary,
    DictionaryWord,
    IgnoredFinding,
)

logger = logging.getLogger(__name__)

LONG_TEXT_MESSAGE = (
    "This chapter is too long to check while you wait. Save it, then open its beta reader "
    "report: long chapters are checked in the background."
)
POSTED_CHAPTER_MESSAGE = (
    "Open the chapter in the editor to apply fixes: "
    "a posted chapter never changes behind your back."
)
# Tags whose names are words of the story: "Olivia Benson", "Alex/Olivia", "Law & Order: SVU".
NAME_TAG_KINDS = (TagKind.FANDOM, TagKind.RELATIONSHIP, TagKind.CHARACTER)
# Runs of letters, with apostrophes and hyphens inside: O'Neill, Jean-Luc.
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_ENTITY = re.compile(r"&#?\w+;")
_SPACE = re.compile(r"\s+")
# A page of drafts asks again for a chapter's check only after this long (the worker may be down).
ASK_AGAIN_SECONDS = 10 * 60
# Chapters per summarize task, so one task never runs for minutes.
SUMMARY_BATCH = 20


class StaleCheck(Exception):
    """The chapter changed since it was checked: check it again before fixing."""


class StillChecking(Exception):
    """A long chapter is being checked in the background; `check` says how far it got."""

    def __init__(self, check: ChapterCheck):
        super().__init__("The beta reader is still checking this chapter.")
        self.check = check


@dataclass(frozen=True)
class Fix:
    """Replace html[start:end], which must still be `expected`, with `replacement` (plain text)."""

    start: int
    end: int
    expected: str
    replacement: str


def text_hash(text: str) -> str:
    """What a fix form carries to prove it was made for this very text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def require_creator(work: Work, user) -> None:
    if not Work.objects.editable_by(user).filter(pk=work.pk).exists():
        raise PermissionDenied("Only the work's creators can check it.")


# --- Vocabulary -----------------------------------------------------------------------------


def names_in(tag_names: Iterable[str]) -> set[str]:
    """The words of tag names, whole and by their hyphenated parts: "Jean-Luc Picard/Q" gives
    Jean-Luc, Jean, Luc, Picard and Q."""
    words = set()
    for name in tag_names:
        for word in _NAME_WORD.findall(name):
            words.add(word)
            words.update(part for part in re.split(r"[-']", word) if part)
    return words


def vocabulary_for(work: Work | None, user, *, tag_names: Iterable[str] = ()) -> set[str]:
    """Words never to flag as misspelt: names from the work's characters, fandoms and
    relationships (or `tag_names`, for a work not posted yet) and the author's dictionary."""
    names = list(tag_names)
    if work is not None:
        names += work.tags.filter(kind__in=NAME_TAG_KINDS).values_list("name", flat=True)
    words = names_in(names)
    if user is not None and user.is_authenticated:
        words.update(DictionaryWord.objects.filter(user=user).values_list("word", flat=True))
    return words


def variant_of(work: Work | None) -> str:
    """The English a work's spellings are checked in: its language tag ("en-gb" British, "en"
    American with British spellings let be). Works keep no variant of their own: the tag the
    author chose says it."""
    return work.language if work is not None and work.language else "en"


def _known(finding: Finding, vocabulary_lower: set[str]) -> bool:
    """A spelling finding for a word the author says is right (also in its possessive)."""
    if finding.category != Category.SPELLING:
        return False
    word = html.unescape(finding.text).lower()
    for ending in ("'s", "’s"):
        word = word.removesuffix(ending)
    return word in vocabulary_lower


# --- Checking -------------------------------------------------------------------------------


def ignored_findings(work: Work | None, chapter: Chapter | None) -> set[tuple[str, str]]:
    if work is None or not work.pk:
        return set()
    return set(
        IgnoredFinding.objects.for_chapter(work, chapter).values_list("rule", "text").distinct()
    )


def check_chapter_html(
    html_text: str,
    *,
    vocabulary: set[str],
    ignored: set[tuple[str, str]],
    include_style: bool,
    variant: str = "en",
) -> CheckResult:
    result = check_html(
        html_text, vocabulary=sorted(vocabulary), include_style=include_style, variant=variant
    )
    return _filtered(result, vocabulary=vocabulary, ignored=ignored, include_style=include_style)


def _filtered(
    result: CheckResult,
    *,
    vocabulary: set[str],
    ignored: set[tuple[str, str]],
    include_style: bool,
) -> CheckResult:
    """`result` without what the author ignored or put in their dictionary."""
    lower = {word.lower() for word in vocabulary}
    findings = [
        finding
        for finding in result.findings
        if (finding.rule, finding.text) not in ignored
        and not _known(finding, lower)
        and (include_style or finding.severity != Severity.STYLE)
    ]
    return CheckResult(
        findings=sorted(findings, key=lambda f: (f.start, f.end)),
        skipped_reason=result.skipped_reason,
        word_count=result.word_count,
    )


def check_chapter(*, chapter: Chapter, user, include_style: bool = False) -> CheckResult:
    """The chapter's findings, as the checker reports them on its HTML, without the ones its
    creators chose to ignore. Only creators may check a chapter.

    A long chapter (checked_in_background) is not checked here: its background check's result
    is read, and StillChecking is raised while there is none for its text yet."""
    work = chapter.work
    require_creator(work, user)
    if checked_in_background(chapter):
        check = background_check(chapter=chapter, user=user, include_style=include_style)
        if not check.done:
            raise StillChecking(check)
        return _filtered(
            CheckResult.from_json(check.result),
            vocabulary=vocabulary_for(work, user),
            ignored=ignored_findings(work, chapter),
            include_style=include_style,
        )
    return check_chapter_html(
        chapter.text,
        vocabulary=vocabulary_for(work, user),
        ignored=ignored_findings(work, chapter),
        include_style=include_style,
        variant=variant_of(work),
    )


def check_typed_text(
    *,
    user,
    text: str,
    text_format: str,
    work: Work | None = None,
    chapter: Chapter | None = None,
    tag_names: Iterable[str] = (),
    include_style: bool = False,
) -> tuple[str, CheckResult]:
    """Check text typed into a posting form, saving nothing. Returns the clean HTML the text
    would be stored as (the findings' offsets are into it) and the result."""
    if work is not None:
        require_creator(work, user)
    clean = to_html(text, text_format)
    if len(clean) > BACKGROUND_CHARACTERS:
        return clean, CheckResult(
            findings=[], skipped_reason=LONG_TEXT_MESSAGE, word_count=count_words(clean)
        )
    result = check_chapter_html(
        clean,
        vocabulary=vocabulary_for(work, user, tag_names=tag_names),
        ignored=ignored_findings(work, chapter),
        include_style=include_style,
        variant=variant_of(work),
    )
    return clean, result


# --- Long chapters, checked in the background -----------------------------------------------

# A chapter longer than this (characters of its HTML, about 10,000 words) is checked in the
# background: on unseen text the checker takes about a second per 5,000 words, and no request
# may wait for it.
BACKGROUND_CHARACTERS = 60_000
# The background check tells how far it got in steps of at least this many percent.
PROGRESS_STEP = 5


def checked_in_background(chapter: Chapter) -> bool:
    return len(chapter.text) > BACKGROUND_CHARACTERS


def background_check(*, chapter: Chapter, user, include_style: bool = False) -> ChapterCheck:
    """The background check of a long chapter as its text is now: done, or how far it got.

    A check is asked for (after the commit) when there is none for the chapter's current text,
    when the last one failed, or when one has waited ASK_AGAIN_SECONDS (the worker may be down)."""
    require_creator(chapter.work, user)
    digest = text_hash(chapter.text)
    now = timezone.now()
    with transaction.atomic():
        check, created = ChapterCheck.objects.select_for_update().get_or_create(
            chapter=chapter,
            include_style=include_style,
            defaults={"text_hash": digest, "checker_version": CHECKER_VERSION, "requested_at": now},
        )
        waited = (now - check.requested_at).total_seconds() > ASK_AGAIN_SECONDS
        if (
            created
            or not check.is_current(digest)
            or check.status == ChapterCheck.Status.FAILED
            or (not check.done and waited)
        ):
            check.text_hash, check.checker_version = digest, CHECKER_VERSION
            check.status, check.progress, check.result = ChapterCheck.Status.WAITING, 0, None
            check.requested_at, check.finished_at = now, None
            check.save()
            # Imported here: tasks.py calls this module.
            from .tasks import check_long_chapter

            check_id = check.pk
            transaction.on_commit(lambda: check_long_chapter.enqueue(check_id), robust=True)
    return check


def run_background_check(*, check_id: int) -> ChapterCheck | None:
    """Check the chapter of a background check as its text is now, saving how far it got as
    it goes (each save its own commit, so the author's page sees it), then the result."""
    check = ChapterCheck.objects.select_related("chapter__work").filter(pk=check_id).first()
    if check is None:
        return None
    chapter = check.chapter
    digest = text_hash(chapter.text)
    rows = ChapterCheck.objects.filter(pk=check.pk)
    rows.update(status=ChapterCheck.Status.CHECKING, progress=0, text_hash=digest)
    reported = [0]

    def progress(fraction: float) -> None:
        percent = min(99, int(fraction * 100))
        if percent >= reported[0] + PROGRESS_STEP:
            reported[0] = percent
            rows.filter(text_hash=digest).update(progress=percent)

    try:
        result = check_html(
            chapter.text,
            vocabulary=sorted(_creators_vocabulary(chapter.work)),
            include_style=check.include_style,
            variant=variant_of(chapter.work),
            progress=progress,
        )
    except Exception:
        rows.filter(text_hash=digest).update(status=ChapterCheck.Status.FAILED)
        raise
    rows.filter(text_hash=digest).update(
        status=ChapterCheck.Status.DONE,
        progress=100,
        result=result.as_json(),
        finished_at=timezone.now(),
    )
    check.refresh_from_db()
    return check


def _forget_background_checks(chapters: QuerySet) -> None:
    """The names a check takes as right changed: the long chapters are checked again."""
    ChapterCheck.objects.filter(chapter__in=chapters).update(checker_version="")


# --- Summaries for the list of drafts --------------------------------------------------------


def _creators_vocabulary(work: Work) -> set[str]:
    """The words a summary takes as right: the work's names and every creator's dictionary
    (a summary is one per chapter, whichever creator looks at it)."""
    words = vocabulary_for(work, None)
    words.update(
        DictionaryWord.objects.filter(user__pseuds__creatorships__work=work).values_list(
            "word", flat=True
        )
    )
    return words


def save_chapter_summary(*, chapter_id: int) -> ChapterCheckSummary | None:
    """Check a draft chapter, as read now, and store its counts; None for a chapter that is
    gone or posted. A summary already stored for a newer revision is kept."""
    chapter = Chapter.objects.select_related("work").filter(pk=chapter_id).first()
    if chapter is None or chapter.posted:
        return None
    counts = check_chapter_html(
        chapter.text,
        vocabulary=_creators_vocabulary(chapter.work),
        ignored=ignored_findings(chapter.work, chapter),
        include_style=False,
        variant=variant_of(chapter.work),
    ).counts()
    values = {
        "revision": chapter.revision,
        "checker_version": CHECKER_VERSION,
        "stale": False,
        "errors": counts[Severity.ERROR],
        "suggestions": counts[Severity.SUGGESTION],
        "checked_at": timezone.now(),
    }
    with transaction.atomic():
        summary, created = ChapterCheckSummary.objects.select_for_update().get_or_create(
            chapter=chapter, defaults=values
        )
        if not created and summary.revision <= chapter.revision:
            for name, value in values.items():
                setattr(summary, name, value)
            summary.save()
    return summary


def schedule_summaries(chapter_ids: Iterable[int]) -> None:
    """Check these chapters again in the background, once the current transaction commits."""
    # Imported here: tasks.py calls this module.
    from .tasks import summarize_chapters

    ids = list(dict.fromkeys(chapter_ids))
    for first in range(0, len(ids), SUMMARY_BATCH):
        batch = ids[first : first + SUMMARY_BATCH]
        transaction.on_commit(lambda batch=batch: summarize_chapters.enqueue(batch), robust=True)


def _recheck(chapters: QuerySet) -> None:
    """What these chapters' counts depend on changed: their summaries are stale until the
    background check (scheduled here) stores new ones. A draft without a summary yet needs
    nothing: its check is on its way, or the badge asks for it."""
    summaries = ChapterCheckSummary.objects.filter(chapter__in=chapters.filter(posted=False))
    ids = list(summaries.values_list("chapter_id", flat=True))
    if ids:
        summaries.update(stale=True)
        schedule_summaries(ids)


def recheck_work(*, work_id: int) -> None:
    """A work's tags or creators changed, so the names its drafts may use changed too."""
    _recheck(Chapter.objects.filter(work_id=work_id))
    _forget_background_checks(Chapter.objects.filter(work_id=work_id))


@dataclass
class DraftSummary:
    """What the beta reader found in a draft, from the stored summaries."""

    chapter_ids: list[int]
    errors: int = 0
    suggestions: int = 0
    pending: int = 0  # chapters without a current summary: being checked

    @property
    def counts(self) -> dict[str, int]:
        return {str(Severity.ERROR): self.errors, str(Severity.SUGGESTION): self.suggestions}


def draft_summaries(work_ids: Iterable[int], viewer) -> dict[int, DraftSummary]:
    """The stored counts of those of `work_ids` that are drafts by `viewer`, in one query.

    Nothing is checked here. A chapter without a current summary counts as pending, and its
    check is asked for (at most once in ASK_AGAIN_SECONDS)."""
    work_ids = list(work_ids)
    if not work_ids or viewer is None or not viewer.is_authenticated:
        return {}
    chapters = (
        Chapter.objects.filter(
            work__in=Work.objects.editable_by(viewer).filter(pk__in=work_ids, posted=False)
        )
        .select_related("check_summary")
        .only(
            "pk",
            "work_id",
            "position",
            "revision",
            "check_summary__revision",
            "check_summary__checker_version",
            "check_summary__stale",
            "check_summary__errors",
            "check_summary__suggestions",
        )
        .order_by("work_id", "position")
    )
    drafts: dict[int, DraftSummary] = {}
    missing = []
    for chapter in chapters:
        draft = drafts.setdefault(chapter.work_id, DraftSummary(chapter_ids=[]))
        draft.chapter_ids.append(chapter.pk)
        summary = getattr(chapter, "check_summary", None)
        if summary is not None and summary.is_current(chapter.revision):
            draft.errors += summary.errors
            draft.suggestions += summary.suggestions
        else:
            draft.pending += 1
            missing.append(chapter)
    _ask_for(missing)
    return drafts


def _ask_for(chapters: list[Chapter]) -> None:
    keys = {
        f"betareader:asked:{chapter.pk}:{chapter.revision}:{CHECKER_VERSION}": chapter.pk
        for chapter in chapters
    }
    # cache.add is atomic: of two pages made at once, one asks.
    wanted = [pk for key, pk in keys.items() if cache.add(key, True, ASK_AGAIN_SECONDS)]
    if wanted:
        schedule_summaries(wanted)


# --- Dictionary and ignoring ----------------------------------------------------------------


def _users_drafts(user) -> QuerySet:
    return Chapter.objects.filter(work__in=Work.objects.editable_by(user))


@transaction.atomic
def add_to_dictionary(*, user, word: str) -> DictionaryWord:
    """Never flag `word` (in any case) as misspelt in the user's works again."""
    word = word.strip()
    if not word or any(character.isspace() for character in word):
        raise ValidationError({"word": ["Add one word at a time."]})
    entry, created = DictionaryWord.objects.get_or_create(
        user=user, word__iexact=word, defaults={"word": word}
    )
    if created:
        _recheck(_users_drafts(user))
    return entry


@transaction.atomic
def remove_from_dictionary(*, user, word_id: int) -> None:
    deleted, _ = DictionaryWord.objects.filter(user=user, pk=word_id).delete()
    if deleted:
        _recheck(_users_drafts(user))
        _forget_background_checks(_users_drafts(user))


@transaction.atomic
def ignore_finding(
    *, chapter: Chapter, user, rule: str, text: str, everywhere: bool = False
) -> IgnoredFinding:
    """Stop reporting `rule` on `text` in this chapter, or everywhere in its work."""
    work = chapter.work
    require_creator(work, user)
    if len(text) > IGNORED_TEXT_MAX:
        raise ValidationError("That finding is too long to ignore: change it in the editor.")
    ignored, created = IgnoredFinding.objects.get_or_create(
        work=work,
        chapter=None if everywhere else chapter,
        rule=rule,
        text=text,
        defaults={"created_by": user},
    )
    if created:
        _recheck_ignoring(ignored)
    return ignored


@transaction.atomic
def stop_ignoring(*, chapter: Chapter, user, ignored_id: int) -> None:
    work = chapter.work
    require_creator(work, user)
    ignored = IgnoredFinding.objects.for_chapter(work, chapter).filter(pk=ignored_id).first()
    if ignored is not None:
        ignored.delete()
        _recheck_ignoring(ignored)


def _recheck_ignoring(ignored: IgnoredFinding) -> None:
    if ignored.everywhere:
        _recheck(Chapter.objects.filter(work_id=ignored.work_id))
    else:
        _recheck(Chapter.objects.filter(pk=ignored.chapter_id))


# --- Fixing ---------------------------------------------------------------------------------


def _inside_markup(html_text: str, position: int) -> bool:
    """Whether `position` falls inside a tag or a character reference (&amp;), where nothing
    may be inserted. Sanitized HTML escapes every < and > outside tags."""
    if html_text.rfind("<", 0, position) > html_text.rfind(">", 0, position):
        return True
    return any(
        m.start() < position < m.end()
        for m in _ENTITY.finditer(html_text, max(0, position - 12), position + 12)
    )


def in_text(html_text: str, start: int, end: int) -> bool:
    """Whether html[start:end] is plain text between tags, safe to replace or to mark."""
    if not 0 <= start <= end <= len(html_text):
        return False
    span = html_text[start:end]
    return (
        "<" not in span
        and ">" not in span
        and not _inside_markup(html_text, start)
        and not _inside_markup(html_text, end)
    )


def _apply(html_text: str, fixes: Iterable[Fix]) -> tuple[str, list[Fix]]:
    """Apply `fixes` from the end backwards, so earlier offsets stay right; a fix overlapping
    one already applied is left out. Returns the new HTML and the fixes that were applied."""
    applied, boundary = [], len(html_text) + 1
    for fix in sorted(set(fixes), key=lambda f: (f.start, f.end), reverse=True):
        if fix.end > boundary:
            continue
        if not in_text(html_text, fix.start, fix.end):
            raise ValidationError(
                "That finding runs across formatting: change it in the editor instead."
            )
        try:
            html_text = apply_fix(
                html_text,
                start=fix.start,
                end=fix.end,
                expected=fix.expected,
                replacement=html.escape(fix.replacement, quote=False),
            )
        except StaleText as stale:
            raise StaleCheck(str(stale)) from stale
        applied.append(fix)
        boundary = fix.start
    return html_text, applied


def _lock_draft(chapter: Chapter, user, checked_text_hash: str) -> Chapter:
    require_creator(chapter.work, user)
    # The work first, then the chapter: the order works' edit_chapter locks them in.
    work = Work.objects.select_for_update().get(pk=chapter.work_id)
    chapter = Chapter.objects.select_for_update().get(pk=chapter.pk, work=work)
    chapter.work = work
    if chapter.posted:
        raise ValidationError(POSTED_CHAPTER_MESSAGE, code="posted")
    if text_hash(chapter.text) != checked_text_hash:
        raise StaleCheck("The chapter changed since it was checked.")
    return chapter


# --- Fixing a plain-text or Markdown chapter's own source -------------------------------------

# What Markdown lets a writer type for a character of the visible text, besides the character.
_MARKDOWN_FORMS = {
    "&": ("&amp;", "&#38;", "\\&"),
    "<": ("&lt;", "&#60;", "\\<"),
    ">": ("&gt;", "&#62;", "\\>"),
    "\xa0": ("&nbsp;", "&#160;"),
}
# Characters a replacement must not bring into Markdown as markup.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&~|#])")


def _occurrences_in_html(html_text: str, visible: str) -> list[tuple[int, int]]:
    """Where `visible` stands in the chapter's text, as HTML spans, each within one run of
    text (an occurrence across formatting cannot be a fix's, nor be matched in a source)."""
    extracted = extract(html_text)
    spans, at = [], extracted.text.find(visible)
    while at != -1:
        start, end, _ = extracted.html_span(at, at + len(visible))
        if in_text(html_text, start, end) and html.unescape(html_text[start:end]) == visible:
            spans.append((start, end))
        at = extracted.text.find(visible, at + len(visible))
    return spans


def source_pattern(visible: str, text_format: str) -> re.Pattern:
    parts = []
    for character in visible:
        if character == "\n":
            parts.append(r"[ \t]*\r?\n[ \t]*")
        elif text_format == TextFormat.MARKDOWN:
            forms = _MARKDOWN_FORMS.get(character, ())
            if not forms and character in string.punctuation:
                forms = ("\\" + character,)  # CommonMark's backslash escapes
            parts.append("(?:" + "|".join(map(re.escape, (*forms, character))) + ")")
        else:
            parts.append(re.escape(character))
    return re.compile("".join(parts))


def source_replacement(replacement: str, text_format: str) -> str:
    if text_format == TextFormat.MARKDOWN:
        return _MARKDOWN_SPECIAL.sub(r"\\\1", replacement)
    return replacement


def _visible(html_text: str) -> str:
    return _SPACE.sub(" ", html_to_text(html_text)).strip()


def _source_refused(chapter: Chapter, fix: Fix) -> ValidationError:
    written_in = "Markdown" if chapter.text_format == TextFormat.MARKDOWN else "plain text"
    return ValidationError(
        f"This chapter is written in {written_in}, and the beta reader cannot tell which "
        f"“{html.unescape(fix.expected)}” of your own text to change: "
        "change it in the editor instead.",
        code="source_mismatch",
    )


def fixed_source(chapter: Chapter, fixes: list[Fix], new_html: str) -> str:
    """The chapter's own plain-text or Markdown source with `fixes` (applied to its HTML,
    giving `new_html`) applied to it too.

    The k-th occurrence of a finding's text in the chapter's visible text is taken for the
    k-th occurrence in the source (& < > may be written as entities or escapes in Markdown).
    When the counts differ, or the fixed source would not read as `new_html`, nothing is
    guessed: ValidationError sends the author to the editor."""
    source, text_format = chapter.text_source, chapter.text_format
    if not source:
        raise _source_refused(chapter, fixes[0])
    edits = []
    for fix in fixes:
        visible = html.unescape(fix.expected)
        in_html = _occurrences_in_html(chapter.text, visible) if visible else []
        in_source = list(source_pattern(visible, text_format).finditer(source)) if visible else []
        if (fix.start, fix.end) not in in_html or len(in_html) != len(in_source):
            raise _source_refused(chapter, fix)
        match = in_source[in_html.index((fix.start, fix.end))]
        edits.append((match.start(), match.end(), fix))
    edits.sort(key=lambda edit: edit[0], reverse=True)
    boundary = len(source) + 1
    for start, end, fix in edits:
        if end > boundary:
            raise _source_refused(chapter, fix)
        source = source[:start] + source_replacement(fix.replacement, text_format) + source[end:]
        boundary = start
    if _visible(to_html(source, text_format)) != _visible(new_html):
        raise _source_refused(chapter, fixes[0])
    return source


def _save_text(chapter: Chapter, user, new_html: str, fixes: list[Fix]) -> Chapter:
    """Save the fixed text in the chapter's own format: a plain-text or Markdown chapter keeps
    its source (fixed too), never turned into HTML. Through the works' own edit path, so the
    text is cleaned, the word counts follow and the chapter's revision moves on."""
    if chapter.text_format == TextFormat.HTML:
        text = new_html
    else:
        text = fixed_source(chapter, fixes, new_html)
    content = ChapterContent(
        text=text,
        text_format=chapter.text_format,
        title=chapter.title,
        summary=chapter.summary,
        notes=chapter.notes,
        end_notes=chapter.end_notes,
    )
    try:
        return edit_chapter(
            chapter=chapter, editor=user, content=content, base_revision=chapter.revision
        )
    except ValidationError as error:
        if getattr(error, "code", None) == "conflict":
            raise StaleCheck("The chapter changed since it was checked.") from error
        raise


@transaction.atomic
def apply_fixes(*, chapter: Chapter, user, fixes: list[Fix], checked_text_hash: str) -> int:
    """Apply accepted fixes to a draft chapter's text; returns how many were applied.

    Raises StaleCheck when the chapter is no longer the text that was checked (nothing is
    changed), and ValidationError for a posted chapter, which is changed only in the editor."""
    chapter = _lock_draft(chapter, user, checked_text_hash)
    new_html, applied = _apply(chapter.text, fixes)
    if applied:
        _save_text(chapter, user, new_html, applied)
    return len(applied)


@transaction.atomic
def fix_all_of_kind(
    *,
    chapter: Chapter,
    user,
    rule: str,
    text: str,
    replacement: str,
    checked_text_hash: str,
    include_style: bool = False,
) -> int:
    """Replace every finding of `rule` on the same `text` that offers `replacement`; returns
    how many were fixed. Same guarantees as apply_fixes."""
    chapter = _lock_draft(chapter, user, checked_text_hash)
    result = check_chapter(chapter=chapter, user=user, include_style=include_style)
    fixes = [
        Fix(finding.start, finding.end, finding.text, replacement)
        for finding in result.findings
        if finding.rule == rule and finding.text == text and replacement in finding.suggestions
    ]
    if not fixes:
        raise ValidationError("There is nothing of this kind left to fix.")
    new_html, applied = _apply(chapter.text, fixes)
    _save_text(chapter, user, new_html, applied)
    return len(applied)
