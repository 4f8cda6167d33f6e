from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from visits.admin import RoleAccess, RoleAdmin

from outings.models import Outing, OutingSignup


class SignupInline(RoleAccess, admin.TabularInline):
    model = OutingSignup
    fields = ("volunteer", "person", "registered_by", "created_at", "cancelled_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("volunteer", "person", "registered_by")
    extra = 0


@admin.register(Outing)
class OutingAdmin(RoleAdmin):
    list_display = (
        "title",
        "starts_at",
        "ends_at",
        "place",
        "capacity",
        "places_taken",
        "cancelled_at",
    )
    list_filter = ("starts_at", ("cancelled_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "place", "description")
    date_hierarchy = "starts_at"
    readonly_fields = ("public_id", "created_by", "created_at", "updated_at")
    inlines = [SignupInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_places_taken=Count("signups", filter=Q(signups__cancelled_at__isnull=True)))
        )

    @admin.display(description=_("places taken"), ordering="_places_taken")
    def places_taken(self, outing):
        return outing._places_taken

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(OutingSignup)
class OutingSignupAdmin(RoleAdmin):
    list_display = ("outing", "volunteer", "person", "created_at", "cancelled_at")
    list_filter = (("cancelled_at", admin.EmptyFieldListFilter), "outing__starts_at")
    search_fields = (
        "outing__title",
        "volunteer__email",
        "volunteer__full_name",
        "person__first_name",
        "person__last_name",
    )
    list_select_related = ("outing", "volunteer", "person")
    raw_id_fields = ("outing", "volunteer", "person", "registered_by", "cancelled_by")
    readonly_fields = ("public_id", "created_at")
