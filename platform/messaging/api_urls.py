"""REST API routes of the messaging app (mounted under /api/ on brand hosts)."""

urlpatterns: list = []
