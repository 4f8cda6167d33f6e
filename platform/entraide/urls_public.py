"""URLs of the bare base domain (public schema): operator console and operator API."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from entraide import views

urlpatterns = [
    path("", views.public_home, name="public-home"),
    path("accounts/", include("accounts.urls")),
    path("console/", include("tenants.urls_console")),
    path("admin/", admin.site.urls),
    path("api/operator/", include("tenants.urls_api")),
    path("api/schema/", SpectacularAPIView.as_view(urlconf="entraide.urls_public"), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("i18n/", include("django.conf.urls.i18n")),
]
