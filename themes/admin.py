from django.contrib import admin

from themes.models import BrandTheme


@admin.register(BrandTheme)
class BrandThemeAdmin(admin.ModelAdmin):
    """Read-only: themes change through themes.services.set_theme (validated), i.e. the brand's
    settings page, the operator API or `entraide set_theme`."""

    list_display = ("association", "version", "updated_at")
    readonly_fields = ("association", "tokens", "logo", "logo_type", "favicon", "version", "updated_at")
    search_fields = ("association__slug", "association__name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
