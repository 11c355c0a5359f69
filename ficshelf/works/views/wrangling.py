"""Wrangling pages that count works, so they live in works (tags cannot see works): the
wranglers' home (fandoms with tags waiting) and a fandom's bin of unwrangled tags, with
likely synonyms to accept. The changes themselves are posted to the tag's wrangling page
(tags.views.edit_tag) and made by tags.services."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import render

from ficshelf.tags.forms import tag_named_in_url
from ficshelf.tags.models import Tag, TagKind
from ficshelf.tags.services import is_wrangler
from ficshelf.tags.suggestions import suggest_synonyms

from ..models import FilterTagging, Tagging

BIN_KINDS = [TagKind.RELATIONSHIP, TagKind.CHARACTER, TagKind.FREEFORM]
BIN_LIMIT = 500


def _require_wrangler(user) -> None:
    if not is_wrangler(user):
        raise PermissionDenied("Only tag wranglers can wrangle tags.")


@login_required
def home(request):
    """Canonical fandoms with how many unwrangled tags their works use, and the unwrangled
    fandom tags themselves."""
    _require_wrangler(request.user)
    waiting = dict(
        Tagging.objects.filter(
            tag__in=Tag.objects.unwrangled(),
            work__filter_taggings__tag__kind=TagKind.FANDOM,
            work__filter_taggings__tag__canonical=True,
        )
        .values_list("work__filter_taggings__tag")
        .annotate(count=Count("tag", distinct=True))
        .values_list("work__filter_taggings__tag", "count")
    )
    fandoms = list(Tag.objects.of_kind(TagKind.FANDOM).canonical().order_by("name_key"))
    for fandom in fandoms:
        fandom.unwrangled_count = waiting.get(fandom.pk, 0)
    unwrangled_fandoms = Tag.objects.of_kind(TagKind.FANDOM).unwrangled().order_by("name_key")
    return render(
        request,
        "tags/wrangling_home.html",
        {"fandoms": fandoms, "unwrangled_fandoms": unwrangled_fandoms[:BIN_LIMIT]},
    )


@login_required
def fandom_bin(request, tag: str):
    """The unwrangled tags used on works in this fandom, by kind and most used first, and the
    synonyms likely among this fandom's tags."""
    _require_wrangler(request.user)
    fandom = tag_named_in_url(tag)
    if fandom is None or fandom.kind != TagKind.FANDOM:
        raise Http404("No such fandom.")
    in_fandom = FilterTagging.objects.filter(tag=fandom).values("work")
    uses = dict(
        Tagging.objects.filter(work__in=in_fandom, tag__kind__in=BIN_KINDS)
        .values_list("tag")
        .annotate(count=Count("work", distinct=True))
        .values_list("tag", "count")
    )
    used = Tag.objects.filter(pk__in=list(uses))
    unwrangled = sorted(
        used.unwrangled()[:BIN_LIMIT], key=lambda t: (-uses.get(t.pk, 0), t.name_key)
    )
    for unwrangled_tag in unwrangled:
        unwrangled_tag.uses = uses.get(unwrangled_tag.pk, 0)
    # Suggestions among the tags the fandom's works use and the canonicals placed under it.
    candidates = {t.pk: t for t in used.filter(merger__isnull=True)[:BIN_LIMIT]}
    for child in fandom.children.filter(merger__isnull=True)[:BIN_LIMIT]:
        candidates.setdefault(child.pk, child)
    suggestions = suggest_synonyms(candidates.values(), uses)
    return render(
        request,
        "tags/fandom_bin.html",
        {
            "fandom": fandom,
            "bins": [(kind.label, [t for t in unwrangled if t.kind == kind]) for kind in BIN_KINDS],
            "suggestions": suggestions,
        },
    )
