from django.urls import path, register_converter

from . import feeds, opds_views, views

app_name = "downloads"


class _Extension:
    regex = "epub|azw3|mobi|pdf|html"  # files.FORMATS

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(_Extension, "download_format")

urlpatterns = [
    path(
        "works/<int:work_id>/download/<slug:slug>.<download_format:extension>",
        views.download,
        name="download",
    ),
    # Public Atom feeds (feeds.py), linked from each page's <link rel="alternate">.
    path("tags/<str:tag>/feed.atom", feeds.canonical_tag_feed, name="tag_feed"),
    path("users/<str:username>/feed.atom", feeds.creator_feed, name="creator_feed"),
    path("works/<int:work_id>/feed.atom", feeds.work_feed, name="work_feed"),
    path("series/<int:series_id>/feed.atom", feeds.series_feed, name="series_feed"),
    # The OPDS catalog for e-reader apps (opds.py).
    path("opds", opds_views.root, name="opds_root"),
    path("opds/new", opds_views.newest, name="opds_new"),
    path("opds/fandoms", opds_views.fandoms, name="opds_fandoms"),
    path("opds/fandoms/<str:tag>", opds_views.fandom, name="opds_fandom"),
    path("opds/tags/<str:tag>", opds_views.tag_works, name="opds_tag"),
    path("opds/search", opds_views.search, name="opds_search"),
    path("opds/opensearch.xml", opds_views.opensearch, name="opds_opensearch"),
]
