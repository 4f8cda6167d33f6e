"""Feature flags: per brand, stored with the theme (themes.BrandTheme.tokens["flags"]).

A flag that is off removes the feature, not just its menu link: pages answer 404
(`require_feature`) and so does the API (`FeatureEnabled`).
"""

from __future__ import annotations

from functools import wraps

from django.http import Http404

FLAGS = (
    "self_signup",
    "messaging",
    "outings",
    "sms",
    "visit_log",
    "public_directory",
    "auto_confirm_matches",
)
# The neutral default of every flag (a new brand gets these).
FLAG_DEFAULTS = {
    "self_signup": True,
    "messaging": True,
    "outings": True,
    "sms": False,
    "visit_log": True,
    "public_directory": False,
    "auto_confirm_matches": False,
}


def _check_name(name: str) -> None:
    if name not in FLAGS:
        raise ValueError(f"unknown feature flag {name!r}; known flags: {', '.join(FLAGS)}")


def flag_enabled(name: str, tenant=None) -> bool:
    """Is the feature `name` on for `tenant` (default: the current brand, `connection.tenant`)?"""
    from themes.selectors import get_theme

    _check_name(name)
    return bool(get_theme(tenant).tokens["flags"].get(name, FLAG_DEFAULTS[name]))


def require_feature(name: str):
    """Decorator for function views: 404 when the brand has the feature off."""
    _check_name(name)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not flag_enabled(name, getattr(request, "tenant", None)):
                raise Http404(f"feature {name} is off")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def FeatureEnabled(name: str):  # noqa: N802 - used like a class: permission_classes = [FeatureEnabled("x")]
    """A DRF permission class for the feature `name`; when off, the API answers 404 (not 403)."""
    from rest_framework.exceptions import NotFound
    from rest_framework.permissions import BasePermission

    _check_name(name)

    class _FeatureEnabled(BasePermission):
        def has_permission(self, request, view):
            if not flag_enabled(name, getattr(request, "tenant", None)):
                raise NotFound()
            return True

    _FeatureEnabled.__name__ = f"FeatureEnabled_{name}"
    _FeatureEnabled.__qualname__ = _FeatureEnabled.__name__
    return _FeatureEnabled
