from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ficshelf.archive.urls")),
    path("", include("ficshelf.accounts.urls")),
    path("works/", include("ficshelf.works.urls")),
    path("tags/", include("ficshelf.tags.urls")),
    path("", include("ficshelf.imports.urls")),
    path("", include("ficshelf.betareader.urls")),
    path("admin/", admin.site.urls),
]
