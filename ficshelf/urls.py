from django.contrib import admin
from django.urls import include, path

from ficshelf.works.urls import creator_urlpatterns, tag_urlpatterns

urlpatterns = [
    path("", include("ficshelf.archive.urls")),
    path("", include("ficshelf.accounts.urls")),
    path("works/", include("ficshelf.works.urls")),
    path("users/", include(creator_urlpatterns)),
    path("tags/", include(tag_urlpatterns)),
    path("tags/", include("ficshelf.tags.urls")),
    path("", include("ficshelf.imports.urls")),
    path("", include("ficshelf.betareader.urls")),
    path("", include("ficshelf.feedback.urls")),
    path("", include("ficshelf.inbox.urls")),
    path("", include("ficshelf.stats.urls")),
    path("", include("ficshelf.search.urls")),
    path("", include("ficshelf.downloads.urls")),
    path("", include("ficshelf.series.urls")),
    path("", include("ficshelf.bookmarks.urls")),
    path("", include("ficshelf.shelf.urls")),
    path("", include("ficshelf.api.urls")),
    path("", include("ficshelf.moderation.urls")),
    path("", include("ficshelf.news.urls")),
    path("admin/", admin.site.urls),
]

# Django's default 400 handler gets no request context; ours explains an oversized post.
handler400 = "ficshelf.archive.views.bad_request"
