"""Filtering a list of bookmarks: a GET form (a filtered list is a shareable URL), as the works
search's. The work's tags are matched through FilterTagging (synonyms and parents included,
as on tag pages and in search); the bookmarker's own tags by the tag, its canonical and its
synonyms. A series bookmark matches a work tag when one of the series' works is under it."""

from django import forms
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from ficshelf.search.forms import TAG_INPUT_MAX
from ficshelf.series.models import SeriesPart
from ficshelf.tags.models import Tag
from ficshelf.tags.services import split_tag_list
from ficshelf.works.models import FilterTagging

from .models import Bookmark, BookmarkTagging

WORDS_MAX = 200

SORTS = {
    "bookmarked": "Date bookmarked",
    "updated": "Date updated",
}
ORDERINGS = {
    "bookmarked": [F("created_at").desc(), "-pk"],
    # The bookmarked work's last revision (a series' last change), newest first.
    "updated": [
        Coalesce("work__revised_at", "series__updated_at", "created_at").desc(),
        "-pk",
    ],
}


def _tag_field(label: str, help_text: str = "Separate tags with commas.") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=TAG_INPUT_MAX, help_text=help_text
    )


class BookmarkFilterForm(forms.Form):
    q = forms.CharField(
        label="Words in the notes or title",
        required=False,
        max_length=WORDS_MAX,
        error_messages={"max_length": f"Search for at most {WORDS_MAX} characters."},
    )
    include = _tag_field("Work tags to include")
    exclude = _tag_field("Work tags to exclude")
    bookmarker_include = _tag_field("Bookmarker's tags to include")
    bookmarker_exclude = _tag_field("Bookmarker's tags to exclude")
    rec = forms.BooleanField(label="Recs only", required=False)
    with_notes = forms.BooleanField(label="With notes only", required=False)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=list(SORTS.items()))

    # Fields that make no sense on one work's own bookmarks.
    WORK_FIELDS = ("include", "exclude")

    def __init__(self, *args, one_work: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if one_work:
            for name in self.WORK_FIELDS:
                del self.fields[name]

    def _tags(self, field: str) -> list[Tag]:
        tags, unknown = [], []
        for name in split_tag_list(self.cleaned_data[field]):
            tag = Tag.objects.named(name)
            if tag is None:
                unknown.append(name)
            else:
                tags.append(tag.merger if tag.merger_id else tag)
        if unknown:
            names = ", ".join(f"“{name}”" for name in unknown)
            raise forms.ValidationError(f"No tag is named {names}: check the spelling.")
        return list({tag.pk: tag for tag in tags}.values())

    def clean_include(self) -> list[Tag]:
        return self._tags("include")

    def clean_exclude(self) -> list[Tag]:
        return self._tags("exclude")

    def clean_bookmarker_include(self) -> list[Tag]:
        return self._tags("bookmarker_include")

    def clean_bookmarker_exclude(self) -> list[Tag]:
        return self._tags("bookmarker_exclude")

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def clean_sort(self) -> str:
        return self.cleaned_data["sort"] or "bookmarked"

    def clean(self):
        data = super().clean()
        for wanted, unwanted in (
            ("include", "exclude"),
            ("bookmarker_include", "bookmarker_exclude"),
        ):
            both = {tag.pk for tag in data.get(wanted) or []} & {
                tag.pk for tag in data.get(unwanted) or []
            }
            if both:
                names = ", ".join(f"“{tag.name}”" for tag in data[wanted] if tag.pk in both)
                self.add_error(unwanted, f"{names} cannot be both included and excluded.")
        return data

    @property
    def is_filtered(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in self.fields if name != "sort")


def _under_work_tag(tag: Tag) -> Q:
    works = FilterTagging.objects.filter(tag=tag).values("work")
    series = SeriesPart.objects.filter(work__in=works).values("series")
    # By primary key, so that excluding it never trips over the NULL of the other target.
    return Q(pk__in=Bookmark.objects.filter(Q(work__in=works) | Q(series__in=series)).values("pk"))


def _with_bookmarker_tag(tag: Tag) -> Q:
    # The tag is a canonical (the form resolves synonyms): it and its synonyms.
    names = Tag.objects.filter(Q(pk=tag.pk) | Q(merger=tag)).values("pk")
    return Q(pk__in=BookmarkTagging.objects.filter(tag__in=names).values("bookmark"))


def filter_bookmarks(bookmarks, criteria: dict):
    """`bookmarks` (a QuerySet, already limited to what the viewer may see) meeting the
    cleaned form's `criteria`, in the order asked for."""
    for tag in criteria.get("include") or []:
        bookmarks = bookmarks.filter(_under_work_tag(tag))
    for tag in criteria.get("exclude") or []:
        bookmarks = bookmarks.exclude(_under_work_tag(tag))
    for tag in criteria.get("bookmarker_include") or []:
        bookmarks = bookmarks.filter(_with_bookmarker_tag(tag))
    for tag in criteria.get("bookmarker_exclude") or []:
        bookmarks = bookmarks.exclude(_with_bookmarker_tag(tag))
    if criteria.get("rec"):
        bookmarks = bookmarks.filter(rec=True)
    if criteria.get("with_notes"):
        bookmarks = bookmarks.exclude(notes="")
    for word in (criteria.get("q") or "").split():
        bookmarks = bookmarks.filter(
            Q(notes__icontains=word)
            | Q(work__title__icontains=word)
            | Q(series__title__icontains=word)
        )
    return bookmarks.order_by(*ORDERINGS[criteria.get("sort") or "bookmarked"])
