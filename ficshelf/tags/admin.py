from django.contrib import admin

from .models import Tag, TagParent, WranglingChange


class ParentInline(admin.TabularInline):
    model = TagParent
    fk_name = "child"
    raw_id_fields = ["parent"]
    extra = 0
    can_delete = False
    readonly_fields = ["parent", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "canonical", "merger", "created_at"]
    list_filter = ["kind", "canonical"]
    search_fields = ["name", "name_key"]
    # Canonical status, synonyms and parents change through the wrangling pages, whose
    # services keep works' filter tags and the page cache right; the admin only shows them.
    readonly_fields = ["name_key", "canonical", "merger", "created_at"]
    inlines = [ParentInline]
    show_full_result_count = False


@admin.register(WranglingChange)
class WranglingChangeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "wrangler", "tag", "action", "other"]
    list_filter = ["action"]
    search_fields = ["tag__name", "wrangler__username"]
    raw_id_fields = ["tag", "other", "wrangler"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
