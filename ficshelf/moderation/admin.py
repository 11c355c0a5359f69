"""Reports and the log in Django's admin, to read: the queue (/admin-queue/) is where admins act,
and the log is append-only."""

from django.contrib import admin

from .models import AbuseReport, ModerationAction


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AbuseReport)
class AbuseReportAdmin(ReadOnly):
    list_display = ("pk", "kind", "snapshot_title", "category", "status", "created_at")
    list_filter = ("status", "kind", "category")


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnly):
    list_display = ("created_at", "admin_name", "kind", "target_label", "reason")
    list_filter = ("kind",)
