"""Public Atom feeds: a tag's new works, a creator's new works and chapters, a work's new
chapters, a series' works (issue 12). Feed readers do not log in, so every feed shows what
the reading policy lets a feed carry (`Way.FEED`): posted works not restricted to logged-in
readers, whoever asks and whatever cookie they send. A work or series a feed may not carry
is not found (404), never forbidden: a 403 would tell that it exists.

The OPDS catalog (opds.py) is built from the same entries.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import parse_http_date_safe

from ficshelf.accounts.models import User
from ficshelf.series.models import Series
from ficshelf.tags.models import Tag, TagKind, tag_from_param, tag_to_param
from ficshelf.works import extensions
from ficshelf.works.models import Chapter, FilterTagging, Work
from ficshelf.works.reading import Way, may

FEED_ENTRIES = 20
WORK_FEED_CHAPTERS = 50
CACHE_SECONDS = 300
# The date in the archive's tag: URIs (RFC 4151). Fixed forever, so ids never change.
TAG_URI_DATE = "2024"
# The kinds of tags an entry lists as categories, in the order of a work's meta block.
CATEGORY_KINDS = (TagKind.FANDOM, TagKind.RELATIONSHIP, TagKind.CHARACTER, TagKind.FREEFORM)

# What XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/U+FFFF):
# removed from every text a feed writes, or the document would not parse.
_NOT_IN_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value) -> str:
    return _NOT_IN_XML.sub("", str(value or ""))


def guest():
    return AnonymousUser()


def tag_uri(path: str) -> str:
    """A permanent id: tag:<archive host>,2024:<path> (the host from SITE_URL, not the
    request, so an entry keeps its id whichever address a reader fetched it by)."""
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"tag:{host or 'localhost'},{TAG_URI_DATE}:{path}"


def rfc3339(moment: datetime | None) -> str:
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def feed_works():
    """Works a public feed may carry, without what the listing exclusions leave out of a
    guest's lists (with no request: no guest's cookie counts here)."""
    works = Work.objects.visible_to(guest(), Way.FEED).posted()
    return extensions.without_hidden(works, guest())


def newest_posted(works):
    return works.order_by("-published_at", "-pk")


def works_under(tag: Tag):
    return feed_works().filter(pk__in=FilterTagging.objects.filter(tag=tag).values("work"))


def tag_named(param: str) -> Tag:
    tag = Tag.objects.named(tag_from_param(param))
    if tag is None:
        raise Http404("No such tag.")
    return tag


def tag_param(tag: Tag) -> str:
    return tag_to_param(tag.name)


# --- Entries ----------------------------------------------------------------------------------


@dataclass
class Author:
    name: str
    path: str


@dataclass
class Category:
    term: str
    kind: str  # a TagKind


@dataclass
class Entry:
    """One entry of a feed, every text already safe for XML."""

    title: str
    path: str
    guid: str
    published: datetime
    updated: datetime
    summary: str  # sanitized HTML (SanitizedHTMLField), sent as type="html"
    authors: list[Author] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    work: Work | None = None


def authors_of(work: Work) -> list[Author]:
    return [Author(xml_text(p), p.get_absolute_url()) for p in work.creator_pseuds()]


def categories_of(work: Work) -> list[Category]:
    return [
        Category(xml_text(tag.name), kind)
        for kind in CATEGORY_KINDS
        for tag in work.tags_of_kind(kind)
    ]


def work_entry(work: Work, *, updated: datetime | None = None) -> Entry:
    return Entry(
        title=xml_text(work.title),
        path=work.get_absolute_url(),
        guid=tag_uri(f"works/{work.pk}"),
        published=work.published_at,
        updated=updated or work.revised_at or work.published_at,
        summary=xml_text(work.summary),
        authors=authors_of(work),
        categories=categories_of(work),
        work=work,
    )


def chapter_entry(chapter: Chapter) -> Entry:
    work = chapter.work
    return Entry(
        title=xml_text(f"{work.title}: {chapter.full_title}"),
        path=chapter.get_absolute_url(),
        guid=tag_uri(f"chapters/{chapter.pk}"),
        published=chapter.published_at,
        updated=chapter.published_at,
        summary=xml_text(chapter.summary or work.summary),
        authors=authors_of(work),
        categories=categories_of(work),
        work=work,
    )


def with_entry_data(works):
    return works.prefetch_related("creatorships__pseud__user", "taggings__tag")


# --- The Atom documents -------------------------------------------------------------------------


class ArchiveAtomFeed(Atom1Feed):
    """Atom with every creator of an entry (Django's writes one) and categories that name
    their kind of tag (fandom, relationship, character, freeform) in `scheme`."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", author.name)
            handler.addQuickElement("uri", self.absolute(author.path))
            handler.endElement("author")
        for category in item.get("tags", ()):
            attributes = {
                "term": category.term,
                "label": category.term,
                "scheme": tag_uri(f"tag-kinds/{category.kind}"),
            }
            handler.addQuickElement("category", "", attributes)

    def absolute(self, path: str) -> str:
        return self.feed["site_root"] + path


class ArchiveFeed(Feed):
    """The shared parts of the four feeds: entries (Entry), their authors and categories,
    and the caching headers."""

    feed_type = ArchiveAtomFeed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Content-Type"] = "application/atom+xml; charset=utf-8"
        response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
        set_response_etag(response)
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )

    def get_feed(self, obj, request):
        # One instance serves every request (and thread): what a request brings goes on the
        # generator it makes, never on self.
        feed = super().get_feed(obj, request)
        feed.feed["site_root"] = f"{request.scheme}://{request.get_host()}"
        return feed

    def author_name(self, obj):
        return xml_text(settings.SITE_NAME)

    def item_title(self, entry: Entry) -> str:
        return entry.title

    def item_link(self, entry: Entry) -> str:
        return entry.path

    def item_guid(self, entry: Entry) -> str:
        return entry.guid

    item_guid_is_permalink = False

    def item_description(self, entry: Entry) -> str:
        return entry.summary

    def item_pubdate(self, entry: Entry):
        return entry.published

    def item_updateddate(self, entry: Entry):
        return entry.updated

    def item_extra_kwargs(self, entry: Entry) -> dict:
        return {"authors": entry.authors, "tags": entry.categories}


class TagFeed(ArchiveFeed):
    """The newest works found under a tag (its synonyms' and subtags' too, as on its page)."""

    def get_object(self, request, tag: str):
        return tag_named(tag)

    def title(self, tag: Tag) -> str:
        return xml_text(f"Works tagged “{tag.name}” | {settings.SITE_NAME}")

    def subtitle(self, tag: Tag) -> str:
        return "The newest works under this tag"

    def link(self, tag: Tag) -> str:
        return tag.get_absolute_url()

    def feed_guid(self, tag: Tag) -> str:
        return tag_uri(f"tags/{tag.pk}/feed")

    def items(self, tag: Tag) -> list[Entry]:
        works = with_entry_data(newest_posted(works_under(tag)))[:FEED_ENTRIES]
        return [work_entry(work) for work in works]


class CreatorFeed(ArchiveFeed):
    """A creator's new works and new chapters: one entry a chapter posted, the first chapter
    standing for the work."""

    def get_object(self, request, username: str):
        return get_object_or_404(User, username__iexact=username, is_active=True)

    def title(self, user: User) -> str:
        return xml_text(f"Works by {user.username} | {settings.SITE_NAME}")

    def subtitle(self, user: User) -> str:
        return "New works and chapters"

    def link(self, user: User) -> str:
        return reverse("creators:works", kwargs={"username": user.username})

    def feed_guid(self, user: User) -> str:
        return tag_uri(f"users/{user.pk}/feed")

    def items(self, user: User) -> list[Entry]:
        works = feed_works().by_user(user)
        chapters = (
            Chapter.objects.visible_to(guest(), Way.FEED)
            .filter(work__in=works)
            .select_related("work")
            .prefetch_related("work__creatorships__pseud__user", "work__taggings__tag")
            .order_by("-published_at", "-pk")[:FEED_ENTRIES]
        )
        return [
            work_entry(c.work, updated=c.published_at) if c.position == 1 else chapter_entry(c)
            for c in chapters
        ]


class WorkFeed(ArchiveFeed):
    """A work's chapters, newest first."""

    def get_object(self, request, work_id: int):
        work = get_object_or_404(with_entry_data(Work.objects.all()), pk=work_id)
        if not may(guest(), work, Way.FEED):
            raise Http404("No such work.")
        return work

    def title(self, work: Work) -> str:
        return xml_text(f"{work.title} | {settings.SITE_NAME}")

    def subtitle(self, work: Work) -> str:
        return "New chapters"

    def link(self, work: Work) -> str:
        return work.get_absolute_url()

    def feed_guid(self, work: Work) -> str:
        return tag_uri(f"works/{work.pk}/feed")

    def items(self, work: Work) -> list[Entry]:
        chapters = Chapter.objects.visible_to(guest(), Way.FEED).filter(work=work)
        chapters = chapters.order_by("-position")[:WORK_FEED_CHAPTERS]
        entries = []
        for chapter in chapters:
            chapter.work = work  # its creators and tags are prefetched on it
            entries.append(chapter_entry(chapter))
        return entries


class SeriesFeed(ArchiveFeed):
    """The works of a series a feed may carry, newest first."""

    def get_object(self, request, series_id: int):
        return get_object_or_404(Series.objects.visible_to(guest(), Way.FEED), pk=series_id)

    def title(self, series: Series) -> str:
        return xml_text(f"{series.title} | {settings.SITE_NAME}")

    def subtitle(self, series: Series) -> str:
        return "The works of this series, newest first"

    def link(self, series: Series) -> str:
        return series.get_absolute_url()

    def feed_guid(self, series: Series) -> str:
        return tag_uri(f"series/{series.pk}/feed")

    def items(self, series: Series) -> list[Entry]:
        works = feed_works().filter(series_parts__series=series)
        works = with_entry_data(newest_posted(works))[:FEED_ENTRIES]
        return [work_entry(work) for work in works]


tag_feed = TagFeed()
creator_feed = CreatorFeed()
work_feed = WorkFeed()
series_feed = SeriesFeed()


def feed_url_of_tag(tag: Tag) -> str:
    return reverse("downloads:tag_feed", kwargs={"tag": tag_param(tag)})


def canonical_tag_feed(request, tag: str):
    """A synonym's feed is its canonical's, as its page is."""
    found = tag_named(tag)
    if found.merger_id:
        return redirect(feed_url_of_tag(found.merger), permanent=True)
    return tag_feed(request, tag=tag)
