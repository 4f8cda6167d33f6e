from accounts.permissions import is_brand_admin, is_staff_member
from django.contrib import admin

from visits.models import Visit


class RoleAccess:
    """Admin access by brand role rather than by per-model permission rows (a new brand has no
    permission rows to hand out): coordinators and brand admins view, add and change; only
    brand admins delete. Volunteers are not staff and never reach the admin."""

    def has_module_permission(self, request):
        return is_staff_member(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_staff_member(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_staff_member(request.user) or super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_staff_member(request.user) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_brand_admin(request.user) or super().has_delete_permission(request, obj)


class RoleAdmin(RoleAccess, admin.ModelAdmin):
    pass


@admin.register(Visit)
class VisitAdmin(RoleAdmin):
    list_display = (
        "occurred_on",
        "person",
        "volunteer",
        "kind",
        "duration_minutes",
        "mood",
        "created_at",
    )
    list_filter = ("mood", "kind", "occurred_on")
    search_fields = (
        "person__first_name",
        "person__last_name",
        "volunteer__email",
        "volunteer__full_name",
        "note",
    )
    date_hierarchy = "occurred_on"
    list_select_related = ("person", "volunteer")
    raw_id_fields = ("person", "volunteer")
    readonly_fields = ("public_id", "created_at")
    ordering = ("-occurred_on", "-id")
