"""REST API routes of the people app (mounted under /api/ on brand hosts)."""

from rest_framework.routers import SimpleRouter

from people import api

router = SimpleRouter(use_regex_path=False)
router.register("people", api.PersonViewSet, basename="person")
router.register("person-access-log", api.AccessLogViewSet, basename="person-access-log")

urlpatterns = router.urls
