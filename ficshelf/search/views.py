"""The works search page (AO3's /works/search): a GET form, results as blurbs, facet counts.
Never page-cached: it is a function of its URL, and each filter is cheap on its own index."""

from django.shortcuts import render

from ficshelf.works import extensions, keyset
from ficshelf.works.models import Work

from .forms import WorkSearchForm
from .results import FACET_KINDS, FACET_SAMPLE, ORDERS, facets, find_works, first_found


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
        # The first results, in order, give the total when there are few and the facets'
        # sample when there are many (search.results.FACET_SAMPLE).
        first = first_found(works)
        sampled = len(first) > FACET_SAMPLE
        # Numbered pages, then cursors; past the end, or not a number at all: the last page,
        # or the first.
        page = keyset.paginate(
            works,
            request.GET,
            order=ORDERS[form.cleaned_data["sort"]],
            rows=lambda ids: Work.objects.filter(pk__in=ids).with_listing_data(),
            total=keyset.Total(None) if sampled else keyset.Total(len(first)),
        )
        page.object_list = extensions.add_blurb_notes(page.object_list, request.user)
        # ?more=<kind> lists more of one facet (AO3 stops at ten); anything else is ignored.
        more = request.GET.get("more", "")
        more = more if more in {kind for kind, _ in FACET_KINDS} else ""
        for facet in facets(works, more=more, ids=first[:FACET_SAMPLE]):
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
