"""Inline comments on reading pages: each paragraph's link and marker.

Each paragraph (`[data-p]` block) of a shown chapter gets, at the end of its own text, a link to
the paragraph's comment page (the no-JS way in) and, when it has visible inline comments, a
quiet marker with their count. static/js/inline-comments.js opens both in place.

The decorated text is made from the stored, sanitized text by inserting our own markup between
its tags (found with the project's tokenizer; for the plainest shape, numbered <p>s of inline
markup, by a strict regex that gives the same result): nothing of the text is rewritten, and
nothing a reader wrote goes in. It is cached under everything it shows: the chapter's
revision and update time, the sanitizer's version, the counts, the release.
"""

import hashlib
import html as html_entities
import re

from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse

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
    simple = _simple_paragraphs(html)
    if simple is None:
        return _decorate_walking(html, counts, work_id=work_id, chapter_id=chapter_id)
    with_text = {paragraph_id for paragraph_id, _, has_text in simple if has_text}
    if not with_text:
        return html
    url_head, url_tail = _url_parts(work_id, chapter_id)
    pieces: list[str] = []
    last = 0
    for paragraph_id, end_tag, _ in simple:
        if paragraph_id in with_text:
            url = f"{url_head}{int(paragraph_id)}{url_tail}"
            element_id = paragraph_element_id(chapter_id, int(paragraph_id))
            pieces += (
                html[last:end_tag],
                _controls(url, element_id, counts.get(int(paragraph_id), 0)),
            )
            last = end_tag
    pieces.append(html[last:])
    return "".join(pieces)


# The shape of nearly every stored chapter: numbered <p>s of text and inline markup, one after
# the other. There the controls go before each `</p>`, found by one regex pass; any other shape
# is walked tag by tag (`_decorate_walking`), which gives the same result on this one.
_SIMPLE_PARAGRAPH = re.compile(
    r'[ \t\n\r\f]*+<p data-p="([1-9][0-9]{0,8})">([^<]*+(?:<[^<>]*+>[^<]*+)*?)</p>'
)
_END_SPACE = re.compile(r"[ \t\n\r\f]*+\Z")
_INNER_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*+)((?: [a-z][a-z0-9-]*+="[^"<>]*+")*+)(/?)>')
# Inline elements that hold neither a block, a link nor raw text; the void ones take no end tag.
_PLAIN_INLINE = frozenset(
    {"em", "strong", "i", "b", "u", "s", "strike", "del", "ins", "sub", "sup", "small", "big"}
    | {"span", "abbr", "cite", "code", "q", "mark", "kbd", "samp", "var", "tt", "dfn", "font"}
)
_PLAIN_VOID = frozenset({"br", "img", "wbr"})


def _simple_paragraphs(html: str) -> list[tuple[str, int, bool]] | None:
    """[(paragraph id, where its `</p>` starts, whether it has text)] when `html` is only
    numbered paragraphs of inline markup (between white space); None for any other shape."""
    found = []
    position, length = 0, len(html)
    match = _SIMPLE_PARAGRAPH.match
    while position < length:
        paragraph = match(html, position)
        if paragraph is None:
            if _END_SPACE.match(html, position):
                break
            return None
        inner = paragraph.group(2)
        if "<" in inner:
            text = _inline_text(inner)
            if text is None:
                return None
        else:
            text = inner
        if "&" in text:
            text = html_entities.unescape(text)
        position = paragraph.end()
        found.append((paragraph.group(1), position - 4, bool(text.strip())))
    return found


def _inline_text(inner: str) -> str | None:
    """The text of a paragraph's content when every tag in it is balanced plain inline markup;
    else None."""
    open_names: list[str] = []
    pieces, last, tags = [], 0, 0
    for tag in _INNER_TAG.finditer(inner):
        closing, name, _, self_closing = tag.groups()
        tags += 1
        if name in _PLAIN_VOID:
            if closing:
                return None
        elif name not in _PLAIN_INLINE or self_closing:
            return None
        elif closing:
            if not open_names or open_names.pop() != name:
                return None
        else:
            open_names.append(name)
        pieces.append(inner[last : tag.start()])
        last = tag.end()
    if open_names or tags != inner.count("<"):
        return None
    pieces.append(inner[last:])
    return "".join(pieces)


def _url_parts(work_id: int, chapter_id: int) -> tuple[str, str]:
    url_head, _, url_tail = paragraph_url(work_id, chapter_id, _PARAGRAPH_PLACEHOLDER).partition(
        str(_PARAGRAPH_PLACEHOLDER)
    )
    return url_head, url_tail


def _decorate_walking(html: str, counts: dict, *, work_id: int, chapter_id: int) -> str:
    """`decorate` for any shape of text: the paragraphs read, then every tag walked."""
    with_text = {p.id for p in paragraphs_of(html) if p.id and p.text}
    if not with_text:
        return html
    url_head, url_tail = _url_parts(work_id, chapter_id)
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
    # The standard library's escape replaces the same five characters as Django's, for less.
    url, element_id = html_entities.escape(url), html_entities.escape(element_id)
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
