"""A NUL character in any typed field is refused with a ValidationError keyed by the field,
as the form fields refuse it, never left for PostgreSQL to refuse with a DataError."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ficshelf.userstuff.text_checks import MESSAGE, NOT_UNICODE, refuse_unstorable, unstorable
from ficshelf.works.services import ChapterContent, WorkMetadata


def test_text_without_nul_passes_whatever_else_the_fields_hold():
    refuse_unstorable(
        title="Traitor",
        fandoms=["Original Work"],
        notes="",
        expected_chapters=None,
        restricted=True,
        count=3,
        text="Tabs\tand\nnew lines, \u2028 and \ufeff stay.",
    )


def test_every_field_with_a_nul_is_named_with_the_form_fields_words():
    with pytest.raises(ValidationError) as refused:
        refuse_unstorable(title="Trai\x00tor", summary="fine", freeforms=["Angst", "Fl\x00uff"])
    assert refused.value.message_dict == {"title": [MESSAGE], "freeforms": [MESSAGE]}


def test_a_nul_at_either_end_or_alone_is_found():
    assert list(unstorable(a="\x00", b="text\x00", c="\x00text", d="text", e=[])) == ["a", "b", "c"]


def test_a_lone_surrogate_is_refused_as_not_unicode_in_any_field():
    """JSON may carry "\\ud800"; no database can store it as UTF-8."""
    with pytest.raises(ValidationError) as refused:
        refuse_unstorable(title="Trai\ud800tor", freeforms=["Angst", "\udfff"], notes="fine")
    assert refused.value.message_dict == {"title": [NOT_UNICODE], "freeforms": [NOT_UNICODE]}
    assert unstorable(text="Emoji \U0001f525 and \u05e9\u05dc\u05d5\u05dd are fine") == {}


def test_a_payloads_nested_objects_are_named_by_their_path():
    payload = {"title": "Fine", "chapter": {"text": "a\x00b", "notes": "x\ud800"}}
    assert unstorable(**payload) == {"chapter.text": MESSAGE, "chapter.notes": NOT_UNICODE}


def test_a_django_form_field_refuses_nul_with_the_same_words():
    from django import forms

    with pytest.raises(ValidationError) as refused:
        forms.CharField().clean("a\x00b")
    assert refused.value.messages == [MESSAGE]


def test_a_dataclass_is_checked_whole_with_vars():
    """The line the services' validate() methods use: `refuse_unstorable(**vars(self))`."""
    metadata = WorkMetadata(title="Traitor", fandoms=["Orig\x00inal"], notes="n\x00")
    with pytest.raises(ValidationError) as refused:
        refuse_unstorable(**vars(metadata))
    assert set(refused.value.message_dict) == {"fandoms", "notes"}
    with pytest.raises(ValidationError) as refused:
        refuse_unstorable(**vars(ChapterContent(text="<p>One\x00</p>", title="Two\x00")))
    assert set(refused.value.message_dict) == {"text", "title"}
    refuse_unstorable(**vars(ChapterContent(text="<p>Clean.</p>")))


@pytest.mark.django_db
def test_the_database_is_why():
    """On PostgreSQL a NUL in text cannot be stored at all (SQLite keeps it): the check must
    come before the insert."""
    from django.db import DataError, transaction

    from ficshelf.works.models import Submission
    from tests.factories import make_user

    user = make_user("nul_writer")
    try:
        with transaction.atomic():
            Submission.objects.create(
                user=user, token="0" * 32, kind="new_work", fingerprint="\x00"
            )
    except (DataError, ValueError):
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor != "postgresql"
