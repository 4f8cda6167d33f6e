"""REST API routes of the matching app (mounted under /api/ on brand hosts)."""

from rest_framework.routers import SimpleRouter

from matching import api

router = SimpleRouter(use_regex_path=False)
router.register("proposals", api.ProposalViewSet, basename="proposal")
router.register("circles", api.CircleViewSet, basename="circle")

urlpatterns = router.urls
