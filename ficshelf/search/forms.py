"""The works search form: every filter is a GET parameter, so a search is a shareable URL.
All of a reader's mistakes (unknown tags, a tag both wanted and not, an over-long query) are
form errors, shown above an empty result."""

from django import forms

from ficshelf.tags.models import Rating, Tag
from ficshelf.tags.services import split_tag_list
from ficshelf.works.models import LANGUAGE_CHOICES

from .fulltext import QUERY_MAX, parse_query

SORTS = {
    "updated": "Date updated",
    "posted": "Date posted",
    "title": "Title",
    "creator": "Creator",
    "words": "Word count",
    "kudos": "Kudos",
    "comments": "Comments",
    "bookmarks": "Bookmarks",
    "hits": "Hits",
}
CROSSOVERS = [
    ("", "Include crossovers"),
    ("exclude", "Exclude crossovers"),
    ("only", "Only crossovers"),
]
TAG_INPUT_MAX = 2_000


class DateInput(forms.DateInput):
    input_type = "date"


class WorkSearchForm(forms.Form):
    q = forms.CharField(
        label="Any text",
        required=False,
        max_length=QUERY_MAX,
        error_messages={
            "max_length": f"Search for at most {QUERY_MAX} characters: try fewer words."
        },
        help_text='Titles, summaries, tags, creators and chapter text. "Quote" a phrase.',
    )
    include = forms.CharField(
        label="Include tags",
        required=False,
        max_length=TAG_INPUT_MAX,
        help_text="Separate tags with commas.",
    )
    exclude = forms.CharField(
        label="Exclude tags",
        required=False,
        max_length=TAG_INPUT_MAX,
        help_text="Separate tags with commas.",
    )
    rating = forms.ChoiceField(required=False, choices=[("", "Any rating"), *Rating.choices])
    crossover = forms.ChoiceField(
        label="Crossovers",
        required=False,
        choices=CROSSOVERS,
        help_text="A crossover is a work tagged with two or more fandoms.",
    )
    status = forms.ChoiceField(
        label="Completion",
        required=False,
        choices=[
            ("", "All works"),
            ("complete", "Complete only"),
            ("in_progress", "In progress only"),
        ],
    )
    single_chapter = forms.BooleanField(label="Single chapter only", required=False)
    language = forms.ChoiceField(required=False, choices=[("", "Any language"), *LANGUAGE_CHOICES])
    words_from = forms.IntegerField(
        label="Words from", required=False, min_value=0, max_value=10**9
    )
    words_to = forms.IntegerField(label="Words to", required=False, min_value=0, max_value=10**9)
    updated_from = forms.DateField(label="Updated from", required=False, widget=DateInput)
    updated_to = forms.DateField(label="Updated to", required=False, widget=DateInput)
    posted_from = forms.DateField(label="Posted from", required=False, widget=DateInput)
    posted_to = forms.DateField(label="Posted to", required=False, widget=DateInput)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=list(SORTS.items()))

    def clean_q(self) -> list[str]:
        return parse_query(self.cleaned_data["q"])

    def _tags(self, field: str) -> list[Tag]:
        tags, unknown = [], []
        for name in split_tag_list(self.cleaned_data[field]):
            tag = Tag.objects.named(name)
            if tag is None:
                unknown.append(name)
            else:
                # A synonym's works are found under its canonical: filter by that.
                tags.append(tag.merger if tag.merger_id else tag)
        if unknown:
            names = ", ".join(f"“{name}”" for name in unknown)
            raise forms.ValidationError(
                f"No tag is named {names}: check the spelling, or search for it as text."
            )
        return list({tag.pk: tag for tag in tags}.values())

    def clean_include(self) -> list[Tag]:
        return self._tags("include")

    def clean_exclude(self) -> list[Tag]:
        return self._tags("exclude")

    def clean_sort(self) -> str:
        return self.cleaned_data["sort"] or "updated"

    def clean(self):
        data = super().clean()
        both = {tag.pk for tag in data.get("include", [])} & {
            tag.pk for tag in data.get("exclude", [])
        }
        if both:
            names = ", ".join(f"“{tag.name}”" for tag in data["include"] if tag.pk in both)
            raise forms.ValidationError(
                f"{names} cannot be both included and excluded: remove it from one of them."
            )
        low, high = data.get("words_from"), data.get("words_to")
        if low is not None and high is not None and low > high:
            self.add_error("words_to", "“Words to” must be at least “Words from”.")
        for start, end in (("updated_from", "updated_to"), ("posted_from", "posted_to")):
            low, high = data.get(start), data.get(end)
            if low is not None and high is not None and low > high:
                self.add_error(end, "The end date must not be before the start date.")
        return data
