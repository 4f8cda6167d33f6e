"""REST API routes of the people app (mounted under /api/ on brand hosts)."""

urlpatterns: list = []
