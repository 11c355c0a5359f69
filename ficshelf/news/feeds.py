"""The news as an Atom feed (/news/feed.atom): published posts only, newest first, as the
archive's other feeds are built (downloads.feeds, which sits above news and is not imported)."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.feedgenerator import Atom1Feed

from .models import NewsPost

FEED_ENTRIES = 20
CACHE_SECONDS = 300
# The date in the archive's tag: URIs (RFC 4151), as downloads.feeds uses: ids never change.
TAG_URI_DATE = "2024"
# What XML 1.0 cannot carry at all: removed from every text, or the document would not parse.
_NOT_IN_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value) -> str:
    return _NOT_IN_XML.sub("", str(value or ""))


def tag_uri(path: str) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"tag:{host or 'localhost'},{TAG_URI_DATE}:{path}"


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Content-Type"] = "application/atom+xml; charset=utf-8"
        response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
        set_response_etag(response)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    def title(self) -> str:
        return xml_text(f"News | {settings.SITE_NAME}")

    def subtitle(self) -> str:
        return xml_text(f"News from the admins of {settings.SITE_NAME}")

    def link(self) -> str:
        return reverse("news:index")

    def feed_guid(self) -> str:
        return tag_uri("news/feed")

    def author_name(self) -> str:
        return xml_text(settings.SITE_NAME)

    def items(self):
        # Whoever asks, the feed carries what a guest may read.
        return NewsPost.objects.published().newest_first()[:FEED_ENTRIES]

    def item_title(self, post: NewsPost) -> str:
        return xml_text(post.title)

    def item_description(self, post: NewsPost) -> str:
        return xml_text(post.body)  # sanitized HTML (SanitizedHTMLField), sent as type="html"

    def item_link(self, post: NewsPost) -> str:
        return post.get_absolute_url()

    def item_guid(self, post: NewsPost) -> str:
        return tag_uri(f"news/{post.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, post: NewsPost):
        return post.published_at

    def item_updateddate(self, post: NewsPost):
        return max(post.published_at, post.updated_at)


news_feed = NewsFeed()
