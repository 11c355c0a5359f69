"""The works search page (AO3's /works/search): a GET form, results as blurbs, facet counts.
Never page-cached: it is a function of its URL, and each filter is cheap on its own index."""

from django.core.paginator import Paginator
from django.shortcuts import render

from ficshelf.works import extensions

from .forms import WorkSearchForm
from .results import facets, find_works

WORKS_PER_PAGE = 20


def _with(params, field: str, value: str) -> str:
    """The current search's query string with `value` added to `field` (a new page 1)."""
    params = params.copy()
    params.pop("page", None)
    if field == "rating":
        params["rating"] = value
    else:
        current = params.get(field, "").strip().strip(",")
        params[field] = f"{current}, {value}" if current else value
    return params.urlencode()


def search_works(request):
    form = WorkSearchForm(request.GET)
    page, facet_links = None, []
    if form.is_valid():
        works = find_works(request.user, form.cleaned_data)
        paginator = Paginator(works.with_listing_data(), WORKS_PER_PAGE)
        # Past the end, or not a number at all: the last page, or the first.
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = extensions.add_blurb_notes(page.object_list, request.user)
        for facet in facets(works):
            facet_links.append(
                {
                    "label": facet.label,
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
