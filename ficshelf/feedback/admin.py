from django.contrib import admin

from .models import Comment, CommentReport


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "work",
        "chapter",
        "commenter_name",
        "status",
        "is_critique",
        "created_at",
    )
    list_filter = ("status", "is_critique")
    search_fields = ("guest_name", "user__username", "text")
    raw_id_fields = ("work", "chapter", "parent", "thread", "user", "pseud")
    readonly_fields = ("created_at", "edited_at", "text_sanitizer_version")


@admin.register(CommentReport)
class CommentReportAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "comment",
        "reporter",
        "status",
        "created_at",
        "resolved_by",
        "resolved_at",
    )
    list_filter = ("status",)
    raw_id_fields = ("comment", "reporter", "resolved_by")
    readonly_fields = ("created_at",)
