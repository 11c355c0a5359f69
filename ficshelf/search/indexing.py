"""Keeping the search documents right: a posted work's document is rewritten in the same
transaction as every write to it (the works services' signals), so the very next search sees
it. Drafts have none; a deleted work's goes with it (the foreign key cascades, and on SQLite
the FTS5 triggers follow)."""

import functools
import html

from django.dispatch import receiver

from ficshelf.userstuff import markup
from ficshelf.works import versions
from ficshelf.works.models import Chapter, Creatorship, Tagging, Work
from ficshelf.works.signals import chapter_saved, work_changed

from .models import WorkSearchDocument

# Tags that end a run of words: "<p>one</p><p>two</p>" is two words, "un<em>cut</em>" one.
_BREAKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl",
    "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul",
}  # fmt: skip


# One save sends several signals (a new work: posted, chapter saved, work changed), each of which
# rewrites the document from the same stored text: the last few texts are read once.
@functools.lru_cache(maxsize=8)
def _words(stored_html: str) -> str:
    """The text of stored (sanitized) HTML, in one linear pass of the project's tokenizer."""
    pieces = []
    for token in markup.tokens(stored_html):
        if token.kind == markup.TEXT:
            pieces.append(token.text)
        elif token.name in _BREAKS:
            pieces.append("\n")
    return html.unescape("".join(pieces))


def _plain(*htmls: str) -> str:
    return "\n".join(_words(part) for part in htmls if part)


def index_work(work_id: int) -> None:
    """Make this work's search document match the work: rewritten if it is posted, removed if
    it is a draft or gone."""
    work = Work.objects.filter(pk=work_id, posted=True).first()
    if work is None:
        WorkSearchDocument.objects.filter(work_id=work_id).delete()
        return
    WorkSearchDocument.objects.update_or_create(work_id=work.pk, defaults=_document(work))


def _document(work: Work) -> dict:
    chapters = Chapter.objects.filter(work=work, posted=True).order_by("position")
    creators = Creatorship.objects.filter(work=work).select_related("pseud__user")
    tags = Tagging.objects.filter(work=work).select_related("tag")
    return {
        "title": work.title,
        "body": _plain(work.summary, work.notes, work.end_notes),
        "tags": "\n".join(tagging.tag.name for tagging in tags),
        "creators": "\n".join(
            f"{c.pseud.name} {c.pseud.user.username}"
            if c.pseud.name != c.pseud.user.username
            else c.pseud.name
            for c in creators
        ),
        "chapters": "\n".join(
            _plain(chapter.title, chapter.summary, chapter.notes, chapter.text, chapter.end_notes)
            for chapter in chapters
        ),
    }


def reindex_all(batch_size: int = 200) -> int:
    """Rebuild every document from the works; returns how many posted works were indexed."""
    WorkSearchDocument.objects.all().delete()
    ids = list(Work.objects.filter(posted=True).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        works = Work.objects.filter(pk__in=ids[start : start + batch_size])
        WorkSearchDocument.objects.bulk_create(
            WorkSearchDocument(work=work, **_document(work)) for work in works
        )
    # What searches find may have changed: searches kept under the listings version
    # (search.views) are not used again.
    versions.bump_listings()
    return len(ids)


# Synchronous on purpose: one work's document is cheap, and search must not lag behind the
# request that changed the work. Every posting (works.signals.chapters_posted) is followed by
# chapter_saved or work_changed in the same service, so listening to it too only wrote the
# document again.
@receiver(chapter_saved, dispatch_uid="search.chapter_saved")
@receiver(work_changed, dispatch_uid="search.work_changed")
def _work_written(sender, work_id, **kwargs):
    index_work(work_id)


def index_if_missing(sender, *, using: str = "default", **kwargs) -> None:
    """After `migrate`: an archive that had works before search existed gets them indexed
    once, so an upgrade needs no extra command (an empty index beside posted works)."""
    if WorkSearchDocument.objects.using(using).exists():
        return
    if Work.objects.using(using).filter(posted=True).exists():
        reindex_all()
