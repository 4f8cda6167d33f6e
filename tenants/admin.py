from django.contrib import admin
from django.db import connection
from django_tenants.utils import get_public_schema_name

from tenants.models import Association, Domain


class PublicOnlyAdmin(admin.ModelAdmin):
    """Brands are managed from the public site only."""

    @staticmethod
    def _on_public_site() -> bool:
        return connection.schema_name == get_public_schema_name()

    def has_module_permission(self, request):
        return self._on_public_site() and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._on_public_site() and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._on_public_site() and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        # Brands are created by provisioning (CLI, operator API, console), never by a bare INSERT.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Association)
class AssociationAdmin(PublicOnlyAdmin):
    list_display = ("slug", "name", "status", "schema_name", "created_at")
    list_filter = ("status",)
    search_fields = ("slug", "name")
    readonly_fields = ("schema_name", "public_id", "created_at", "updated_at", "status_changed_at")
    inlines = [DomainInline]
