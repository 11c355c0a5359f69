"""The bookmark form: who bookmarks (a pseud), notes, the bookmarker's own tags, private, rec.
Its checks are the services' (which the view turns into this form's errors): the form only
parses."""

from django import forms

from ficshelf.tags.services import split_tag_list

from .services import NOTES_MAX

TAG_INPUT_MAX = 12_000  # room for 75 tags of the longest name; the service counts them


class BookmarkForm(forms.Form):
    pseud = forms.ChoiceField(label="Bookmark as")
    notes = forms.CharField(
        label="Notes",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": NOTES_MAX}),
        help_text=f"Up to {NOTES_MAX:,} characters. Plain text or simple HTML.",
    )
    tags = forms.CharField(
        label="Your tags",
        required=False,
        max_length=TAG_INPUT_MAX,
        help_text="Separate tags with commas. They are yours, not the work's.",
    )
    rec = forms.BooleanField(label="Rec (recommend it to others)", required=False)
    private = forms.BooleanField(label="Private bookmark (only you can see it)", required=False)

    def __init__(self, *args, pseuds, **kwargs):
        super().__init__(*args, **kwargs)
        self.pseuds = {str(pseud.pk): pseud for pseud in pseuds}
        self.fields["pseud"].choices = [(key, pseud.name) for key, pseud in self.pseuds.items()]
        if "pseud" not in self.initial:
            default = next((p for p in pseuds if p.is_default), None)
            self.initial["pseud"] = str(default.pk) if default else None

    def clean_pseud(self):
        return self.pseuds[self.cleaned_data["pseud"]]

    def clean_tags(self) -> list[str]:
        return split_tag_list(self.cleaned_data["tags"])
