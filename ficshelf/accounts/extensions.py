"""Places where apps above `accounts` add to its pages, without `accounts` importing them.

A profile or pseud page shows the account; the works on it belong to `works`, which registers a
section provider here from its AppConfig.ready(). Layers point one way: docs/architecture.md.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ProfileSection:
    """A part of a profile or pseud page, rendered with `template` and its `context`."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


# (owner, pseud or None, viewer) -> sections, in page order.
ProfileSectionsProvider = Callable[[Any, Any, Any], list[ProfileSection]]

_providers: list[ProfileSectionsProvider] = []


def register_profile_sections(provider: ProfileSectionsProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def profile_sections(*, owner, pseud, viewer) -> list[ProfileSection]:
    sections: list[ProfileSection] = []
    for provider in _providers:
        sections.extend(provider(owner, pseud, viewer))
    return sections


# --- An account's own data, exported ----------------------------------------------------------

# user -> something JSON can write (lists, dicts, strings, numbers): one part of the account's
# export, under the name it was registered with. Apps above accounts add their part (history,
# bookmarks, blocklists), so an export holds everything that is the account's own.
AccountExportProvider = Callable[[Any], Any]

_export_providers: dict[str, AccountExportProvider] = {}


def register_account_export(name: str, provider: AccountExportProvider) -> None:
    _export_providers[name] = provider


def account_export(user) -> dict[str, Any]:
    return {name: provider(user) for name, provider in sorted(_export_providers.items())}
