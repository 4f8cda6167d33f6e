"""Who may open the coordinator workspace.

Coordinators and brand admins of the current brand only. An anonymous visitor is sent to the login
page; a signed-in volunteer gets a 403 (they are in the right brand but not staff). A user row lives
in one brand's schema, so a coordinator of another brand is simply not signed in here.
"""

from __future__ import annotations

from functools import wraps

from accounts.permissions import is_brand_admin, is_staff_member
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def _require(check):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = _require(is_staff_member)
brand_admin_required = _require(is_brand_admin)
