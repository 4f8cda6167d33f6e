"""REST API routes of the volunteers app (mounted under /api/ on brand hosts)."""

from rest_framework.routers import SimpleRouter

from volunteers import api

router = SimpleRouter(use_regex_path=False)
router.register("volunteers", api.VolunteerViewSet, basename="volunteer")
router.register("vetting-steps", api.VettingStepViewSet, basename="vetting-step")

urlpatterns = router.urls
