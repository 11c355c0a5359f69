"""Wrangling one tag, and the autocomplete behind the posting form's tag fields. (Pages that
list or count works are in works.views: tags cannot see works.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from .forms import AutocompleteForm, WranglingForm, tag_named_in_url
from .models import Tag, TagParent
from .services import is_wrangler
from .suggestions import suggest_synonyms

AUTOCOMPLETE_LIMIT = 10
RECENT_CHANGES = 50


def _candidates(tag: Tag) -> list[Tag]:
    """Tags a suggestion for `tag` could name: its kind's tags that start like any word of
    it (index range scans), and its siblings under its parents."""
    same_kind = Tag.objects.of_kind(tag.kind).filter(merger__isnull=True)
    words = {word for word in tag.name_key.replace("/", " ").replace("&", " ").split()}
    found = {tag.pk: tag}
    for word in sorted(words)[:6]:
        for other in same_kind.starting_with(word)[:50]:
            found.setdefault(other.pk, other)
    siblings = TagParent.objects.filter(parent__in=tag.parents.all()).values("child")
    for other in same_kind.filter(pk__in=siblings)[:200]:
        found.setdefault(other.pk, other)
    return list(found.values())


@login_required
def edit_tag(request, tag: str):
    """A tag's wrangling page: what it is, what is above and below it, the changes made to
    it, likely synonyms, and the forms that change it."""
    tag = tag_named_in_url(tag)
    if tag is None:
        raise Http404("No such tag.")
    if not is_wrangler(request.user):
        raise PermissionDenied("Only tag wranglers can wrangle tags.")
    form = WranglingForm(request.POST or None, tag=tag)
    if request.method == "POST" and form.is_valid():
        try:
            form.save(wrangler=request.user)
        except ValidationError as refusal:
            form.add_error(None, refusal.messages)
        else:
            messages.success(request, f"“{tag}” was wrangled.")
            back = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(
                back, {request.get_host()}, require_https=request.is_secure()
            ):
                back = tag.get_wrangling_url()
            return redirect(back)
    suggestions = [
        suggestion
        for suggestion in suggest_synonyms(_candidates(tag))
        if tag.pk in (suggestion.tag.pk, suggestion.into.pk)
    ]
    return render(
        request,
        "tags/edit.html",
        {
            "tag": tag,
            "form": form,
            "synonyms": tag.synonyms.all(),
            "parents": tag.parents.all(),
            "children": tag.children.all(),
            "changes": tag.wrangling_changes.select_related("other", "wrangler")[:RECENT_CHANGES],
            "suggestions": suggestions,
        },
        status=400 if form.errors else 200,
    )


@require_GET
def autocomplete(request):
    """Tags of one kind starting with `term` (ignoring case), for the posting form: canonical
    tags first, then tags no wrangler has merged away; at most ten."""
    form = AutocompleteForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    tags = Tag.objects.of_kind(form.cleaned_data["kind"]).starting_with(form.cleaned_data["term"])
    found = list(tags.canonical().order_by("name_key")[:AUTOCOMPLETE_LIMIT])
    if len(found) < AUTOCOMPLETE_LIMIT:
        others = tags.canonical(False).filter(merger__isnull=True).order_by("name_key")
        found += list(others[: AUTOCOMPLETE_LIMIT - len(found)])
    return JsonResponse({"tags": [{"name": t.name, "canonical": t.canonical} for t in found]})
