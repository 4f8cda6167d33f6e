"""REST API routes of the volunteers app (mounted under /api/ on brand hosts)."""

urlpatterns: list = []
