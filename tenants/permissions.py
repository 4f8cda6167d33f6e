from rest_framework.permissions import BasePermission


class IsOperator(BasePermission):
    """Authenticated operators of the public schema only. A brand's own users (even its admins)
    are refused with 403: the operator API is mounted on brand hosts too, precisely so that they
    get a clear refusal rather than a confusing 404."""

    message = "Only platform operators may use this endpoint."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "is_operator", False))
