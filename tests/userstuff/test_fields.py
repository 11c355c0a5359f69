"""SanitizedHTMLField: what is stored is always clean; chapter text keeps the server's ids."""

from types import SimpleNamespace

from ficshelf.userstuff import SANITIZER_VERSION
from ficshelf.userstuff.fields import SanitizedHTMLField


def saved(field: SanitizedHTMLField, value: str) -> SimpleNamespace:
    field.set_attributes_from_name("text")
    instance = SimpleNamespace(text=value, text_sanitizer_version=0)
    field.pre_save(instance, add=True)
    return instance


def test_a_field_that_keeps_paragraph_ids_keeps_them_and_still_cleans_the_rest():
    field = SanitizedHTMLField(version_field="text_sanitizer_version", keeps_paragraph_ids=True)
    instance = saved(field, '<p data-p="3" onclick="x()">Hi</p><script>alert(1)</script>')
    assert instance.text == '<p data-p="3">Hi</p>'
    assert instance.text_sanitizer_version == SANITIZER_VERSION


def test_other_fields_drop_paragraph_ids():
    field = SanitizedHTMLField(version_field="text_sanitizer_version")
    assert saved(field, '<p data-p="3">Hi</p>').text == "<p>Hi</p>"


def test_keeping_paragraph_ids_is_part_of_the_fields_migration_state():
    keeping = SanitizedHTMLField(version_field="v", keeps_paragraph_ids=True).deconstruct()[3]
    plain = SanitizedHTMLField(version_field="v").deconstruct()[3]
    assert keeping == {"version_field": "v", "keeps_paragraph_ids": True}
    assert plain == {"version_field": "v"}
