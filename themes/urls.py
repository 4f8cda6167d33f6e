"""Brand-host routes of the themes app (included at the root of entraide/urls_tenant.py)."""

from django.urls import path, re_path

from themes import views

app_name = "themes"
urlpatterns = [
    re_path(r"^theme/(?P<version>[0-9a-f]{16})\.css$", views.theme_css, name="css"),
    re_path(
        r"^theme/icons/(?P<version>[0-9a-f]{16})/(?P<name>[a-z0-9-]+)\.png$",
        views.icon,
        name="icon",
    ),
    re_path(
        r"^theme/logo/(?P<version>[0-9a-f]{16})\.(?P<ext>png|jpg|webp|svg)$",
        views.logo,
        name="logo",
    ),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("legal/<slug:page>/", views.legal, name="legal"),
    path("settings/theme/", views.theme_settings, name="settings"),
]
