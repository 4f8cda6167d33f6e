from django.urls import path

from worker import api, views

app_name = "worker"

urlpatterns = [
    path("notifications/push/key/", api.PushKeyView.as_view(), name="push-key"),
    path(
        "notifications/push/subscriptions/",
        api.PushSubscriptionView.as_view(),
        name="push-subscriptions",
    ),
    path("notifications/preferences/", api.PreferencesView.as_view(), name="preferences"),
    path("notifications/mobile/", api.MobileNumberView.as_view(), name="mobile"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
