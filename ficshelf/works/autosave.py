"""Autosaves of the posting forms: what a creator typed, kept on the server.

static/js/autosave.js posts a form's fields every few seconds while they change, and when the
tab is hidden or closed; `views.autosave` checks who may and calls `save_autosave`. Opening the
form again offers the autosave back (`offer`) when it holds something the saved work or chapter
does not; saving the form clears it. Autosaves never expire: only saving, "Discard", or
deleting the work or chapter removes one.
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import limits
from .models import Chapter, FormAutosave, FormKind, Work

# The form's own limits: an autosave holding more than the form could save is refused.
FIELD_LIMITS = {
    "text": limits.CHAPTER_TEXT_MAX,
    "summary": limits.SUMMARY_MAX,
    "notes": limits.NOTES_MAX,
    "end_notes": limits.NOTES_MAX,
    "title": limits.TITLE_MAX,
    "chapter_title": limits.TITLE_MAX,
}
# Any other field (tags, choices): generous for a list of tags, small beside the text.
OTHER_FIELD_MAX = 20_000
VALUES_MAX = 200
# Fields that hold what was written, compared with the stored content to decide whether an
# autosave is worth offering back.
WRITTEN_FIELDS = (
    "title",
    "chapter_title",
    "summary",
    "notes",
    "end_notes",
    "text",
    "fandoms",
    "relationships",
    "characters",
    "freeforms",
)


class TooBig(ValueError):
    """The autosave holds more than the form accepts."""


def target(kind: str, *, work: Work | None = None, chapter: Chapter | None = None) -> str:
    if kind == FormKind.NEW_WORK:
        return kind
    if kind == FormKind.EDIT_CHAPTER:
        return f"{kind}:{chapter.pk}"
    return f"{kind}:{work.pk}"


def check_size(fields: dict[str, list[str]]) -> None:
    if sum(len(values) for values in fields.values()) > VALUES_MAX:
        raise TooBig("The form has more fields than a posting form has.")
    for name, values in fields.items():
        limit = FIELD_LIMITS.get(name, OTHER_FIELD_MAX)
        for value in values:
            # Browsers send line ends as CRLF; the limits count the text as typed.
            if len(value.replace("\r\n", "\n")) > limit:
                raise TooBig(f"“{name}” is longer than the form accepts ({limit:,} characters).")


def save_autosave(
    *,
    user,
    kind: str,
    work: Work | None,
    chapter: Chapter | None,
    fields: dict[str, list[str]],
    base_revision: int | None,
    submission_id: uuid.UUID | None,
) -> FormAutosave:
    """Keep the form's fields (the caller checked that `user` may edit `work`/`chapter`)."""
    check_size(fields)
    key = target(kind, work=work, chapter=chapter)
    values = {
        "kind": kind,
        "work": work,
        "chapter": chapter,
        "fields": fields,
        "base_revision": base_revision,
        "submission_id": submission_id,
        "saved_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            autosave, _ = FormAutosave.objects.update_or_create(
                user=user, target=key, defaults=values
            )
    except IntegrityError:  # the same form's other request created it just now
        FormAutosave.objects.filter(user=user, target=key).update(**values)
        autosave = FormAutosave.objects.get(user=user, target=key)
    return autosave


def find(user, kind: str, *, work=None, chapter=None) -> FormAutosave | None:
    return FormAutosave.objects.filter(
        user=user, target=target(kind, work=work, chapter=chapter)
    ).first()


def clear(user, kind: str, *, work=None, chapter=None) -> None:
    FormAutosave.objects.filter(user=user, target=target(kind, work=work, chapter=chapter)).delete()


def same_value(value, stored) -> bool:
    def norm(v) -> str:
        if isinstance(v, list | tuple):
            v = ", ".join(str(x) for x in v)
        return ("" if v is None else str(v)).replace("\r\n", "\n").strip()

    return norm(value) == norm(stored)


def initial_from(form_class, autosave: FormAutosave) -> dict:
    """The autosaved values as a form's `initial`, read by each field's own widget (so
    checkboxes and multiple choices come back as they were)."""
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for name, values in autosave.fields.items():
        data.setlist(name, [str(value) for value in values])
    initial = {}
    for name, form_field in form_class.base_fields.items():
        if name in {"base_revision", "submission_id"}:
            continue
        if form_field.widget.value_omitted_from_data(data, {}, name):
            continue
        initial[name] = form_field.widget.value_from_datadict(data, {}, name)
    return initial


def offer(autosave: FormAutosave | None, stored: dict) -> FormAutosave | None:
    """The autosave, if it holds written text that `stored` (the form's initial values from
    the saved work or chapter, empty for a new one) does not."""
    if autosave is None:
        return None
    for name in WRITTEN_FIELDS:
        if name in autosave.fields and not same_value(autosave.fields[name], stored.get(name, "")):
            return autosave
    return None
