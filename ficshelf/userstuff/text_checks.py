"""Checks on typed text that hold for every field, before anything is stored.

PostgreSQL cannot store a NUL character ("\\x00") in a text column: the insert fails with a
DataError, a 500 for a caller that went straight to a service (the API, an import, a command).
Django's form fields refuse NULs already (ProhibitNullCharactersValidator); `refuse_nul` gives
the services the same refusal, with the same words, keyed by field.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError

NUL = "\x00"
# The words Django's form fields use for the same refusal.
MESSAGE = "Null characters are not allowed."


def fields_with_nul(**fields) -> list[str]:
    """The names of the fields whose text (a string, or a list of strings such as tag names)
    holds a NUL character; other values (numbers, booleans, None) are never text."""
    return [name for name, value in fields.items() if _holds_nul(value)]


def refuse_nul(**fields) -> None:
    """Raise ValidationError, keyed by field, when a field's text holds a NUL character:
    `refuse_nul(**vars(self))` in a dataclass's validate()."""
    names = fields_with_nul(**fields)
    if names:
        raise ValidationError({name: [MESSAGE] for name in names})


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, Iterable) and not isinstance(value, (bytes, dict)):
        return any(isinstance(item, str) and NUL in item for item in value)
    return False
