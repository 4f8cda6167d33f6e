from django.contrib import admin
from django.db import connection
from django_tenants.utils import get_public_schema_name

from themes.models import BrandTheme


@admin.register(BrandTheme)
class BrandThemeAdmin(admin.ModelAdmin):
    """Read-only: themes change through themes.services.set_theme (validated), i.e. the brand's
    settings page, the operator API or `entraide set_theme`."""

    list_display = ("association", "version", "updated_at")
    readonly_fields = (
        "association",
        "tokens",
        "logo",
        "logo_type",
        "favicon",
        "version",
        "updated_at",
    )
    search_fields = ("association__slug", "association__name")

    # The table is in the public schema: on a brand host a query would fall through to it and
    # show every brand's theme, so this admin exists on the operators' public site only.
    @staticmethod
    def _on_public_site() -> bool:
        return connection.schema_name == get_public_schema_name()

    def has_module_permission(self, request):
        return self._on_public_site() and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._on_public_site() and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
