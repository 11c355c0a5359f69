"""The beta reader's small forms: one button each on the report. Every 400 comes from here."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from ficshelf.tags.services import split_tag_list
from ficshelf.userstuff import TextFormat
from ficshelf.userstuff.forms import PlainLabelsMixin
from ficshelf.works.limits import CHAPTER_TEXT_MAX
from ficshelf.works.models import LANGUAGE_CHOICES

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


class LiveCheckForm(forms.Form):
    """What the findings panel beside a posting form's text sends as the author types: the
    text as typed, its format, and what decides which words are right (the work, or on a new
    work the form's language and name tags)."""

    # As the textarea holds it: a browser sends its line ends as CRLF, and the offsets sent back
    # are into its own text, which has LF.
    text = _ExactText(
        required=False,
        max_length=CHAPTER_TEXT_MAX,
        error_messages={
            "max_length": f"A chapter holds at most {CHAPTER_TEXT_MAX:,} characters: "
            "this text is too long to check or to post. Split it into chapters."
        },
    )
    text_format = forms.ChoiceField(choices=TextFormat.choices)
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, required=False)
    work_id = forms.IntegerField(required=False, min_value=1)
    chapter_id = forms.IntegerField(required=False, min_value=1)
    fandoms = forms.CharField(required=False)
    relationships = forms.CharField(required=False)
    characters = forms.CharField(required=False)
    caret = forms.IntegerField(required=False, min_value=0)

    @property
    def too_long(self) -> bool:
        return any(error.code == "max_length" for error in self.errors.as_data().get("text", ()))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("chapter_id") and not cleaned.get("work_id"):
            raise ValidationError("A chapter is checked with its work.")
        return cleaned

    @property
    def tag_names(self) -> list[str]:
        names = []
        for name in ("fandoms", "relationships", "characters"):
            names += split_tag_list(self.cleaned_data.get(name) or "")
        return names
