from django.contrib import admin

from coordination.models import ConcernAcknowledgement


@admin.register(ConcernAcknowledgement)
class ConcernAcknowledgementAdmin(admin.ModelAdmin):
    list_display = ("visit", "acknowledged_by", "acknowledged_at")
    list_filter = ("acknowledged_at",)
    search_fields = ("visit__person__first_name", "visit__person__last_name", "note")
    list_select_related = ("visit", "acknowledged_by")
    raw_id_fields = ("visit",)
    readonly_fields = ("public_id",)
