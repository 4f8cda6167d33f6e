"""REST API routes of the outings app (mounted under /api/ on brand hosts)."""

urlpatterns: list = []
