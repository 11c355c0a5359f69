from django.contrib import admin

from . import services
from .models import Bookmark, BookmarkTagging


class BookmarkTaggingInline(admin.TabularInline):
    model = BookmarkTagging
    raw_id_fields = ("tag",)
    extra = 0


@admin.register(Bookmark)
class BookmarkAdmin(admin.ModelAdmin):
    list_display = ("pk", "user", "pseud", "work", "series", "private", "rec", "created_at")
    list_filter = ("private", "rec")
    search_fields = ("user__username", "work__title", "series__title", "notes")
    raw_id_fields = ("user", "pseud", "work", "series")
    readonly_fields = ("created_at", "updated_at", "notes_sanitizer_version")
    inlines = [BookmarkTaggingInline]
    actions = ["recount_works"]

    # Deleting here goes through the service, so the works' counts move down too.
    def delete_model(self, request, obj):
        services.forget_bookmark(obj)

    def delete_queryset(self, request, queryset):
        for bookmark in queryset:
            services.forget_bookmark(bookmark)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # An edit here may make a bookmark private or public: count the work's again.
        if obj.work_id:
            services.recount_bookmarks([obj.work_id])

    @admin.action(description="Recount the bookmarked works' public bookmarks")
    def recount_works(self, request, queryset):
        services.recount_bookmarks(queryset.exclude(work=None).values_list("work", flat=True))
