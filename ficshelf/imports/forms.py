"""The upload form: every 400-type error of an import, the file's own included, is raised here."""

from django import forms

from ficshelf.tags.models import ARCHIVE_WARNINGS, Rating
from ficshelf.tags.services import split_tag_list
from ficshelf.userstuff.forms import PlainLabelsMixin

from .parsing import ACCEPT, MAX_DOWNLOAD_BYTES, MAX_FILE_BYTES, ImportRefused, check_size
from .services import WorkChoices, prepare_import

POST = "post"
DRAFT = "draft"
FROM_FILE = "Used when the file does not say. Separate names with commas."


class ImportForm(PlainLabelsMixin, forms.Form):
    file = forms.FileField(
        label="File",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=f"Plain text (.txt), HTML (.html, .htm) or Markdown (.md), up to "
        f"{MAX_FILE_BYTES // 1024 // 1024} MiB; or a work downloaded from AO3 as HTML or EPUB, "
        f"up to {MAX_DOWNLOAD_BYTES // 1024 // 1024} MiB.",
        error_messages={
            "required": "Please choose a file to import.",
            "empty": "The file is empty.",
        },
    )
    fandoms = forms.CharField(label="Fandoms", required=False, help_text=FROM_FILE)
    rating = forms.ChoiceField(
        choices=[("", "As the file says (Not Rated if it says nothing)"), *Rating.choices],
        required=False,
    )
    warnings = forms.MultipleChoiceField(
        label="Archive Warnings",
        choices=[(name, name) for name in ARCHIVE_WARNINGS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Used when the file names none. With none at all, the work says "
        "“Creator Chose Not To Use Archive Warnings”.",
    )
    characters = forms.CharField(label="Characters", required=False, help_text=FROM_FILE)
    posting = forms.ChoiceField(
        label="When it is imported",
        choices=[(POST, "Post it"), (DRAFT, "Save it as a draft only I can see")],
        initial=POST,
        widget=forms.RadioSelect,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            # Check the size before reading, so an oversized upload is never held in memory.
            check_size(upload.size, upload.name or "")
        except ImportRefused as refusal:
            raise forms.ValidationError(refusal.message) from None
        self.file_bytes = upload.read()
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.defaults = WorkChoices(
            fandoms=split_tag_list(cleaned["fandoms"]) or None,
            rating=cleaned["rating"] or None,
            warnings=cleaned["warnings"] or None,
            characters=split_tag_list(cleaned["characters"]) or None,
        )
        try:
            self.prepared = prepare_import(
                file_bytes=self.file_bytes,
                filename=cleaned["file"].name.replace("\x00", ""),  # as the service reads it
                defaults=self.defaults,
            )
        except ImportRefused as refusal:
            self.add_refusal(refusal)
        return cleaned

    def add_refusal(self, refusal: ImportRefused) -> None:
        self.add_error(refusal.field if refusal.field in self.fields else None, refusal.message)

    @property
    def post(self) -> bool:
        return self.cleaned_data["posting"] == POST
