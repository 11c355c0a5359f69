"""Inline comments on reading pages: each paragraph's link and marker.

Each paragraph (`[data-p]` block) of a shown chapter gets, at the end of its own text, a link to
the paragraph's comment page (the no-JS way in) and, when it has visible inline comments, a
quiet marker with their count. static/js/inline-comments.js opens both in place.

The decorated text is made from the stored, sanitized text by inserting our own markup between
its tags (found with the project's tokenizer, never a regex): nothing of the text is rewritten,
and nothing a reader wrote goes in. It is cached under everything it shows: the chapter's
revision and update time, the sanitizer's version, the counts, the release.
"""

import hashlib

from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse
from django.utils.html import escape

from ficshelf.userstuff import markup
from ficshelf.userstuff.paragraphs import BLOCK_TAGS, PARAGRAPH_ID, paragraphs_of
from ficshelf.works import pagecache
from ficshelf.works.extensions import ReadingAdditions, ReadingSection
from ficshelf.works.models import Chapter

from .models import Comment, Mute, ReadingSettings

# Blocks whose content model takes no inline element: no controls inside them.
_NO_INLINE = frozenset({"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "colgroup"})


def shows_markers(viewer) -> bool:
    """Whether this reader wants inline-comment markers (guests always see them)."""
    if not getattr(viewer, "is_authenticated", False):
        return True
    shown = (
        ReadingSettings.objects.filter(user=viewer)
        .values_list("show_inline_markers", flat=True)
        .first()
    )
    return shown is None or shown


def visible_inline(viewer):
    """Published inline comments and the replies in their threads, less those by accounts
    the viewer muted (a subquery: no query of its own)."""
    comments = Comment.objects.published().filter(thread__paragraph_id__isnull=False)
    if getattr(viewer, "is_authenticated", False):
        comments = comments.exclude(user__in=Mute.objects.filter(muter=viewer).values("muted"))
    return comments


def inline_counts(viewer, chapter_ids) -> dict[int, dict[int | None, int]]:
    """{chapter id: {paragraph id: visible comments there}}, in one query; the comments on an
    earlier version of the chapter are counted under None."""
    rows = (
        visible_inline(viewer)
        .filter(chapter_id__in=chapter_ids)
        .values_list("chapter_id", "thread__current_paragraph_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[int | None, int]] = {}
    for chapter_id, paragraph_id, count in rows:
        counts.setdefault(chapter_id, {})[paragraph_id] = count
    return counts


def paragraph_url(work_id: int, chapter_id: int, paragraph_id: int) -> str:
    return reverse(
        "feedback:paragraph",
        kwargs={"work_id": work_id, "chapter_id": chapter_id, "paragraph_id": paragraph_id},
    )


def inline_additions(request, work, chapters, *, full: bool) -> ReadingAdditions:
    """The shown chapters' text with each paragraph's link and marker, and a note of the
    comments left on earlier versions; nothing when the work takes no inline comments."""
    additions = ReadingAdditions()
    if not chapters or not getattr(work, "inline_comments", False):
        return additions
    viewer = request.user
    reader = getattr(viewer, "is_authenticated", False)
    if reader:
        shown = shows_markers(viewer)
        additions.after_work.append(
            ReadingSection("feedback/_inline_settings.html", {"show_inline_markers": shown})
        )
        if not shown:
            return additions
    counts = inline_counts(viewer, [chapter.pk for chapter in chapters])
    keys = {chapter.pk: _cache_key(chapter, counts.get(chapter.pk, {})) for chapter in chapters}
    cached = cache.get_many(list(keys.values()))
    missing = [chapter for chapter in chapters if keys[chapter.pk] not in cached]
    texts = _texts(missing)
    fresh = {}
    for chapter in chapters:
        key = keys[chapter.pk]
        if key in cached:
            text = cached[key]
        else:
            text = fresh[key] = decorate(
                texts[chapter.pk],
                counts.get(chapter.pk, {}),
                work_id=work.pk,
                chapter_id=chapter.pk,
            )
        additions.chapter_text[chapter.pk] = text
        earlier = counts.get(chapter.pk, {}).get(None)
        if earlier:
            url = reverse(
                "feedback:earlier_inline", kwargs={"work_id": work.pk, "chapter_id": chapter.pk}
            )
            additions.after_chapter.setdefault(chapter.pk, []).append(
                ReadingSection("feedback/_inline_earlier.html", {"count": earlier, "url": url})
            )
    if fresh:
        cache.set_many(fresh, pagecache.FRAGMENT_SECONDS)
    return additions


def _cache_key(chapter, counts: dict) -> str:
    shown = sorted((p, n) for p, n in counts.items() if p is not None)
    parts = (
        chapter.pk,
        chapter.revision,
        chapter.updated_at.isoformat() if chapter.updated_at else "",
        chapter.text_sanitizer_version,
        shown,
        pagecache.release(),
    )
    return "ficshelf:inline:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _texts(chapters) -> dict[int, str]:
    """The stored text of each chapter, read in one query for those whose text was deferred."""
    texts = {c.pk: c.text for c in chapters if "text" not in c.get_deferred_fields()}
    wanted = [c.pk for c in chapters if c.pk not in texts]
    if wanted:
        texts.update(Chapter.objects.filter(pk__in=wanted).values_list("pk", "text"))
    return texts


def paragraph_element_id(chapter_id: int, paragraph_id: int) -> str:
    """The id of a paragraph's controls on a reading page (for links back to it)."""
    return f"c{chapter_id}-p{paragraph_id}"


# Stands for the paragraph id in a reversed URL: reversing once per chapter rather than once per
# paragraph halves the cost of marking a long chapter.
_PARAGRAPH_PLACEHOLDER = 987654321


def decorate(html: str, counts: dict, *, work_id: int, chapter_id: int) -> str:
    """`html` (a chapter's stored text) with each paragraph's controls at the end of its own
    text: before its first inner block, or else before its end tag."""
    with_text = {p.id for p in paragraphs_of(html) if p.id and p.text}
    if not with_text:
        return html
    url_head, _, url_tail = paragraph_url(work_id, chapter_id, _PARAGRAPH_PLACEHOLDER).partition(
        str(_PARAGRAPH_PLACEHOLDER)
    )
    pieces: list[str] = []
    last = 0
    # Open elements: [name, paragraph id (or None), controls written].
    open_elements: list[list] = []
    links_open = 0  # an <a> may not hold another: no controls inside one

    def write_controls(at: int, entry: list) -> None:
        nonlocal last
        paragraph_id = entry[1]
        pieces.append(html[last:at])
        url = f"{url_head}{int(paragraph_id)}{url_tail}"
        element_id = paragraph_element_id(chapter_id, paragraph_id)
        pieces.append(_controls(url, element_id, counts.get(paragraph_id, 0)))
        last = at
        entry[2] = True

    for token in markup.tokens(html):
        if token.kind == markup.START:
            if token.name in markup.VOID:
                continue
            if token.name in BLOCK_TAGS and not links_open:
                owner = next((e for e in reversed(open_elements) if e[1] is not None), None)
                if owner is not None and not owner[2]:
                    write_controls(token.start, owner)
            value = token.attribute("data-p") or ""
            paragraph_id = None
            if (
                value in with_text
                and PARAGRAPH_ID.match(value)
                and token.name not in _NO_INLINE
                and not links_open
            ):
                paragraph_id = int(value)
            open_elements.append([token.name, paragraph_id, False])
            if token.name == "a":
                links_open += 1
        elif token.kind == markup.END:
            if token.name == "a" and links_open:
                links_open -= 1
            while open_elements:
                entry = open_elements.pop()
                if entry[1] is not None and not entry[2] and not links_open:
                    write_controls(token.start, entry)
                if entry[0] == token.name:
                    break
    pieces.append(html[last:])
    return "".join(pieces)


def _controls(url: str, element_id: str, count: int) -> str:
    """A paragraph's marker (when it has comments) and link. Only numbers and our own URL go
    in, escaped all the same. They hold no text: the count and the "+" are drawn by CSS from
    `data-count` and the names are `aria-label`s, so tools that read the chapter's text from
    the page (FanFicFare, AO3 userscripts, copy and paste) get the story and nothing else."""
    url, element_id = escape(url), escape(element_id)
    marker = ""
    if count:
        noun = "comment" if count == 1 else "comments"
        marker = (
            f'<a class="inline-comment-marker" href="{url}#inline-comments" rel="nofollow"'
            f' data-count="{int(count)}" aria-label="{int(count)} {noun} on this paragraph"></a>'
        )
    return (
        f'<span class="inline-comment-controls" id="{element_id}">{marker}'
        f'<a class="inline-comment-link" href="{url}" rel="nofollow"'
        ' aria-label="Comment on this paragraph"></a></span>'
    )
