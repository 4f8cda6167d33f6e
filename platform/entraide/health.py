"""Probes for load balancers, orchestrators and the TLS proxy, answered on ANY host.

Load balancers and kubelets probe by IP or by an internal name (`web:8000`, `10.1.2.3`) that is no
brand's domain, so these paths are answered by a middleware placed FIRST in MIDDLEWARE, before the
tenant middleware (which would answer 404 to an unknown host) and before SecurityMiddleware (whose
HTTPS redirect a plain-HTTP probe must not follow). Nothing here reads or writes brand data.

* `/healthz`  the process is up and serves requests (liveness). Touches nothing.
* `/readyz`   the process can do useful work (readiness): PostgreSQL answers, every Redis we use
              (cache and Celery broker) answers, and the template schema has recorded every
              migration on disk, i.e. `migrate_schemas` has run for this code version. 503 with a
              JSON reason otherwise, so a new version is not sent traffic before its migrations ran.
* `/internal/domain-check?domain=` 200 only for a domain that a brand (not archived) or the
              operator console answers on; Caddy's on-demand TLS asks it before getting a certificate,
              so nobody can make us request certificates for arbitrary names.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger("entraide.health")

HEALTHZ = "/healthz"
READYZ = "/readyz"
DOMAIN_CHECK = "/internal/domain-check"
PROBE_TIMEOUT_SECONDS = 2


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


def redis_urls() -> list[str]:
    """Every distinct Redis the process depends on: the cache and the Celery broker."""
    urls = []
    cache = settings.CACHES.get("default", {})
    if "redis" in cache.get("BACKEND", "").lower():
        location = cache.get("LOCATION")
        urls.extend(location if isinstance(location, list | tuple) else [location])
    broker = getattr(settings, "CELERY_BROKER_URL", None)
    if broker and broker.startswith(("redis://", "rediss://", "redis+socket://", "unix://")):
        urls.append(broker)
    normalised = []
    for url in urls:
        if url and url.startswith("redis+socket://"):
            # Kombu's spelling of a unix-socket Redis; redis-py calls it unix://.
            url = "unix://" + url[len("redis+socket://") :]
        if url and url not in normalised:
            normalised.append(url)
    return normalised


def check_database() -> str | None:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return None


def check_redis() -> str | None:
    import redis

    for url in redis_urls():
        client = redis.Redis.from_url(
            url, socket_connect_timeout=PROBE_TIMEOUT_SECONDS, socket_timeout=PROBE_TIMEOUT_SECONDS
        )
        try:
            client.ping()
        finally:
            client.close()
    return None


def check_template_schema() -> str | None:
    from tenants import schemas

    connection.set_schema_to_public()
    template = schemas.template_schema()
    if not schemas.schema_is_current(template):
        return f"template schema '{template}' is missing or behind the code: run migrate_schemas"
    return None


CHECKS = (
    ("database", check_database),
    ("redis", check_redis),
    ("template_schema", check_template_schema),
)


def readiness() -> tuple[bool, dict]:
    results, reasons = {}, []
    database_ok = True
    for name, check in CHECKS:
        if name == "template_schema" and not database_ok:
            results[name] = "skipped"
            continue
        try:
            problem = check()
        except Exception as exc:  # any failure of a dependency means "not ready"
            logger.warning("readiness check %s failed: %s", name, exc, exc_info=settings.DEBUG)
            problem = f"{name} unreachable ({type(exc).__name__})"
            if name == "database":
                database_ok = False
        results[name] = "ok" if problem is None else "failing"
        if problem is not None:
            reasons.append(problem)
    return not reasons, {"checks": results, "reasons": reasons}


def domain_is_served(domain: str) -> bool:
    from tenants.models import Domain

    domain = domain.strip().lower().rstrip(".")
    if not domain:
        return False
    connection.set_schema_to_public()
    if domain == settings.BASE_DOMAIN:
        return True
    row = Domain.objects.filter(domain=domain).select_related("tenant").first()
    # A suspended or provisioning brand still answers (its 503 page) over HTTPS; an archived one
    # is gone.
    return row is not None and row.tenant.status != row.tenant.Status.ARCHIVED


class HealthCheckMiddleware:
    """Must be first in MIDDLEWARE (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path == HEALTHZ:
            return _no_store(JsonResponse({"status": "ok"}))
        if path == READYZ:
            ready, detail = readiness()
            status = 200 if ready else 503
            body = {"status": "ready" if ready else "unavailable", **detail}
            return _no_store(JsonResponse(body, status=status))
        if path == DOMAIN_CHECK:
            try:
                served = domain_is_served(request.GET.get("domain", ""))
            finally:
                connection.set_schema_to_public()
            return _no_store(HttpResponse(status=200 if served else 404))
        return self.get_response(request)
