"""Series in the admin: a series with its creators and its works in order."""

from django.contrib import admin

from .models import Series, SeriesCreatorship, SeriesPart


class SeriesCreatorshipInline(admin.TabularInline):
    model = SeriesCreatorship
    extra = 0
    raw_id_fields = ["pseud"]


class SeriesPartInline(admin.TabularInline):
    model = SeriesPart
    extra = 0
    raw_id_fields = ["work"]
    fields = ["position", "work", "added_at"]
    readonly_fields = ["added_at"]
    ordering = ["position", "pk"]


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "is_complete", "created_at", "updated_at"]
    list_filter = ["is_complete"]
    search_fields = ["title", "creatorships__pseud__name"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [SeriesCreatorshipInline, SeriesPartInline]
