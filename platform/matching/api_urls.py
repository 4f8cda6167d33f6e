"""REST API routes of the matching app (mounted under /api/ on brand hosts)."""

urlpatterns: list = []
