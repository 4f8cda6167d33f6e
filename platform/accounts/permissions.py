"""DRF permission classes by role (contract: IsCoordinator, IsBrandAdmin, IsVolunteer).

Roles are per brand: a user row lives in one brand's schema, so a role never reaches another brand.
"""

from rest_framework.permissions import BasePermission

from accounts.models import User

STAFF_ROLES = (User.Role.COORDINATOR, User.Role.BRAND_ADMIN)


def is_staff_member(user) -> bool:
    """Coordinator or brand admin of the current brand."""
    return bool(user and user.is_authenticated and user.is_active and user.role in STAFF_ROLES)


def is_brand_admin(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and user.role == User.Role.BRAND_ADMIN
    )


def is_volunteer(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and user.role == User.Role.VOLUNTEER
    )


class IsCoordinator(BasePermission):
    """Coordinators and brand admins."""

    def has_permission(self, request, view):
        return is_staff_member(request.user)


class IsBrandAdmin(BasePermission):
    def has_permission(self, request, view):
        return is_brand_admin(request.user)


class IsVolunteer(BasePermission):
    def has_permission(self, request, view):
        return is_volunteer(request.user)
