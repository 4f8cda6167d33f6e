from django.db import connection


def brand(request):
    """The current brand (None on the public site) for every template."""
    tenant = getattr(request, "tenant", None) or getattr(connection, "tenant", None)
    if tenant is None or getattr(tenant, "is_public", True):
        return {"brand": None}
    return {"brand": tenant}
