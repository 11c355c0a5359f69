from django.contrib import admin

from .models import NewsPost


@admin.register(NewsPost)
class NewsPostAdmin(admin.ModelAdmin):
    """For finding posts; they are written on the site's own forms (/news/new/), whose
    service moves the cached pages on."""

    list_display = ["title", "author", "published_at", "updated_at"]
    search_fields = ["title"]
    readonly_fields = ["title", "body", "author", "published_at", "created_at", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
