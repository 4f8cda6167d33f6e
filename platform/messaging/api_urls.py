"""REST API routes of the messaging app (mounted under /api/ on brand hosts)."""

from django.urls import path

from messaging import api

urlpatterns: list = [
    path("threads/", api.ThreadList.as_view(), name="thread-list"),
    path("circles/<uuid:circle_id>/thread/", api.ThreadDetail.as_view(), name="thread-detail"),
    path(
        "circles/<uuid:circle_id>/thread/messages/",
        api.ThreadMessages.as_view(),
        name="thread-messages",
    ),
    path("circles/<uuid:circle_id>/thread/read/", api.MarkRead.as_view(), name="thread-read"),
]
