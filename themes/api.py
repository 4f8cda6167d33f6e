"""Operator API for brand themes (public schema): /api/operator/brands/<slug>/theme/."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from tenants.api import OperatorAPIView, _brand, as_drf_error
from themes.selectors import get_theme
from themes.services import apply_theme_input


class ThemeSerializer(serializers.Serializer):
    brand = serializers.CharField()
    version = serializers.CharField()
    tokens = serializers.JSONField()
    logo_url = serializers.CharField()
    css_url = serializers.CharField()
    manifest_url = serializers.CharField()


def _payload(brand) -> dict:
    theme = get_theme(brand)
    return {
        "brand": brand.slug,
        "version": theme.version,
        "tokens": theme.tokens,
        "logo_url": brand.url(theme.logo_path),
        "css_url": brand.url(theme.css_path),
        "manifest_url": brand.url("/manifest.webmanifest"),
    }


class BrandThemeView(OperatorAPIView):
    """GET the theme; PUT replaces it (missing tokens take the neutral default); PATCH merges.
    "logo"/"favicon" may be given as data: URIs (base64), or null to remove them."""

    @extend_schema(responses=ThemeSerializer)
    def get(self, request, slug: str):
        return Response(_payload(_brand(slug)))

    def _write(self, request, slug: str, *, replace: bool):
        brand = _brand(slug)
        try:
            apply_theme_input(
                association=brand, data=request.data, replace=replace, acting_user=request.user
            )
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        brand.refresh_from_db()
        return Response(_payload(brand))

    @extend_schema(request={"application/json": OpenApiTypes.OBJECT}, responses=ThemeSerializer)
    def put(self, request, slug: str):
        return self._write(request, slug, replace=True)

    @extend_schema(request={"application/json": OpenApiTypes.OBJECT}, responses=ThemeSerializer)
    def patch(self, request, slug: str):
        return self._write(request, slug, replace=False)
