"""URLs of a brand's hosts (tenant schema)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("webapp.urls")),
    path("", include("themes.urls")),
    path("accounts/", include("accounts.urls")),
    path("coordination/", include("coordination.urls")),
    path("admin/", admin.site.urls),
    # Mounted here too so that a brand's users get a clear 403, not a 404 (tenants/permissions.py).
    path("api/operator/", include("tenants.urls_api")),
    path("api/", include("entraide.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
