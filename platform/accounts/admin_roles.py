"""Admin permissions by brand role (the Django admin of a brand is for its staff).

Django's per-model permissions would need groups kept in sync in every brand schema; roles are
what the product has, so the brand admin checks roles directly: coordinators and brand admins
view, add and change; only brand admins delete. Volunteers are not staff and never get in.
"""

from django.contrib import admin

from accounts.permissions import is_brand_admin, is_staff_member


class RoleAdminMixin:
    staff_can_delete = False

    def has_module_permission(self, request):
        return is_staff_member(request.user)

    def has_view_permission(self, request, obj=None):
        return is_staff_member(request.user)

    def has_add_permission(self, request):
        return is_staff_member(request.user)

    def has_change_permission(self, request, obj=None):
        return is_staff_member(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_brand_admin(request.user) or (
            self.staff_can_delete and is_staff_member(request.user)
        )


class ReadOnlyRoleAdminMixin(RoleAdminMixin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleModelAdmin(RoleAdminMixin, admin.ModelAdmin):
    pass
