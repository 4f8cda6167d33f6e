"""Brand API routes of accounts (mounted under /api/ on brand hosts)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts import api

router = SimpleRouter(use_regex_path=False)
router.register("members", api.MemberViewSet, basename="member")
router.register("tokens", api.TokenViewSet, basename="api-token")

urlpatterns = [
    path("me/", api.MeView.as_view(), name="me"),
    path("invitations/", api.InvitationView.as_view(), name="invitation-create"),
    path("signup/", api.SignupView.as_view(), name="signup"),
    *router.urls,
]
