"""REST API routes of the visits app (mounted under /api/ on brand hosts)."""

from django.urls import path

from visits import api

urlpatterns: list = [
    path("visits/", api.VisitListCreate.as_view(), name="visit-list"),
    path(
        "visits/without-contact/",
        api.PeopleWithoutContact.as_view(),
        name="visit-people-without-contact",
    ),
    path("visits/<uuid:public_id>/", api.VisitDetail.as_view(), name="visit-detail"),
]
