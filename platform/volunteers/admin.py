from accounts.admin_roles import RoleModelAdmin
from accounts.permissions import is_brand_admin
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from volunteers.models import VettingRecord, VettingStep, VolunteerProfile


class VettingRecordInline(admin.TabularInline):
    model = VettingRecord
    extra = 0
    fields = ("step", "completed_by", "completed_at", "expires_on", "note")
    readonly_fields = ("step", "completed_by", "completed_at", "expires_on", "note")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # steps are completed through the pipeline (API), which checks their order


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(RoleModelAdmin):
    list_display = (
        "user",
        "district",
        "status",
        "current_load",
        "max_people",
        "radius_km",
        "background_check_expires_on",
        "validated_at",
    )
    list_filter = ("status", "location_source", "max_people")
    search_fields = ("user__full_name", "user__email", "district", "address")
    list_select_related = ("user",)
    readonly_fields = (
        "public_id",
        "user",
        "status",
        "validated_at",
        "current_load",
        "background_check_expires_on",
        "location_source",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "public_id",
                    "user",
                    "status",
                    "validated_at",
                    "background_check_expires_on",
                )
            },
        ),
        (
            _("Location"),
            {
                "fields": (
                    "address",
                    "district",
                    "latitude",
                    "longitude",
                    "location_source",
                    "radius_km",
                )
            },
        ),
        (_("Availability and interests"), {"fields": ("availability", "interests", "languages")}),
        (_("Load"), {"fields": ("max_people", "current_load")}),
        (_("Dates"), {"fields": ("created_at", "updated_at")}),
    )
    inlines = [VettingRecordInline]

    def has_add_permission(self, request):
        return False  # a profile belongs to an invited or signed-up volunteer


@admin.register(VettingStep)
class VettingStepAdmin(RoleModelAdmin):
    list_display = ("name", "key", "kind", "position", "validity_days", "is_active")
    list_filter = ("kind", "is_active")
    list_editable = ("position", "is_active")
    search_fields = ("name", "key")
    ordering = ("position",)

    def has_add_permission(self, request):
        return is_brand_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_brand_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: records point at their step
