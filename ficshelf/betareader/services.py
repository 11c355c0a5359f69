"""Checking chapters for their creators, and changing drafts with the fixes they accept.

Only a work's creators may check its chapters. A fix changes a draft chapter only, and only the
text that was checked: when the chapter changed since, the author is asked to check it again.
"""

import hashlib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ficshelf.tags.models import TagKind
from ficshelf.userstuff import to_html
from ficshelf.works.models import Chapter, Work
from ficshelf.works.services import ChapterContent, edit_chapter

from .checker import StaleText, apply_fix, check_html
from .findings import Category, CheckResult, Finding, Severity
from .models import IGNORED_TEXT_MAX, DictionaryWord, IgnoredFinding

POSTED_CHAPTER_MESSAGE = (
    "Open the chapter in the editor to apply fixes: "
    "a posted chapter never changes behind your back."
)
# Tags whose names are words of the story: "Olivia Benson", "Alex/Olivia", "Law & Order: SVU".
NAME_TAG_KINDS = (TagKind.FANDOM, TagKind.RELATIONSHIP, TagKind.CHARACTER)
# Runs of letters, with apostrophes and hyphens inside: O'Neill, Jean-Luc.
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_ENTITY = re.compile(r"&#?\w+;")
SUMMARY_CACHE_SECONDS = 24 * 60 * 60


class StaleCheck(Exception):
    """The chapter changed since it was checked: check it again before fixing."""


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


def _require_creator(work: Work, user) -> None:
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


def _known(finding: Finding, vocabulary_lower: set[str]) -> bool:
    """A spelling finding for a word the author says is right (also in its possessive)."""
    if finding.category != Category.SPELLING:
        return False
    word = html.unescape(finding.text).lower()
    for ending in ("'s", "’s"):
        word = word.removesuffix(ending)
    return word in vocabulary_lower


# --- Checking -------------------------------------------------------------------------------


def _ignored(work: Work | None, chapter: Chapter | None) -> set[tuple[str, str]]:
    if work is None or not work.pk:
        return set()
    return set(
        IgnoredFinding.objects.for_chapter(work, chapter).values_list("rule", "text").distinct()
    )


def _check(
    html_text: str,
    *,
    vocabulary: set[str],
    ignored: set[tuple[str, str]],
    include_style: bool,
) -> CheckResult:
    result = check_html(html_text, vocabulary=sorted(vocabulary), include_style=include_style)
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
    creators chose to ignore. Only creators may check a chapter."""
    work = chapter.work
    _require_creator(work, user)
    return _check(
        chapter.text,
        vocabulary=vocabulary_for(work, user),
        ignored=_ignored(work, chapter),
        include_style=include_style,
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
        _require_creator(work, user)
    clean = to_html(text, text_format)
    result = _check(
        clean,
        vocabulary=vocabulary_for(work, user, tag_names=tag_names),
        ignored=_ignored(work, chapter),
        include_style=include_style,
    )
    return clean, result


def _summary_key(chapter: Chapter, vocabulary: set[str], ignored: set) -> str:
    parts = [text_hash(chapter.text), *sorted(vocabulary), "\0", *map(repr, sorted(ignored))]
    return "betareader:counts:" + text_hash("\n".join(parts))


def summarize_draft(*, work: Work, user) -> dict[str, int]:
    """Errors and suggestions over a draft's chapters, for the author's list of drafts.

    Counts are cached under a hash of each chapter's text, the vocabulary and what is
    ignored, so a badge is recomputed only when one of them changed."""
    _require_creator(work, user)
    vocabulary = vocabulary_for(work, user)
    totals = {str(severity): 0 for severity in Severity}
    for chapter in work.chapters.all():
        ignored = _ignored(work, chapter)
        key = _summary_key(chapter, vocabulary, ignored)
        counts = cache.get(key)
        if counts is None:
            counts = _check(
                chapter.text, vocabulary=vocabulary, ignored=ignored, include_style=False
            ).counts()
            cache.set(key, counts, SUMMARY_CACHE_SECONDS)
        for severity, count in counts.items():
            totals[severity] += count
    return totals


# --- Dictionary and ignoring ----------------------------------------------------------------


def add_to_dictionary(*, user, word: str) -> DictionaryWord:
    """Never flag `word` (in any case) as misspelt in the user's works again."""
    word = word.strip()
    if not word or any(character.isspace() for character in word):
        raise ValidationError({"word": ["Add one word at a time."]})
    entry, _ = DictionaryWord.objects.get_or_create(
        user=user, word__iexact=word, defaults={"word": word}
    )
    return entry


def remove_from_dictionary(*, user, word_id: int) -> None:
    DictionaryWord.objects.filter(user=user, pk=word_id).delete()


@transaction.atomic
def ignore_finding(
    *, chapter: Chapter, user, rule: str, text: str, everywhere: bool = False
) -> IgnoredFinding:
    """Stop reporting `rule` on `text` in this chapter, or everywhere in its work."""
    work = chapter.work
    _require_creator(work, user)
    if len(text) > IGNORED_TEXT_MAX:
        raise ValidationError("That finding is too long to ignore: change it in the editor.")
    ignored, _ = IgnoredFinding.objects.get_or_create(
        work=work,
        chapter=None if everywhere else chapter,
        rule=rule,
        text=text,
        defaults={"created_by": user},
    )
    return ignored


def stop_ignoring(*, chapter: Chapter, user, ignored_id: int) -> None:
    work = chapter.work
    _require_creator(work, user)
    IgnoredFinding.objects.for_chapter(work, chapter).filter(pk=ignored_id).delete()


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


def _apply(html_text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """Apply `fixes` from the end backwards, so earlier offsets stay right; a fix overlapping
    one already applied is left out. Returns the new HTML and how many fixes were applied."""
    applied, boundary = 0, len(html_text) + 1
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
        applied += 1
        boundary = fix.start
    return html_text, applied


def _lock_draft(chapter: Chapter, user, checked_text_hash: str) -> Chapter:
    _require_creator(chapter.work, user)
    chapter = Chapter.objects.select_for_update().select_related("work").get(pk=chapter.pk)
    if chapter.posted:
        raise ValidationError(POSTED_CHAPTER_MESSAGE, code="posted")
    if text_hash(chapter.text) != checked_text_hash:
        raise StaleCheck("The chapter changed since it was checked.")
    return chapter


def _save_text(chapter: Chapter, user, new_html: str) -> Chapter:
    # Through the works' own edit path, so the text is cleaned and the word counts follow.
    content = ChapterContent(
        text=new_html,
        text_format="html",
        title=chapter.title,
        summary=chapter.summary,
        notes=chapter.notes,
        end_notes=chapter.end_notes,
    )
    return edit_chapter(chapter=chapter, editor=user, content=content)


@transaction.atomic
def apply_fixes(*, chapter: Chapter, user, fixes: list[Fix], checked_text_hash: str) -> int:
    """Apply accepted fixes to a draft chapter's text; returns how many were applied.

    Raises StaleCheck when the chapter is no longer the text that was checked (nothing is
    changed), and ValidationError for a posted chapter, which is changed only in the editor."""
    chapter = _lock_draft(chapter, user, checked_text_hash)
    new_html, applied = _apply(chapter.text, fixes)
    if applied:
        _save_text(chapter, user, new_html)
    return applied


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
    _save_text(chapter, user, new_html)
    return applied
