"""Places where apps above `works` add to works' pages, without `works` importing them.

Layers point one way (docs/architecture.md): `works` never imports the beta reader, feedback or
search. An app that builds on works registers what it offers here, from its AppConfig.ready(),
and works' views call it when it is there. Without the app, the page simply lacks the extra.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TextChecker:
    """Checks text typed into a posting form, saving nothing (the beta reader).

    `check(request, *, text, text_format, work, chapter, tag_names)` returns the context for
    `template`, which the posting page includes under the form; `label` names the button.
    `report_url(chapter)`, when given, is the page of the saved chapter's report, linked from
    the chapter for its creators.
    """

    label: str
    template: str
    check: Callable[..., Mapping[str, Any]]
    report_url: Callable[[Any], str] | None = None


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
