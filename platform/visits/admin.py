from django.contrib import admin

from visits.models import Visit


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
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
