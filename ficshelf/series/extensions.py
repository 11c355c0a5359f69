"""Places where apps above `series` add to a series page, without `series` importing them:
a bookmark button (bookmarks), a subscribe button (inbox). Registered from AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SeriesSection:
    """A part of a series page, rendered with `template`; it sees the page's context and this
    section as `section`."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


# (request, series) -> sections, in page order.
SeriesSectionsProvider = Callable[[Any, Any], list[SeriesSection]]

_providers: list[SeriesSectionsProvider] = []


def register_series_sections(provider: SeriesSectionsProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def series_sections(request, series) -> list[SeriesSection]:
    sections: list[SeriesSection] = []
    for provider in _providers:
        sections.extend(provider(request, series))
    return sections
