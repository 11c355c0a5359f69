from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from . import services, sessions
from .forms import AdminUserChangeForm, AdminUserCreationForm
from .models import AccountSession, Pseud, User


class PseudInline(admin.TabularInline):
    model = Pseud
    fields = ("name", "description", "is_default", "created_at")
    # The default pseud changes through the "Make default" action, which keeps exactly one.
    readonly_fields = ("is_default", "created_at")
    extra = 0
    show_change_link = True


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )
    inlines = [PseudInline]

    def get_inlines(self, request, obj):
        # A new account gets its default pseud from save_model; others are added later.
        return self.inlines if obj else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.create_default_pseud(user=obj)


@admin.register(Pseud)
class PseudAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "is_default", "created_at")
    list_filter = ("is_default",)
    search_fields = ("name", "user__username")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("is_default", "created_at")
    actions = ["make_default"]

    @admin.action(description="Make the selected pseuds their account's default")
    def make_default(self, request, queryset):
        for pseud in queryset.select_related("user"):
            services.make_default_pseud(pseud=pseud)
        self.message_user(request, "Default pseuds changed.", messages.SUCCESS)


@admin.register(AccountSession)
class AccountSessionAdmin(admin.ModelAdmin):
    """Read-only; deleting a row logs that browser out."""

    list_display = ["user", "created_at", "user_agent"]
    search_fields = ["user__username"]
    readonly_fields = ["user", "session_key", "created_at", "user_agent", "ip_hash"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    # Deleting here ends the session itself too, as the owner's "Log out this session" does.
    def delete_model(self, request, obj) -> None:
        sessions.revoke(user=obj.user, session=obj)

    def delete_queryset(self, request, queryset) -> None:
        for row in queryset.select_related("user"):
            sessions.revoke(user=row.user, session=row)
