"""Forms for the wrangling pages and the autocomplete endpoint: they parse the request and
name the tags; the rules are in tags.services."""

from django import forms

from . import services
from .models import MAX_TAG_LENGTH, Tag, TagKind, tag_from_param

WRANGLED_KINDS = [
    (kind.value, kind.label)
    for kind in (TagKind.FANDOM, TagKind.RELATIONSHIP, TagKind.CHARACTER, TagKind.FREEFORM)
]


class WranglingForm(forms.Form):
    """One wrangling change to one tag, from the buttons of its wrangling page."""

    ACTIONS = {
        "canonical": "Make canonical",
        "not_canonical": "Make not canonical",
        "merge": "Make a synonym of",
        "unmerge": "Unmerge",
        "add_parent": "Add a parent",
        "remove_parent": "Remove a parent",
    }
    NEEDS_OTHER = {"merge", "add_parent", "remove_parent"}

    action = forms.ChoiceField(choices=list(ACTIONS.items()))
    other = forms.CharField(required=False, label="Tag name", max_length=MAX_TAG_LENGTH * 2)
    make_canonical = forms.BooleanField(required=False)

    def __init__(self, *args, tag: Tag, **kwargs):
        super().__init__(*args, **kwargs)
        self.tag = tag

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        name = (cleaned.get("other") or "").strip()
        cleaned["other_tag"] = None
        if action in self.NEEDS_OTHER:
            if not name:
                self.add_error("other", "Please name a tag.")
            elif (other := Tag.objects.named(name)) is None:
                self.add_error("other", f"There is no tag named “{name}”.")
            else:
                cleaned["other_tag"] = other
        return cleaned

    def save(self, *, wrangler) -> Tag:
        """Make the change; raises the service's ValidationError or PermissionDenied."""
        action, other = self.cleaned_data["action"], self.cleaned_data["other_tag"]
        tag = self.tag
        if action == "canonical":
            return services.make_canonical(wrangler=wrangler, tag=tag)
        if action == "not_canonical":
            return services.make_not_canonical(wrangler=wrangler, tag=tag)
        if action == "merge":
            return services.merge_tag(
                wrangler=wrangler,
                tag=tag,
                into=other,
                make_canonical=self.cleaned_data["make_canonical"],
            )
        if action == "unmerge":
            return services.unmerge_tag(wrangler=wrangler, tag=tag)
        if action == "add_parent":
            return services.add_parent(wrangler=wrangler, tag=tag, parent=other)
        return services.remove_parent(wrangler=wrangler, tag=tag, parent=other)


class AutocompleteForm(forms.Form):
    kind = forms.ChoiceField(choices=WRANGLED_KINDS)
    term = forms.CharField(max_length=MAX_TAG_LENGTH, strip=True)


def tag_named_in_url(param: str) -> Tag | None:
    return Tag.objects.named(tag_from_param(param))
