"""Test-only routes: one page and one API endpoint behind a feature flag, plus the real routes."""

from django.http import HttpResponse
from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from themes.flags import FeatureEnabled, require_feature


@require_feature("outings")
def outings_page(request):
    return HttpResponse("outings page")


class OutingsAPI(APIView):
    permission_classes = [AllowAny, FeatureEnabled("outings")]

    def get(self, request):
        return Response({"outings": []})


urlpatterns = [
    path("flag-test/outings/", outings_page),
    path("flag-test/api/outings/", OutingsAPI.as_view()),
    path("", include("entraide.urls_tenant")),
]
