"""REST API routes of the visits app (mounted under /api/ on brand hosts)."""

urlpatterns: list = []
