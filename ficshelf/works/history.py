"""Chapters' revision history: every save that changes a chapter keeps the text it replaced.

`keep_previous` is called by `services.edit_chapter` inside its transaction, on the locked
chapter row, so a version is never lost nor written twice; restoring a version is itself an
edit (`services.restore_chapter_version`), so the current text becomes a version in turn and
the chapter's paragraph ids, inline comments and caches follow as after any edit.

(`works.versions` is something else: the page-cache version counters.)
"""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ficshelf.userstuff.paragraphs import paragraphs_of

from .models import Chapter, ChapterVersion, FormAutosave

# The newest versions kept per chapter; older ones are deleted by the save that makes a new
# one. 100 saves cover months of a writer's edits at a bounded cost per chapter.
VERSIONS_KEPT = 100

# What a version holds besides who and when.
_CONTENT_FIELDS = ("title", "summary", "notes", "end_notes", "text", "text_format", "text_source")


def snapshot(chapter: Chapter) -> dict:
    """The chapter's content as stored, taken before an edit changes it."""
    values = {name: getattr(chapter, name) for name in _CONTENT_FIELDS}
    return values | {"word_count": chapter.word_count, "saved_at": chapter.updated_at}


def keep_previous(chapter: Chapter, previous: dict, *, editor) -> ChapterVersion | None:
    """Keep `previous` (a `snapshot` of the locked `chapter` before this save) as a version,
    unless the save changed nothing; drop versions beyond VERSIONS_KEPT."""
    if all(previous[name] == getattr(chapter, name) for name in _CONTENT_FIELDS):
        return None
    latest = chapter.versions.order_by("-number").only("number", "replaced_by").first()
    version = ChapterVersion.objects.create(
        chapter=chapter,
        number=(latest.number + 1) if latest else 1,
        # Whoever replaced the version before this one saved this text.
        saved_by_id=latest.replaced_by_id if latest else None,
        replaced_by=editor,
        **previous,
    )
    cutoff = version.number - VERSIONS_KEPT
    if cutoff > 0:
        chapter.versions.filter(number__lte=cutoff).delete()
    return version


def current_saved_by(chapter: Chapter):
    """Who saved the chapter's current text, when a kept version says (else None)."""
    latest = chapter.versions.order_by("-number").select_related("replaced_by").first()
    return latest.replaced_by if latest else None


def forget_editor(work, user) -> None:
    """`user` left the work: its versions no longer say who they were, and what they had
    autosaved into its forms goes (they cannot open those forms any more)."""
    versions = ChapterVersion.objects.filter(chapter__work=work)
    versions.filter(saved_by=user).update(saved_by=None)
    versions.filter(replaced_by=user).update(replaced_by=None)
    FormAutosave.objects.filter(user=user, work=work).delete()


# --- Comparing two texts ----------------------------------------------------------------------


@dataclass
class DiffRow:
    """One row of a comparison: a paragraph kept, removed, added or changed (then `pieces`
    are (op, text) with op "same", "removed" or "added", word by word), or a run of
    `skipped` unchanged paragraphs left out."""

    kind: str
    old: str = ""
    new: str = ""
    pieces: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0


@dataclass
class Diff:
    rows: list[DiffRow]
    added: int = 0
    removed: int = 0
    changed: int = 0

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.changed)


# Unchanged paragraphs shown around a change; longer runs are folded.
_CONTEXT = 1


def _words(old: str, new: str) -> list[tuple[str, str]]:
    a, b = old.split(" "), new.split(" ")
    pieces = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("added", " ".join(b[j1:j2])))
    return pieces


def texts(html: str) -> list[str]:
    """The visible text of each paragraph, what comparisons work on."""
    return [p.text for p in paragraphs_of(html)]


def compare(old_html: str, new_html: str, *, new_texts: list[str] | None = None) -> Diff:
    """Paragraph by paragraph, from `old_html` to `new_html`, on the visible text (so markup
    shows nowhere; the template escapes every piece). `new_texts`: `texts(new_html)` when the
    caller compares many versions with one text."""
    old = texts(old_html)
    new = texts(new_html) if new_texts is None else new_texts
    diff = Diff(rows=[])
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new).get_opcodes():
        if op == "equal":
            run = old[i1:i2]
            if len(run) <= 2 * _CONTEXT + 1:
                diff.rows += [DiffRow("same", old=text, new=text) for text in run]
                continue
            head = run[:_CONTEXT] if i1 else []
            tail = run[-_CONTEXT:] if i2 < len(old) else []
            diff.rows += [DiffRow("same", old=text, new=text) for text in head]
            diff.rows.append(DiffRow("skipped", skipped=len(run) - len(head) - len(tail)))
            diff.rows += [DiffRow("same", old=text, new=text) for text in tail]
            continue
        removed, added = old[i1:i2], new[j1:j2]
        paired = min(len(removed), len(added)) if op == "replace" else 0
        for before, after in zip(removed[:paired], added[:paired], strict=True):
            diff.rows.append(
                DiffRow("changed", old=before, new=after, pieces=_words(before, after))
            )
        diff.changed += paired
        diff.rows += [DiffRow("removed", old=text) for text in removed[paired:]]
        diff.rows += [DiffRow("added", new=text) for text in added[paired:]]
        diff.removed += len(removed) - paired
        diff.added += len(added) - paired
    return diff
