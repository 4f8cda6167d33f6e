from django.urls import path

from tenants import api
from themes import api as themes_api

urlpatterns = [
    path("brands/", api.BrandListCreateView.as_view(), name="operator-brands"),
    path("brands/<slug:slug>/", api.BrandDetailView.as_view(), name="operator-brand"),
    path(
        "brands/<slug:slug>/suspend/", api.BrandSuspendView.as_view(), name="operator-brand-suspend"
    ),
    path(
        "brands/<slug:slug>/reactivate/",
        api.BrandReactivateView.as_view(),
        name="operator-brand-reactivate",
    ),
    path(
        "brands/<slug:slug>/domains/", api.BrandDomainView.as_view(), name="operator-brand-domains"
    ),
    path(
        "brands/<slug:slug>/theme/",
        themes_api.BrandThemeView.as_view(),
        name="operator-brand-theme",
    ),
]
