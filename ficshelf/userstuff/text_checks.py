"""Checks on typed text that hold for every field, before anything is stored.

PostgreSQL cannot store a NUL character ("\\x00") in a text column: the insert fails with a
DataError, a 500 for a caller that went straight to a service (the API, an import, a command).
A lone surrogate ("\\ud800", which JSON can carry) cannot be encoded as UTF-8 at all, for either
database. Django's form fields refuse NULs already (ProhibitNullCharactersValidator), and a
browser never sends a lone surrogate; `refuse_unstorable` gives the services the same refusal,
with the same words, keyed by field.
"""

from django.core.exceptions import ValidationError

NUL = "\x00"
# The words Django's form fields use for the same refusal.
MESSAGE = "Null characters are not allowed."
NOT_UNICODE = "The text is not valid Unicode."


def unstorable(**fields) -> dict[str, str]:
    """Why each field's text cannot be stored, by field name; none for storable fields.
    Text may be a string or a list of strings (tag names); a dict's items are named
    "field.key" (a JSON payload's nested objects). Other values are never text."""
    found: dict[str, str] = {}
    for name, value in fields.items():
        _collect(name, value, found)
    return found


def refuse_unstorable(**fields) -> None:
    """Raise ValidationError, keyed by field, when a field's text holds a NUL character or a
    lone surrogate: `refuse_unstorable(**vars(self))` in a dataclass's validate()."""
    found = unstorable(**fields)
    if found:
        raise ValidationError({name: [message] for name, message in found.items()})


def _collect(name: str, value, found: dict[str, str]) -> None:
    if isinstance(value, str):
        problem = _problem(value)
        if problem and name not in found:
            found[name] = problem
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect(f"{name}.{key}", item, found)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _collect(name, item, found)


def _problem(text: str) -> str | None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return NOT_UNICODE
    return MESSAGE if NUL in text else None
