"""The OPDS catalog's pages (/opds…): the root, newest works, fandoms, a fandom's or a tag's
works, search and its OpenSearch description. What they build is in opds.py."""

from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from ficshelf.search.forms import WorkSearchForm
from ficshelf.search.results import find_works
from ficshelf.tags.models import Tag, TagKind

from . import opds
from .feeds import feed_works, guest, tag_named, tag_param, tag_uri, works_under, xml_text
from .opds import ACQUISITION, NAVIGATION, SORT_NEW, Catalog, Link, NavigationEntry


def root(request):
    updated = opds.latest_update(feed_works())
    absolute = request.build_absolute_uri
    entries = [
        NavigationEntry(
            "Newest works",
            tag_uri("opds/new"),
            updated,
            "The works posted most recently",
            Link(SORT_NEW, absolute(reverse("downloads:opds_new")), ACQUISITION),
        ),
        NavigationEntry(
            "By fandom",
            tag_uri("opds/fandoms"),
            updated,
            "Every fandom with works, A to Z",
            Link("subsection", absolute(reverse("downloads:opds_fandoms")), NAVIGATION),
        ),
        NavigationEntry(
            "Search",
            tag_uri("opds/search"),
            updated,
            "Find works by their titles, summaries, tags, creators and text",
            Link("search", absolute(reverse("downloads:opds_opensearch")), opds.OPENSEARCH),
        ),
    ]
    catalog = Catalog(
        guid=tag_uri("opds"),
        title=xml_text(settings.SITE_NAME),
        kind=NAVIGATION,
        links=opds.catalog_links(request),
        entries=entries,
        updated=updated,
    )
    return opds.render_catalog(request, catalog)


def _acquisition(request, *, guid: str, title: str, works, up: str | None = None):
    catalog = Catalog(
        guid=guid,
        title=xml_text(title),
        kind=ACQUISITION,
        links=opds.catalog_links(request, up=up or reverse("downloads:opds_root")),
        updated=opds.latest_update(works),
    )
    return opds.render_catalog(request, opds.paginated(request, catalog, works))


def newest(request):
    return _acquisition(
        request,
        guid=tag_uri("opds/new"),
        title=f"Newest works | {settings.SITE_NAME}",
        works=opds.newest(feed_works()),
    )


def fandoms(request):
    updated = opds.latest_update(feed_works())
    found = opds.fandoms_with_works()
    page = Paginator(found, opds.FANDOMS_PER_PAGE).get_page(request.GET.get("page"))
    catalog = Catalog(
        guid=tag_uri("opds/fandoms"),
        title=xml_text(f"Fandoms | {settings.SITE_NAME}"),
        kind=NAVIGATION,
        links=opds.catalog_links(request, up=reverse("downloads:opds_root")),
        entries=opds.fandom_entries(request, page.object_list, updated),
        updated=updated,
    )
    here = request.build_absolute_uri(request.path)
    if page.has_previous():
        catalog.links.append(
            Link("previous", f"{here}?page={page.previous_page_number()}", NAVIGATION)
        )
    if page.has_next():
        catalog.links.append(Link("next", f"{here}?page={page.next_page_number()}", NAVIGATION))
    return opds.render_catalog(request, catalog)


def _canonical(tag: Tag, view_name: str):
    """A synonym's works are found under its canonical: its catalog page is the canonical's."""
    if tag.merger_id:
        return redirect(reverse(view_name, kwargs={"tag": tag_param(tag.merger)}), permanent=True)
    return None


def fandom(request, tag: str):
    found = tag_named(tag)
    if found.kind != TagKind.FANDOM:
        raise Http404("No such fandom.")
    moved = _canonical(found, "downloads:opds_fandom")
    if moved is not None:
        return moved
    return _acquisition(
        request,
        guid=tag_uri(f"opds/fandoms/{found.pk}"),
        title=f"{found.name} | {settings.SITE_NAME}",
        works=opds.newest(works_under(found)),
        up=reverse("downloads:opds_fandoms"),
    )


def tag_works(request, tag: str):
    found = tag_named(tag)
    moved = _canonical(found, "downloads:opds_tag")
    if moved is not None:
        return moved
    return _acquisition(
        request,
        guid=tag_uri(f"opds/tags/{found.pk}"),
        title=f"Works tagged “{found.name}” | {settings.SITE_NAME}",
        works=opds.newest(works_under(found)),
    )


def search(request):
    """The site's search, as an acquisition feed. A query the form refuses (too long, an
    unknown tag) finds nothing, and the feed's title says why: e-readers show no form errors."""
    form = WorkSearchForm(request.GET)
    query = xml_text(request.GET.get("q", ""))[:200]
    if form.is_valid():
        works = find_works(guest(), form.cleaned_data).filter(pk__in=feed_works().values("pk"))
        title = f"Search: {query}" if query else "All works"
    else:
        works = feed_works().none()
        errors = [str(e) for errors in form.errors.values() for e in errors]
        title = f"Search: {query} – {' '.join(errors)}"
    return _acquisition(
        request,
        guid=tag_uri(f"opds/search?q={quote(query)}"),
        title=f"{title} | {settings.SITE_NAME}",
        works=works,
    )


def opensearch(request):
    """The OpenSearch description readers fill {searchTerms} into."""
    template = request.build_absolute_uri(reverse("downloads:opds_search")) + "?q={searchTerms}"
    context = {
        "short_name": xml_text(settings.SITE_NAME)[:16],
        "archive_name": xml_text(settings.SITE_NAME),
        "template": template,
        "acquisition": ACQUISITION,
    }
    return opds.respond(request, "downloads/opds/opensearch.xml", context, opds.OPENSEARCH)
