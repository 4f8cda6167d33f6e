"""Brand-host pages of the themes app: theme.css, manifest, icons, logo, legal texts, and the
brand admin's theme settings page. Thin: read the theme, render, set cache headers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_tenants.utils import schema_context

from themes import icons, rendering
from themes.forms import ThemeForm
from themes.selectors import get_theme
from themes.services import set_theme
from themes.tokens import CONTRAST_PAIRS
from themes.wording import term

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def _brand_theme(request):
    tenant = getattr(request, "tenant", None)
    if tenant is None or getattr(tenant, "is_public", True):
        raise Http404("no brand on this host")
    return get_theme(tenant)


def _conditional(
    request, body: bytes, *, content_type: str, etag: str, cache_control: str
) -> HttpResponse:
    """ETag/If-None-Match handling shared by every themed asset."""
    if_none_match = request.headers.get("If-None-Match", "")
    if (
        etag in [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        or if_none_match.strip() == "*"
    ):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    response["Vary"] = "Host"
    return response


@require_safe
def theme_css(request, version: str):
    theme = _brand_theme(request)
    body = rendering.theme_css(theme).encode("utf-8")
    # A stale version URL (an old page still cached) gets the current theme, but not for a year.
    cache = IMMUTABLE if version == theme.version else REVALIDATE
    return _conditional(
        request,
        body,
        content_type="text/css; charset=utf-8",
        etag=f'"{theme.version}"',
        cache_control=cache,
    )


@require_safe
def manifest(request):
    theme = _brand_theme(request)
    lang = (get_language() or theme.tokens["default_locale"]).split("-")[0]
    body = rendering.manifest_bytes(theme, lang=lang)
    response = _conditional(
        request,
        body,
        content_type="application/manifest+json",
        etag=rendering.etag_of(body),
        cache_control=REVALIDATE,
    )
    response["Vary"] = "Host, Accept-Language, Cookie"
    return response


@require_safe
def icon(request, version: str, name: str):
    theme = _brand_theme(request)
    if name not in icons.ICONS:
        raise Http404("unknown icon")
    body = icons.get_icon(theme, name)
    cache = IMMUTABLE if version == theme.version else REVALIDATE
    return _conditional(
        request,
        body,
        content_type="image/png",
        etag=f'"{theme.version}-{name}"',
        cache_control=cache,
    )


@require_safe
def favicon(request):
    theme = _brand_theme(request)
    body = icons.get_icon(theme, "favicon")
    return _conditional(
        request,
        body,
        content_type="image/png",
        etag=f'"{theme.version}-favicon"',
        cache_control="public, max-age=86400",
    )


@require_safe
def logo(request, version: str, ext: str):
    theme = _brand_theme(request)
    if not theme.logo or not theme.logo.endswith("." + ext):
        raise Http404("no such logo")
    with schema_context(theme.schema_name):
        try:
            with default_storage.open(theme.logo, "rb") as handle:
                body = handle.read()
        except FileNotFoundError as exc:
            raise Http404("logo file missing") from exc
    cache = IMMUTABLE if version == theme.version else REVALIDATE
    response = _conditional(
        request,
        body,
        content_type=theme.logo_type or "application/octet-stream",
        etag=f'"{theme.version}-logo"',
        cache_control=cache,
    )
    # Even a sanitised SVG opened directly must not run anything.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


LEGAL_PAGES = {
    "privacy": ("privacy_notice", lambda: _("Privacy notice")),
    "charter": (
        "volunteer_charter",
        lambda: _("Charter of the %(volunteers)s") % {"volunteers": term("volunteer", plural=True)},
    ),
}


@require_safe
def legal(request, page: str):
    theme = _brand_theme(request)
    if page not in LEGAL_PAGES:
        raise Http404("unknown legal page")
    key, title = LEGAL_PAGES[page]
    return render(
        request, "themes/legal.html", {"title": title(), "text": theme.tokens["legal"][key]}
    )


def _require_brand_admin(request):
    tenant = getattr(request, "tenant", None)
    if tenant is None or getattr(tenant, "is_public", True):
        raise Http404("no brand on this host")
    if getattr(request.user, "role", None) != "brand_admin":
        raise PermissionDenied(_("Only the brand's administrators may change its theme."))
    return tenant


@login_required
@require_http_methods(["GET", "POST"])
def theme_settings(request):
    """The brand admin edits their own brand's theme (the brand of this host, nothing else)."""
    tenant = _require_brand_admin(request)
    theme = get_theme(tenant)
    if request.method == "POST":
        form = ThemeForm(request.POST, request.FILES, theme=theme)
        if form.is_valid():
            try:
                set_theme(association=tenant, acting_user=request.user, **form.service_kwargs())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request, _("The theme has been saved. Everyone sees it from their next page.")
                )
                return redirect("themes:settings")
    else:
        form = ThemeForm(theme=theme)
    return render(
        request,
        "themes/settings.html",
        {
            "form": form,
            "contrast_pairs": [{"fg": fg, "bg": bg, "min": m} for fg, bg, m in CONTRAST_PAIRS],
            "contrast_messages": {
                "ok": _("All text colours are readable (WCAG AA)."),
                "low": _("Too little contrast:"),
            },
        },
    )
