"""The brand API (tenant schema), mounted at /api/ on brand hosts. Each domain app owns its routes."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("accounts.api_urls")),
    path("", include("volunteers.api_urls")),
    path("", include("people.api_urls")),
    path("", include("matching.api_urls")),
    path("", include("visits.api_urls")),
    path("", include("outings.api_urls")),
    path("", include("messaging.api_urls")),
    path("", include("worker.api_urls")),
]
