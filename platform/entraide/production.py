"""Production hardening, JSON logs and optional Sentry, applied at the end of settings.py.

`apply(globals(), env)` is the only entry point. It changes nothing when DEBUG or TESTING is on
(`make run` and the test suite behave exactly as before), except Sentry, which starts only when
SENTRY_DSN is set. In production (DEBUG off, not under tests) it turns on:

* HTTPS everywhere behind a TLS-terminating proxy: SECURE_PROXY_SSL_HEADER, SSL redirect, HSTS;
  host-only secure cookies (the cookie domain is never set: each brand host keeps its own);
* a Content-Security-Policy (django-csp; Django 5.2 has none built in) that allows scripts only
  from the brand's own host: no inline script, no third-party script;
* JSON log lines (python-json-logger) carrying the brand's schema when the line is written while a
  brand is active (request, task or script), so one brand's lines can be filtered out of the lot.

Every value can be overridden by an environment variable; deploy/production.env.example lists them
all, and with it `entraide check --deploy` reports no issue (tests/deploy/test_check_deploy.py).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

SECURITY_MIDDLEWARE = "django.middleware.security.SecurityMiddleware"
CSP_MIDDLEWARE = "csp.middleware.CSPMiddleware"
# The Swagger UI page of drf-spectacular writes its start-up script inline; it is an operator tool
# on the bare base domain only. Every other path gets the full policy.
CSP_EXCLUDED_PREFIXES = ("/api/docs/",)


def apply(config: dict, env) -> None:
    production = not config["DEBUG"] and not config["TESTING"]
    # Brand schemas migrated in parallel by `migrate_schemas --executor=multiprocessing`
    # (django-tenants' default is 2, kept when unset).
    config["TENANT_MULTIPROCESSING_MAX_PROCESSES"] = env.int(
        "TENANT_MULTIPROCESSING_MAX_PROCESSES", default=2
    )
    if production:
        _https(config, env)
        _content_security_policy(config, env)
        _self_hosted_api_docs(config)
    if env.str("LOG_FORMAT", default="json" if production else "plain") == "json":
        _json_logging(config, env)
    _sentry(config, env)


# --- HTTPS, HSTS, cookies -----------------------------------------------------------------------
def _https(config: dict, env) -> None:
    # The proxy (Caddy, an Ingress) terminates TLS and says so in X-Forwarded-Proto; it must
    # overwrite a value sent by the client (Caddy and ingress-nginx do).
    header = env.str("SECURE_PROXY_SSL_HEADER", default="HTTP_X_FORWARDED_PROTO")
    config["SECURE_PROXY_SSL_HEADER"] = (header, "https") if header else None
    config["SECURE_SSL_REDIRECT"] = env.bool("SECURE_SSL_REDIRECT", default=True)
    config["SECURE_HSTS_SECONDS"] = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    # Every brand is a sub-domain of BASE_DOMAIN and served over HTTPS only.
    config["SECURE_HSTS_INCLUDE_SUBDOMAINS"] = env.bool(
        "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
    )
    config["SECURE_HSTS_PRELOAD"] = env.bool("SECURE_HSTS_PRELOAD", default=False)
    # Host-only cookies: never a Domain attribute, so a brand's session never reaches another.
    config["SESSION_COOKIE_DOMAIN"] = None
    config["CSRF_COOKIE_DOMAIN"] = None
    config["SESSION_COOKIE_SECURE"] = True
    config["CSRF_COOKIE_SECURE"] = True
    config["CSRF_TRUSTED_ORIGINS"] = env.list("CSRF_TRUSTED_ORIGINS", default=[])


# --- Content-Security-Policy --------------------------------------------------------------------
def content_security_policy(
    env, *, media_url: str = "/media/", static_url: str = "/static/"
) -> dict:
    """The django-csp 4 `CONTENT_SECURITY_POLICY` setting.

    Scripts: the brand's own host only (theme.css, the app's JS and the service worker are all
    served there). Styles also allow inline style attributes and <style> blocks (CSP_STYLE_INLINE,
    on by default): they cannot run code, and templates use them for small layout fixes.
    """
    from csp.constants import NONE, SELF

    asset_origins = sorted(
        {f"{p.scheme}://{p.netloc}" for p in map(urlsplit, (media_url, static_url)) if p.netloc}
    )
    style = [SELF, *asset_origins]
    if env.bool("CSP_STYLE_INLINE", default=True):
        style.append("'unsafe-inline'")
    directives = {
        "default-src": [SELF],
        "script-src": [SELF, *asset_origins],
        "style-src": style,
        "img-src": [SELF, "data:", "blob:", *asset_origins],
        "font-src": [SELF, "data:", *asset_origins],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "media-src": [SELF, *asset_origins],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": True,
    }
    report_uri = env.str("CSP_REPORT_URI", default="")
    if report_uri:
        directives["report-uri"] = [report_uri]
    return {
        "EXCLUDE_URL_PREFIXES": CSP_EXCLUDED_PREFIXES,
        "REPORT_ONLY": False,
        "DIRECTIVES": directives,
    }


def _content_security_policy(config: dict, env) -> None:
    if "csp" not in config["INSTALLED_APPS"]:
        config["INSTALLED_APPS"] = [*config["INSTALLED_APPS"], "csp"]
    middleware = list(config["MIDDLEWARE"])
    if CSP_MIDDLEWARE not in middleware:
        middleware.insert(middleware.index(SECURITY_MIDDLEWARE) + 1, CSP_MIDDLEWARE)
    config["MIDDLEWARE"] = middleware
    policy = content_security_policy(
        env,
        media_url=config.get("MEDIA_URL", "/media/"),
        static_url=config.get("STATIC_URL", "/static/"),
    )
    if env.bool("CSP_REPORT_ONLY", default=False):
        config["CONTENT_SECURITY_POLICY_REPORT_ONLY"] = policy
    else:
        config["CONTENT_SECURITY_POLICY"] = policy


def _self_hosted_api_docs(config: dict) -> None:
    """Swagger UI assets from our own static files (drf-spectacular-sidecar), never a CDN."""
    if "drf_spectacular_sidecar" not in config["INSTALLED_APPS"]:
        config["INSTALLED_APPS"] = [*config["INSTALLED_APPS"], "drf_spectacular_sidecar"]
    config["SPECTACULAR_SETTINGS"] = {
        **config.get("SPECTACULAR_SETTINGS", {}),
        "SWAGGER_UI_DIST": "SIDECAR",
        "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
        "REDOC_DIST": "SIDECAR",
    }


# --- Logs ---------------------------------------------------------------------------------------
class BrandSchemaFilter(logging.Filter):
    """Adds `schema` (the active brand's PostgreSQL schema) to every record written inside a brand.

    django-tenants keeps the active schema on the thread's connection: the tenant middleware sets
    it for a request, tenant-schemas-celery for a task, `tenant_context` for a script. Reading it
    opens no database connection. Records written outside any brand carry no `schema` field.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "schema", None):
            return True
        try:
            from django.db import connection
            from django_tenants.utils import get_public_schema_name

            schema = getattr(connection, "schema_name", None)
            if schema and schema != get_public_schema_name():
                record.schema = schema
                tenant = getattr(connection, "tenant", None)
                if getattr(tenant, "schema_name", None) == schema and getattr(tenant, "slug", None):
                    record.brand = tenant.slug
        except Exception:  # logging must never fail because settings or apps are not ready
            pass
        return True


def _json_logging(config: dict, env) -> None:
    level = env.str("LOG_LEVEL", default="INFO")
    config["LOGGING"] = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"brand_schema": {"()": "entraide.production.BrandSchemaFilter"}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                # ISO 8601 in UTC from the record itself (Django sets TZ to TIME_ZONE).
                "timestamp": "time",
            }
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["brand_schema"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # Celery workers would otherwise replace the root handler with their own plain one.
            "celery": {"level": level},
        },
    }
    config["CELERY_WORKER_HIJACK_ROOT_LOGGER"] = False
    # Python warnings (e.g. whitenoise's "No directory at") as JSON records too, not raw stderr.
    logging.captureWarnings(True)


# --- Sentry (optional) --------------------------------------------------------------------------
def _tag_brand(event, hint):
    try:
        from django.db import connection
        from django_tenants.utils import get_public_schema_name

        schema = getattr(connection, "schema_name", None)
        if schema and schema != get_public_schema_name():
            event.setdefault("tags", {})["schema"] = schema
    except Exception:
        pass
    return event


def _sentry(config: dict, env) -> None:
    dsn = env.str("SENTRY_DSN", default="")
    if not dsn:
        return
    # Imported only when asked for: a deployment without Sentry never loads the SDK.
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=_tag_brand,
    )
