"""Forms of the blocklist and saved searches pages (other parts of the shelf keep their own).
A name that matches no tag, account or work is a form error, shown on the page."""

import re

from django import forms
from django.urls import reverse_lazy

from ficshelf.accounts.models import User
from ficshelf.tags.models import Tag, TagKind
from ficshelf.works.models import Work
from ficshelf.works.reading import Way

from .models import SavedSearch

TAG_NAME_MAX = 200
SUGGEST_KINDS = [
    (TagKind.FREEFORM.value, "Additional tags"),
    (TagKind.CHARACTER.value, "Characters"),
    (TagKind.RELATIONSHIP.value, "Relationships"),
    (TagKind.FANDOM.value, "Fandoms"),
]


def _tag_input(kind: str, **attrs):
    # static/js/tag-autocomplete.js offers tags of that kind as one types; blocklist.js
    # switches the kind with the "Suggest" menu.
    return forms.TextInput(
        attrs={
            "data-tag-autocomplete": kind,
            "data-autocomplete-url": reverse_lazy("wrangling:autocomplete"),
            "autocomplete": "off",
            **attrs,
        }
    )


def _named_tag(name: str) -> Tag:
    tag = Tag.objects.named(name)
    if tag is None:
        raise forms.ValidationError(
            f"No tag is named “{name}”: check the spelling.", code="unknown_tag"
        )
    return tag


class BlockTagForm(forms.Form):
    tag = forms.CharField(
        label="Tag to block",
        max_length=TAG_NAME_MAX,
        widget=_tag_input(TagKind.FREEFORM, **{"data-blocklist-tag": ""}),
        help_text="Works with this tag, its synonyms or its subtags are hidden.",
    )
    kind = forms.ChoiceField(
        label="Suggest", required=False, choices=SUGGEST_KINDS, initial=TagKind.FREEFORM
    )
    fandom = forms.CharField(
        label="Only in fandom",
        required=False,
        max_length=TAG_NAME_MAX,
        widget=_tag_input(TagKind.FANDOM),
        help_text="Leave empty to block the tag everywhere.",
    )

    def clean_tag(self) -> Tag:
        return _named_tag(self.cleaned_data["tag"].strip())

    def clean_fandom(self) -> Tag | None:
        name = self.cleaned_data["fandom"].strip()
        if not name:
            return None
        tag = _named_tag(name)
        if (tag.merger or tag).kind != TagKind.FANDOM:
            raise forms.ValidationError(f"“{tag.name}” is not a fandom.", code="not_fandom")
        return tag


class UnblockTagForm(forms.Form):
    tag = forms.IntegerField(min_value=1)
    fandom = forms.IntegerField(min_value=1, required=False)


class HidingForm(forms.Form):
    hide_read = forms.BooleanField(label="Hide works I have read", required=False)
    hide_kudosed = forms.BooleanField(label="Hide works I gave kudos to", required=False)


class HideCreatorForm(forms.Form):
    username = forms.CharField(label="Hide works by (user name)", max_length=150)

    def clean_username(self) -> User:
        name = self.cleaned_data["username"].strip()
        user = User.objects.filter(username__iexact=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(f"Nobody here is called “{name}”.", code="unknown")
        return user


_WORK_ID = re.compile(r"(?:^|/works/)(\d{1,12})(?:[/?#]|$)")


class HideWorkForm(forms.Form):
    work = forms.CharField(label="Hide a work (its address or number)", max_length=500)

    def clean_work(self) -> Work:
        text = self.cleaned_data["work"].strip()
        match = _WORK_ID.search(text)
        work = None
        if match:
            work = Work.objects.visible_to(None, Way.LIST).filter(pk=int(match[1])).first()
        if work is None:
            raise forms.ValidationError(
                "No work you can see has that address or number.", code="unknown"
            )
        return work


class IdForm(forms.Form):
    id = forms.IntegerField(min_value=1)


class SavedSearchNameForm(forms.Form):
    name = forms.CharField(
        label="Name this search", max_length=SavedSearch._meta.get_field("name").max_length
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the search a name.", code="required")
        return name


class SaveSearchForm(SavedSearchNameForm):
    query = forms.CharField(required=False, max_length=10_000, widget=forms.HiddenInput)
