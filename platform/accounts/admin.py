from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.admin_roles import ReadOnlyRoleAdminMixin, RoleAdminMixin
from accounts.models import ApiToken, Invitation, User
from accounts.permissions import is_brand_admin


@admin.register(User)
class UserAdmin(RoleAdminMixin, DjangoUserAdmin):
    """Staff see the members; only brand admins change roles and permissions."""

    ordering = ("email",)
    list_display = ("email", "full_name", "role", "is_active", "date_joined")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("email", "full_name")
    readonly_fields = ("public_id", "date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "password", "public_id")}),
        (_("Profile"), {"fields": ("full_name", "role", "preferred_language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "role", "password1", "password2"),
            },
        ),
    )

    def has_add_permission(self, request):
        return is_brand_admin(request.user) or request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return is_brand_admin(request.user) or request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        """Accounts are deactivated (or anonymised by their owner from "my data"), never deleted
        here: a deletion would cascade into a person's visit history, and in the public schema
        Django's cascade would look for brand-only tables that do not exist there."""
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "groups", "user_permissions"]
        return fields


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyRoleAdminMixin, admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at")
    search_fields = ("user__email", "name", "prefix")
    list_select_related = ("user",)

    def has_delete_permission(self, request, obj=None):
        return is_brand_admin(request.user)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyRoleAdminMixin, admin.ModelAdmin):
    list_display = ("user", "created_at", "expires_at", "accepted_at")
    readonly_fields = (
        "user",
        "token_hash",
        "created_at",
        "expires_at",
        "accepted_at",
        "created_by",
    )
    search_fields = ("user__email",)
