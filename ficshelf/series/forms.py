"""The series app's forms: every 400-type error of its pages is found here or in the services."""

from django import forms

from ficshelf.accounts.models import Pseud
from ficshelf.works import limits


class SeriesForm(forms.Form):
    title = forms.CharField(
        max_length=limits.TITLE_MAX,
        error_messages={"required": "Please give the series a title."},
    )
    pseud = forms.ModelChoiceField(
        label="Creator",
        queryset=Pseud.objects.none(),
        empty_label=None,
        help_text="The pseud the series is credited to.",
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=f"At most {limits.SUMMARY_MAX:,} characters. HTML is allowed.",
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=f"At most {limits.NOTES_MAX:,} characters. HTML is allowed.",
    )
    is_complete = forms.BooleanField(
        label="Complete", required=False, help_text="The series is finished."
    )

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        pseuds = Pseud.objects.for_user(user)
        if editing or pseuds.count() < 2:
            # One pseud: no choice to make. Editing keeps the creators as they are.
            del self.fields["pseud"]
        else:
            self.fields["pseud"].queryset = pseuds
            self.fields["pseud"].initial = user.default_pseud.pk


class AddToSeriesForm(forms.Form):
    """The work page's "Add to series": one of the creator's series, or a new one's title."""

    series = forms.IntegerField(required=False, min_value=1)
    new_title = forms.CharField(required=False, max_length=limits.TITLE_MAX, strip=True)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("series")) == bool(cleaned.get("new_title")):
            raise forms.ValidationError(
                "Please choose one of your series, or give a new series a title.", code="target"
            )
        return cleaned
