from django.contrib import admin

from .models import ChapterCheckSummary, DictionaryWord, IgnoredFinding


@admin.register(DictionaryWord)
class DictionaryWordAdmin(admin.ModelAdmin):
    list_display = ("word", "user", "created_at")
    search_fields = ("word", "user__username")
    raw_id_fields = ("user",)


@admin.register(IgnoredFinding)
class IgnoredFindingAdmin(admin.ModelAdmin):
    list_display = ("rule", "text", "work", "chapter", "created_by", "created_at")
    list_filter = ("rule",)
    search_fields = ("text", "work__title")
    raw_id_fields = ("work", "chapter", "created_by")


@admin.register(ChapterCheckSummary)
class ChapterCheckSummaryAdmin(admin.ModelAdmin):
    list_display = ("chapter", "revision", "errors", "suggestions", "stale", "checked_at")
    list_filter = ("stale", "checker_version")
    raw_id_fields = ("chapter",)
    readonly_fields = ("checked_at",)
