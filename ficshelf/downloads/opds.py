"""The OPDS 1.2 catalog (Atom-based) that e-reader apps browse: KOReader, Moon+ Reader,
Thorium. Navigation feeds lead to acquisition feeds, whose entries link to the EPUB (and HTML)
downloads. Fetched without logging in, so it lists what a public feed may (`Way.FEED`, as
feeds.py): never drafts, never works for logged-in readers only.

The documents are templates (templates/downloads/opds/); every text they print is made safe
for XML here first (`xml_text`), and Django's escaping does the rest.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, set_response_etag

from ficshelf.tags.models import Tag, TagKind
from ficshelf.works.models import Work

from .feeds import (
    CACHE_SECONDS,
    Entry,
    feed_works,
    rfc3339,
    tag_param,
    tag_uri,
    with_entry_data,
    work_entry,
    xml_text,
)
from .views import download_name

NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH = "application/opensearchdescription+xml"
ACQUIRE = "http://opds-spec.org/acquisition"
SORT_NEW = "http://opds-spec.org/sort/new"
EPUB = "application/epub+zip"
HTML = "text/html"
PDF = "application/pdf"

WORKS_PER_PAGE = 20
FANDOMS_PER_PAGE = 100


@dataclass
class Link:
    rel: str
    href: str  # absolute
    type: str
    title: str = ""


@dataclass
class NavigationEntry:
    title: str
    guid: str
    updated: str
    content: str
    link: Link


@dataclass
class Book:
    """An acquisition entry: a work, with its dates in RFC 3339 and its links absolute."""

    entry: Entry
    updated: str
    published: str
    issued: str  # dc:issued, the date it was first posted
    language: str
    links: list[Link]
    authors: list[tuple[str, str]]  # (name, absolute uri)
    categories: list[tuple[str, str, str]]  # (term, label, scheme)


@dataclass
class Catalog:
    """One OPDS document: its own links, and its entries (NavigationEntry or Book)."""

    guid: str
    title: str
    kind: str  # NAVIGATION or ACQUISITION
    links: list[Link] = field(default_factory=list)
    entries: list = field(default_factory=list)
    updated: str = ""
    total: int | None = None  # OpenSearch's totalResults, on paginated feeds
    start_index: int = 1
    per_page: int = WORKS_PER_PAGE


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def catalog_links(request, *, up: str | None = None) -> list[Link]:
    """The links every document carries: itself, the start, the search description."""
    here = absolute(request, request.get_full_path())
    start = absolute(request, reverse("downloads:opds_root"))
    links = [
        Link("start", start, NAVIGATION, xml_text(settings.SITE_NAME)),
        Link("search", absolute(request, reverse("downloads:opds_opensearch")), OPENSEARCH),
    ]
    if up is not None:
        links.append(Link("up", absolute(request, up), NAVIGATION))
    return [Link("self", here, ""), *links]


def book(request, work: Work) -> Book:
    entry = work_entry(work)
    name = download_name(work)
    epub = reverse(
        "downloads:download", kwargs={"work_id": work.pk, "slug": name, "extension": "epub"}
    )
    html = reverse(
        "downloads:download", kwargs={"work_id": work.pk, "slug": name, "extension": "html"}
    )
    pdf = reverse(
        "downloads:download", kwargs={"work_id": work.pk, "slug": name, "extension": "pdf"}
    )
    return Book(
        entry=entry,
        updated=rfc3339(entry.updated),
        published=rfc3339(entry.published),
        issued=timezone.localdate(entry.published).isoformat(),
        language=xml_text(work.language),
        links=[
            Link(ACQUIRE, absolute(request, epub), EPUB, "EPUB"),
            Link(ACQUIRE, absolute(request, pdf), PDF, "PDF"),
            Link(ACQUIRE, absolute(request, html), HTML, "HTML"),
            Link("alternate", absolute(request, entry.path), HTML, "Read online"),
        ],
        authors=[(a.name, absolute(request, a.path)) for a in entry.authors],
        categories=[(c.term, c.term, tag_uri(f"tag-kinds/{c.kind}")) for c in entry.categories],
    )


def paginated(request, catalog: Catalog, works) -> Catalog:
    """A page of `works` as books, with first/previous/next/last links keeping the query."""
    paginator = Paginator(with_entry_data(works), WORKS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    catalog.entries = [book(request, work) for work in page.object_list]
    catalog.total = paginator.count
    catalog.start_index = page.start_index() or 1
    catalog.per_page = WORKS_PER_PAGE

    def to_page(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return absolute(request, f"{request.path}?{query.urlencode()}")

    catalog.links.append(Link("first", to_page(1), catalog.kind))
    if page.has_previous():
        catalog.links.append(Link("previous", to_page(page.previous_page_number()), catalog.kind))
    if page.has_next():
        catalog.links.append(Link("next", to_page(page.next_page_number()), catalog.kind))
    catalog.links.append(Link("last", to_page(paginator.num_pages), catalog.kind))
    return catalog


def newest(works):
    return works.order_by("-published_at", "-pk")


def latest_update(works) -> str:
    """The feed's <updated>: when the newest of its works last changed."""
    latest = works.order_by().aggregate(latest=Max(Coalesce("revised_at", "published_at")))
    return rfc3339(latest["latest"])


def fandoms_with_works():
    """Canonical fandoms with at least one work a feed may carry, with how many."""
    visible = feed_works().values("pk")
    return (
        Tag.objects.canonical()
        .filter(kind=TagKind.FANDOM)
        .annotate(work_count=Count("filter_taggings", filter=Q(filter_taggings__work__in=visible)))
        .filter(work_count__gt=0)
        .order_by("name_key", "pk")
    )


def fandom_entries(request, fandoms, updated: str) -> list[NavigationEntry]:
    return [
        NavigationEntry(
            title=xml_text(fandom.name),
            guid=tag_uri(f"opds/fandoms/{fandom.pk}"),
            updated=updated,
            content=f"{fandom.work_count} work{'s' if fandom.work_count != 1 else ''}",
            link=Link(
                "subsection",
                absolute(
                    request, reverse("downloads:opds_fandom", kwargs={"tag": tag_param(fandom)})
                ),
                ACQUISITION,
            ),
        )
        for fandom in fandoms
    ]


def respond(request, template: str, context: dict, content_type: str) -> HttpResponse:
    """The document, with the feeds' caching: public for five minutes, ETag and 304s."""
    response = HttpResponse(
        render_to_string(template, context, request=None),
        content_type=f"{content_type}; charset=utf-8",
    )
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response)


def render_catalog(request, catalog: Catalog) -> HttpResponse:
    for link in catalog.links:
        if link.rel == "self":
            link.type = catalog.kind
    template = (
        "downloads/opds/navigation.xml"
        if catalog.kind == NAVIGATION
        else "downloads/opds/acquisition.xml"
    )
    context = {"catalog": catalog, "archive_name": xml_text(settings.SITE_NAME)}
    return respond(request, template, context, catalog.kind)
