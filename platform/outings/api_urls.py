"""REST API routes of the outings app (mounted under /api/ on brand hosts)."""

from django.urls import path

from outings import api

urlpatterns: list = [
    path("outings/", api.OutingListCreate.as_view(), name="outing-list"),
    path("outings/<uuid:public_id>/", api.OutingDetail.as_view(), name="outing-detail"),
    path("outings/<uuid:public_id>/signups/", api.OutingSignups.as_view(), name="outing-signups"),
    path("outings/<uuid:public_id>/cancel/", api.CancelOuting.as_view(), name="outing-cancel"),
    path(
        "outings/<uuid:public_id>/calendar.ics",
        api.OutingCalendar.as_view(),
        name="outing-calendar",
    ),
    path(
        "outing-signups/<uuid:public_id>/cancel/",
        api.CancelSignup.as_view(),
        name="outing-signup-cancel",
    ),
]
