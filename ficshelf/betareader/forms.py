"""The beta reader's small forms: one button each on the report. Every 400 comes from here."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from ficshelf.userstuff.forms import PlainLabelsMixin

from .models import IGNORED_TEXT_MAX, RULE_MAX, WORD_MAX
from .services import Fix

_HASH = RegexValidator(r"^[0-9a-f]{64}$", "This check is not recognised: check again.")


class _ExactText(forms.CharField):
    """A piece of the chapter's HTML, exactly: browsers send line breaks as CRLF, and stored
    chapters have LF."""

    def __init__(self, **kwargs):
        super().__init__(strip=False, **kwargs)

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class _CheckedForm(forms.Form):
    """A form made for one checked text, which `text_hash` names."""

    text_hash = forms.CharField(validators=[_HASH])
    style = forms.BooleanField(required=False)


class FixForm(_CheckedForm):
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=0)
    expected = _ExactText(required=False)
    replacement = _ExactText(required=False)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned["end"] - cleaned["start"] != len(cleaned["expected"]):
            raise ValidationError("This fix does not match its text: check again.")
        self.fix = Fix(
            start=cleaned["start"],
            end=cleaned["end"],
            expected=cleaned["expected"],
            replacement=cleaned["replacement"],
        )
        return cleaned


class FixAllForm(_CheckedForm):
    rule = forms.CharField(max_length=RULE_MAX)
    text = _ExactText()
    replacement = _ExactText(required=False)


class IgnoreForm(forms.Form):
    rule = forms.CharField(max_length=RULE_MAX)
    text = _ExactText(
        max_length=IGNORED_TEXT_MAX,
        error_messages={"max_length": "That finding is too long to ignore: change it instead."},
    )
    everywhere = forms.BooleanField(required=False)
    style = forms.BooleanField(required=False)


class StopIgnoringForm(forms.Form):
    ignored = forms.IntegerField()
    style = forms.BooleanField(required=False)


class DictionaryWordForm(PlainLabelsMixin, forms.Form):
    word = forms.CharField(
        max_length=WORD_MAX,
        validators=[RegexValidator(r"^\S+$", "Add one word at a time, without spaces.")],
        help_text="A name or word you spell this way on purpose.",
    )
    style = forms.BooleanField(required=False, widget=forms.HiddenInput)


class RemoveWordForm(forms.Form):
    word_id = forms.IntegerField()
