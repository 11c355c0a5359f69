"""Places where apps above `works` add to works' pages, without `works` importing them.

Layers point one way (docs/architecture.md): `works` never imports the beta reader, feedback or
search. An app that builds on works registers what it offers here, from its AppConfig.ready(),
and works' views call it when it is there. Without the app, the page simply lacks the extra.
"""

import functools
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TextChecker:
    """Checks text typed into a posting form, saving nothing (the beta reader).

    `check(request, *, text, text_format, work, chapter, tag_names)` returns the context for
    `template`, which the posting page includes under the form; `label` names the button.
    `report_url(chapter)`, when given, is the page of the saved chapter's report, linked from
    the chapter for its creators. `live_template`, when given, is a panel included after the
    form's text field that checks as the author types, and `live_assets` what it needs in the
    page's head (its stylesheet and script).
    """

    label: str
    template: str
    check: Callable[..., Mapping[str, Any]]
    report_url: Callable[[Any], str] | None = None
    live_template: str | None = None
    live_assets: str | None = None


@dataclass(frozen=True)
class BlurbNote:
    """A line an app adds to a work's blurb in its creators' own listings (e.g. a badge)."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


# (works, viewer) -> {work id: [notes]}: one call per page of blurbs, so a provider can fetch
# what it needs for the whole page in one query.
BlurbNotesProvider = Callable[[list, Any], Mapping[int, list[BlurbNote]]]

_text_checker: TextChecker | None = None
_blurb_note_providers: list[BlurbNotesProvider] = []


def register_text_checker(checker: TextChecker) -> None:
    global _text_checker
    _text_checker = checker


def text_checker() -> TextChecker | None:
    return _text_checker


def register_blurb_notes(provider: BlurbNotesProvider) -> None:
    if provider not in _blurb_note_providers:
        _blurb_note_providers.append(provider)


def add_blurb_notes(works: Iterable, viewer) -> list:
    """Set `blurb_notes` on each work of a page of blurbs; returns the works as a list."""
    works = list(works)
    for work in works:
        work.blurb_notes = []
    by_id = {work.pk: work for work in works}
    for provider in _blurb_note_providers:
        for work_id, notes in provider(works, viewer).items():
            if work_id in by_id:
                by_id[work_id].blurb_notes.extend(notes)
    return works


# --- Reading pages ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadingSection:
    """A part an app adds to a reading page (kudos, comments), rendered with `template`; the
    template sees the page's context and this section as `section`."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class ReadingAdditions:
    """What apps add to one reading page (a chapter, the first chapter, the entire work).

    - `after_chapter`: sections under each chapter's text, by chapter id;
    - `after_work`: sections at the end of the page;
    - `chapter_text`: HTML to show instead of a chapter's stored text, by chapter id (the text
      with inline-comment markers and links); it must come from the stored text and be safe;
    - `before_work`: sections above the work's metadata (a reader's own actions: continue
      reading, bookmark, mark for later);
    - `preface`: sections in the work's preface, under the byline (the series it is part of).

    A guest's page is cached whole and keyed by the work's content version: an app that shows
    something here moves that version on when it changes (`works.versions.bump_work`).
    """

    after_chapter: dict[int, list[ReadingSection]] = field(default_factory=dict)
    after_work: list[ReadingSection] = field(default_factory=list)
    chapter_text: dict[int, str] = field(default_factory=dict)
    before_work: list[ReadingSection] = field(default_factory=list)
    preface: list[ReadingSection] = field(default_factory=list)

    def merge(self, other: "ReadingAdditions") -> None:
        for chapter_id, sections in other.after_chapter.items():
            self.after_chapter.setdefault(chapter_id, []).extend(sections)
        self.after_work.extend(other.after_work)
        self.chapter_text.update(other.chapter_text)
        self.before_work.extend(other.before_work)
        self.preface.extend(other.preface)


# (request, work, chapters, *, full) -> ReadingAdditions. `chapters` are the ones shown, their
# text deferred; `full` says the page is the entire work.
ReadingAdditionsProvider = Callable[..., ReadingAdditions]

_reading_providers: list[ReadingAdditionsProvider] = []


def register_reading_additions(provider: ReadingAdditionsProvider) -> None:
    if provider not in _reading_providers:
        _reading_providers.append(provider)


def reading_additions(request, work, chapters: list, *, full: bool) -> ReadingAdditions:
    """What every app adds to this page; also sets `reading_sections` (a list) and
    `reading_text` (None or HTML) on each chapter, for the template."""
    additions = ReadingAdditions()
    for provider in _reading_providers:
        additions.merge(provider(request, work, chapters, full=full))
    for chapter in chapters:
        chapter.reading_sections = additions.after_chapter.get(chapter.pk, [])
        chapter.reading_text = additions.chapter_text.get(chapter.pk)
    return additions


# --- Lists of works --------------------------------------------------------------------------

# (viewer, request) -> a Q of works to leave out of every list this viewer sees (works they
# hid, creators they muted, tags they blocked), or None. `request` may be None (a feed, an
# email); a guest's own choices come in a cookie on it (see `register_personal_cookie`).
ListingExclusion = Callable[[Any, Any], Any]

_listing_exclusions: list[ListingExclusion] = []


def register_listing_exclusion(exclusion: ListingExclusion) -> None:
    if exclusion not in _listing_exclusions:
        _listing_exclusions.append(exclusion)


# `?show_hidden=1` on a list shows, this once, what every exclusion would leave out.
SHOW_HIDDEN = "show_hidden"


HIDDEN_COUNT_BOUND = 1_000


@dataclass
class HiddenFromList:
    """What a list left out for the viewer who asked for it (or, with `shown`, showed
    anyway), kept on the request as `hidden_from_list` for templates/shelf/_hidden_notice.html.
    Counted only when a template asks: one COUNT, subqueries and no list of ids."""

    works: Any  # the list before any exclusion
    excluded: Any  # a Q: what the exclusions leave out
    shown: bool
    params: Any  # the request's query (a QueryDict) for the links

    @functools.cached_property
    def count(self) -> int:
        # Bounded, so a long list costs the same as a short one: past the bound it says "1,000+".
        return self.works.filter(self.excluded)[: HIDDEN_COUNT_BOUND + 1].count()

    @property
    def count_label(self) -> str:
        if self.count > HIDDEN_COUNT_BOUND:
            return f"{HIDDEN_COUNT_BOUND:,}+"
        return f"{self.count:,}"

    def _link(self, show: bool) -> str:
        params = self.params.copy()
        params.pop("page", None)
        params.pop(SHOW_HIDDEN, None)
        if show:
            params[SHOW_HIDDEN] = "1"
        return f"?{params.urlencode()}" if params else "?"

    @property
    def show_url(self) -> str:
        return self._link(True)

    @property
    def hide_url(self) -> str:
        return self._link(False)


def hidden_q(viewer, *, request=None):
    """One Q of every work the exclusions leave out of `viewer`'s lists, or None."""
    combined = None
    for exclusion in _listing_exclusions:
        excluded = exclusion(viewer, request)
        if excluded is not None:
            combined = excluded if combined is None else combined | excluded
    return combined


def hidden_count(works, viewer, *, request=None) -> int:
    """How many of `works` (a QuerySet) the exclusions leave out of `viewer`'s lists."""
    excluded = hidden_q(viewer, request=request)
    return 0 if excluded is None else works.filter(excluded).count()


def shows_hidden(request) -> bool:
    return request is not None and request.GET.get(SHOW_HIDDEN) == "1"


def without_hidden(works, viewer, *, request=None):
    """`works` (a QuerySet) without what the viewer chose never to see in lists; with a
    request, also notes on it what was left out (`HiddenFromList`), and leaves nothing out
    when it asks `?show_hidden=1`."""
    excluded = hidden_q(viewer, request=request)
    if request is not None:
        request.hidden_from_list = (
            None
            if excluded is None
            else HiddenFromList(works, excluded, shows_hidden(request), request.GET)
        )
    if excluded is None or shows_hidden(request):
        return works
    return works.exclude(excluded)


# --- Guests' own choices ---------------------------------------------------------------------

# Cookies in which a guest keeps choices of their own (a blocklist, reading settings): a guest
# who sends one gets pages made for them, never the shared cached copy.
_personal_cookies: set[str] = set()


def register_personal_cookie(name: str) -> None:
    _personal_cookies.add(name)


def has_personal_cookie(request) -> bool:
    return any(name in request.COOKIES for name in _personal_cookies)


# --- Chapters read -----------------------------------------------------------------------------

# (request, work_id, chapter_ids, *, full) -> None: told of every reading page served with its
# text (200, or 304 when the guest's copy is current), from the cache or rendered.
ChapterViewed = Callable[..., None]

_chapter_viewed: list[ChapterViewed] = []


def register_chapter_viewed(receiver: ChapterViewed) -> None:
    if receiver not in _chapter_viewed:
        _chapter_viewed.append(receiver)


def chapter_viewed(request, work_id: int, chapter_ids: tuple | None, *, full: bool = False):
    """A reader was shown `chapter_ids` of the work, or (None) its first page: the first
    chapter, or every chapter when `full`; a cached page does not know which ids those are.
    Receivers run on the hot path: they must be quick and must not write to the database.
    Their failure never fails the page."""
    for receiver in _chapter_viewed:
        try:
            receiver(request, work_id, chapter_ids, full=full)
        except Exception:
            logging.getLogger(__name__).warning("A chapter_viewed receiver failed", exc_info=True)
