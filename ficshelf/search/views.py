"""The works search page (AO3's /works/search): a GET form, results as blurbs, facet counts.
Never page-cached: it is a function of its URL, and each filter is cheap on its own index."""

import hashlib
import json

from django.core.cache import cache
from django.shortcuts import render

from ficshelf.works import extensions, keyset, versions
from ficshelf.works.models import Work
from ficshelf.works.reading import is_reader

from .forms import WorkSearchForm
from .results import FACET_KINDS, FACET_SAMPLE, ORDERS, facets, find_works, first_found

# What a search found (its first results and their facet counts) is kept in the shared cache
# under the listings version, which every change that can alter a list of works moves on (a
# post, an edit, a wrangling change, a hidden work, kudos, comments, bookmarks): a new version
# makes new keys, so nothing kept is ever shown after such a change. Hits are counted without
# moving it (stats), so a search sorted by hits is never kept.
FOUND_SECONDS = 10 * 60
UNKEPT_SORTS = {"hits"}


def _found_key(request, criteria: dict, more: str) -> str | None:
    """The cache key of this search for this viewer, or None when it must not be kept: the
    viewer hides works from their lists (their own choice, in the result), the sort moves
    without the listings version, or there is no listings version."""
    if getattr(request, "hidden_from_list", None) is not None:
        return None
    if criteria["sort"] in UNKEPT_SORTS:
        return None
    current = versions.listings()
    if current is None:
        return None
    normal = {
        name: sorted(tag.pk for tag in value) if name in ("include", "exclude") else value
        for name, value in sorted(criteria.items())
    }
    # The reading policy's search rule depends only on whether the viewer is logged in.
    normal["_viewer"] = "reader" if is_reader(request.user) else "guest"
    normal["_more"] = more
    text = json.dumps(normal, sort_keys=True, default=str)
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    return f"search.found:{current.version}:{digest}:{FACET_SAMPLE}:{keyset.PER_PAGE}"


def _with(params, field: str, value: str) -> str:
    """The current search's query string with `value` added to `field` (a new page 1)."""
    params = params.copy()
    params.pop("page", None)
    params.pop("more", None)
    if field == "rating":
        params["rating"] = value
    else:
        current = params.get(field, "").strip().strip(",")
        params[field] = f"{current}, {value}" if current else value
    return params.urlencode()


def _more(params, kind: str) -> str:
    params = params.copy()
    params.pop("more", None)
    if kind:
        params["more"] = kind
    return params.urlencode()


def search_works(request):
    form = WorkSearchForm(request.GET)
    page, facet_links = None, []
    if form.is_valid():
        works = find_works(request.user, form.cleaned_data, request=request)
        order = ORDERS[form.cleaned_data["sort"]]
        # ?more=<kind> lists more of one facet (AO3 stops at ten); anything else is ignored.
        more = request.GET.get("more", "")
        more = more if more in {kind for kind, _ in FACET_KINDS} else ""
        key = _found_key(request, form.cleaned_data, more)
        kept = cache.get(key) if key else None
        if kept is None:
            # The first results, in order, give the total when there are few, the numbered
            # pages, and the facets' sample when there are many (results.FACET_SAMPLE).
            first = first_found(works, order)
            sample = first[:FACET_SAMPLE]
            counted = facets(
                works, more=more, ids=[row[0] for row in sample], ratings=[r[2] for r in sample]
            )
            if key:
                cache.set(key, (first, counted), FOUND_SECONDS)
        else:
            first, counted = kept
        sampled = len(first) > FACET_SAMPLE
        # Numbered pages, then cursors; past the end, or not a number at all: the last page,
        # or the first.
        page = keyset.paginate(
            works,
            request.GET,
            order=order,
            rows=lambda ids: Work.objects.filter(pk__in=ids).with_listing_data(),
            total=keyset.Total(None) if sampled else keyset.Total(len(first)),
            first=first,
        )
        page.object_list = extensions.add_blurb_notes(page.object_list, request.user)
        for facet in counted:
            facet_links.append(
                {
                    "label": facet.label,
                    "more": _more(request.GET, facet.kind) if facet.has_more else None,
                    "expanded": facet.expanded,
                    "fewer": _more(request.GET, ""),
                    "entries": [
                        {
                            "name": entry.name,
                            "count": entry.count,
                            "include": _with(
                                request.GET,
                                "rating" if facet.field == "rating" else "include",
                                entry.value,
                            ),
                            "exclude": None
                            if facet.field == "rating"
                            else _with(request.GET, "exclude", entry.value),
                        }
                        for entry in facet.entries
                    ],
                }
            )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "facets": facet_links,
        "facets_sampled": page is not None and page.total.count is None,
        "facet_sample": FACET_SAMPLE,
        "query": query.urlencode(),
    }
    return render(request, "search/works.html", context, status=200)
