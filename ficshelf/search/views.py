"""The works search page (AO3's /works/search): a GET form, results as blurbs, facet counts.
Never page-cached: it is a function of its URL, and each filter is cheap on its own index."""

from django.core.paginator import Paginator
from django.shortcuts import render

from ficshelf.works import extensions

from .forms import WorkSearchForm
from .results import FACET_KINDS, facets, find_works

WORKS_PER_PAGE = 20


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
        paginator = Paginator(works.with_listing_data(), WORKS_PER_PAGE)
        # Past the end, or not a number at all: the last page, or the first.
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = extensions.add_blurb_notes(page.object_list, request.user)
        # ?more=<kind> lists more of one facet (AO3 stops at ten); anything else is ignored.
        more = request.GET.get("more", "")
        more = more if more in {kind for kind, _ in FACET_KINDS} else ""
        for facet in facets(works, more=more):
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
        "query": query.urlencode(),
    }
    return render(request, "search/works.html", context, status=200)
