from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from . import services, sessions
from .forms import AdminUserChangeForm, AdminUserCreationForm
from .models import (
    AccountRequest,
    AccountSession,
    Invitation,
    InvitationAllowance,
    InviteRequest,
    Pseud,
    User,
)


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


# --- Sign-up by invitation or approval (the admins' own pages are at /invitations/manage,
# /invite-requests/manage and /signup/requests; these are for finding and correcting rows) --


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Codes are kept hashed: new ones are made on /invitations/manage, which shows them."""

    list_display = ["hint", "created_by", "created_at", "expires_at", "sent_to", "used_by"]
    list_filter = [("used_at", admin.EmptyFieldListFilter)]
    search_fields = ["hint", "sent_to", "used_by__username", "created_by__username"]
    readonly_fields = ["hint", "created_by", "created_at", "sent_to", "used_at", "used_by"]
    fields = ["hint", "created_by", "created_at", "expires_at", "sent_to", "used_at", "used_by"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(InvitationAllowance)
class InvitationAllowanceAdmin(admin.ModelAdmin):
    """How many invitations an account may make itself (on /invitations)."""

    list_display = ["user", "remaining"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(InviteRequest)
class InviteRequestAdmin(admin.ModelAdmin):
    list_display = ["email", "created_at", "sent_at"]
    search_fields = ["email"]
    readonly_fields = ["email", "created_at", "invitation", "sent_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AccountRequest)
class AccountRequestAdmin(admin.ModelAdmin):
    """Approve or reject on /signup/requests, which sends the emails."""

    list_display = ["user", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["user", "status", "created_at", "decided_by", "decided_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
