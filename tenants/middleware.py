"""Resolve the brand from the Host header (the one place a request's tenant is chosen)."""

from django.db import connection
from django.shortcuts import render
from django.utils import translation
from django_tenants.middleware.main import TenantMainMiddleware


class BrandTenantMiddleware(TenantMainMiddleware):
    """django-tenants' host routing, plus two answers of our own:

    * an unknown host gets a plain 404 page that names no brand;
    * a brand that is not active (provisioning, suspended) answers every path with a 503 page and
      never touches its schema; an archived brand is gone (404).
    """

    def process_request(self, request):
        response = super().process_request(request)
        if response is not None:
            return response
        tenant = request.tenant
        if tenant.is_serving:
            return None
        connection.set_schema_to_public()
        if tenant.status == tenant.Status.ARCHIVED:
            return self._unknown_host(request)
        # These pages are answered before LocaleMiddleware runs: pick the language here.
        with translation.override(translation.get_language_from_request(request)):
            response = render(
                request,
                "tenants/unavailable.html",
                {"brand_name": tenant.name, "status": tenant.status},
                status=503,
            )
        response["Retry-After"] = "3600"
        response["Cache-Control"] = "no-store"
        return response

    def no_tenant_found(self, request, hostname):
        return self._unknown_host(request)

    @staticmethod
    def _unknown_host(request):
        connection.set_schema_to_public()
        with translation.override(translation.get_language_from_request(request)):
            response = render(request, "tenants/unknown_host.html", status=404)
        response["Cache-Control"] = "no-store"
        return response
