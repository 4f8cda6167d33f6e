"""The brand's `default_locale` decides the language of a visitor who states none.

Django's LocaleMiddleware takes the language from the `django_language` cookie (the language
switcher), then the browser's Accept-Language, then `LANGUAGE_CODE` ("fr"). This subclass puts
the brand's default locale (theme token, ADR 0004) in place of that last fallback, so an
English-speaking brand opens in English for a browser that sends no preference, while a visitor's
own choice still wins. The theme comes from the per-process cache (no query).
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from django_tenants.utils import get_public_schema_name


def stated_language(request) -> str | None:
    """The supported language the visitor asked for (cookie, then Accept-Language), if any."""
    candidates = [request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or ""]
    candidates += [
        code
        for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        if code != "*"
    ]
    for code in candidates:
        if not code:
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def brand_default_language(request) -> str | None:
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.schema_name == get_public_schema_name():
        return None
    try:
        from themes import settings_for

        return translation.get_supported_language_variant(settings_for(tenant).default_locale)
    except Exception:  # an unknown locale or an unreadable theme must not break every page
        return None


class BrandLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        super().process_request(request)
        if stated_language(request) is None:
            default = brand_default_language(request)
            if default and default != request.LANGUAGE_CODE:
                translation.activate(default)
                request.LANGUAGE_CODE = translation.get_language()
