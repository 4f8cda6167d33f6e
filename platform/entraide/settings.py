"""Entraide settings. Everything that differs between deployments comes from the environment
(12-factor, django-environ); see `.env.example` for the list."""

from __future__ import annotations

import sys

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from entraide import embedded
from entraide.paths import REPO_ROOT, ensure_import_roots

ensure_import_roots()

BASE_DIR = REPO_ROOT
env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

TESTING = "pytest" in sys.modules or env.bool("ENTRAIDE_TESTING", default=False)
DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "entraide-insecure-development-key-never-use-in-production"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Entraide runs in production mode (DEBUG is off) and refuses "
            "to start without a secret key. Set SECRET_KEY to a long random value, or set DEBUG=1 "
            "for local development."
        )

BASE_DOMAIN = env.str("BASE_DOMAIN", default="localhost").lower().strip(".")
# The public URL of a brand is <scheme>://<slug>.<BASE_DOMAIN><:port>; the port is only for
# development (make run serves on 8000).
SITE_SCHEME = env.str("SITE_SCHEME", default="http" if DEBUG else "https")
SITE_PORT = env.str("SITE_PORT", default="")

# The tenant middleware only serves hosts found in the Domain table and answers 404 to every
# other host, so it is the real host allow-list; ALLOWED_HOSTS can stay open unless an operator
# wants Django's own check as well.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])

# --- Database and Redis (embedded when unset) ---------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL", default="")
if not DATABASE_URL:
    DATABASE_URL = embedded.postgres_url()
else:
    embedded._announce("database: DATABASE_URL (external PostgreSQL)")
REDIS_URL = env.str("REDIS_URL", default="")
if not REDIS_URL:
    REDIS_URL = embedded.redis_url()
else:
    embedded._announce("redis: REDIS_URL (external Redis)")

_db = environ.Env.db_url_config(DATABASE_URL)
_db["ENGINE"] = "django_tenants.postgresql_backend"
_db.setdefault("OPTIONS", {})
_db["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES = {"default": _db}
if TESTING:
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_entraide")}
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Tenancy ------------------------------------------------------------------------------------
TENANT_MODEL = "tenants.Association"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
# Brands are created by cloning this schema, which `migrate_schemas` keeps current
# (see tenants/management/commands/migrate_schemas.py and docs/adr/0003-provisioning.md).
TENANT_BASE_SCHEMA = "template_brand"
TENANT_CREATION_FAKES_MIGRATIONS = True
SPARE_SCHEMA_PREFIX = "spare_"
SPARE_POOL_SIZE = env.int("SPARE_POOL_SIZE", default=0 if TESTING else 3)
PUBLIC_SCHEMA_URLCONF = "entraide.urls_public"
ROOT_URLCONF = "entraide.urls_tenant"
RESERVED_SLUGS = {
    "www",
    "api",
    "admin",
    "public",
    "static",
    "media",
    "mail",
    "smtp",
    "ftp",
    "app",
    "apps",
    "operator",
    "operators",
    "console",
    "status",
    "health",
    "healthz",
    "readyz",
    "help",
    "support",
    "docs",
    "blog",
    "cdn",
    "assets",
    "auth",
    "login",
    "logout",
    "account",
    "accounts",
    "dashboard",
    "template",
    "template-brand",
    "information-schema",
    "root",
    "localhost",
    "test",
    "demo-template",
}

SHARED_APPS = [
    # `tenants` comes before `django_tenants` so that its migrate/migrate_schemas commands (which
    # keep the template schema current) take precedence.
    "tenants",
    "django_tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "accounts",
    # Operators log in on the public host, so sessions and the admin log exist in public too
    # (docs/adr/0002-apps-in-both-schemas.md).
    "django.contrib.sessions",
    "django.contrib.admin",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "entraide",
    "themes",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "accounts",
    "django.contrib.sessions",
    "django.contrib.admin",
    "webapp",
    "worker",
    "volunteers",
    "people",
    "matching",
    "visits",
    "outings",
    "messaging",
    "coordination",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"

MIDDLEWARE = [
    # /healthz, /readyz and the TLS domain check answer on any host: first (entraide/health.py).
    "entraide.health.HealthCheckMiddleware",
    "tenants.middleware.BrandTenantMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "themes.middleware.BrandLocaleMiddleware",  # LocaleMiddleware + the brand's default_locale
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tenants.context_processors.brand",
                "themes.context_processors.theme",
            ],
            # A brand's own template folder (THEMES_TEMPLATE_ROOT/<schema>/) is searched first;
            # the cache is keyed per brand for brands that have one (themes/loaders.py).
            "loaders": [
                (
                    "themes.loaders.CachedLoader",
                    [
                        "themes.loaders.BrandDirectoryLoader",
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
        },
    }
]

WSGI_APPLICATION = "entraide.wsgi.application"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Sessions and cookies: host-only, per brand -------------------------------------------------
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG and not TESTING)

# --- Cache: every key is prefixed by the current schema -----------------------------------------
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "KEY_PREFIX": env.str(
            "CACHE_KEY_PREFIX", default="entraide-test" if TESTING else "entraide"
        ),
    }
}

# --- I18n ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "platform" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / ".data" / "media"))
STORAGES = {
    # Media files live under MEDIA_ROOT/<schema>/ (django-tenants' tenant storage).
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
if TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"Entraide <no-reply@{BASE_DOMAIN}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST framework -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    # The token scheme first: DRF answers unauthenticated requests with the FIRST class's
    # `WWW-Authenticate` challenge, so a missing or bad token gets 401 (not 403, which would
    # read as "you may not"); browsers keep using their session cookie.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["entraide.api_filters.FilterBackend"],
    "EXCEPTION_HANDLER": "entraide.api_errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Entraide API",
    "DESCRIPTION": "Multi-tenant volunteer-engagement platform",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Distinct names for choice sets whose fields share a name ("kind", "status", ...).
    "ENUM_NAME_OVERRIDES": {
        "VisitKindEnum": "visits.models.Visit.Kind",
        "VisitMoodEnum": "visits.models.Visit.Mood",
        "WeeklySlotEnum": "volunteers.choices.SLOT_CHOICES",
        "BrandRoleEnum": "accounts.api.BRAND_ROLES",
        "VolunteerStatusEnum": "volunteers.models.VolunteerProfile.Status",
        "PersonStatusEnum": "people.models.Person.Status",
        "CircleStatusEnum": "matching.models.Circle.Status",
        "ProposalStatusEnum": "matching.models.Proposal.Status",
    },
}

# --- Celery (worker/) ---------------------------------------------------------------------------
CELERY_BROKER_URL = (
    REDIS_URL.replace("unix://", "redis+socket://", 1)
    if REDIS_URL.startswith("unix://")
    else REDIS_URL
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE

# --- Security -----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Production: HTTPS/HSTS, CSP, JSON logs, optional Sentry (no-op under DEBUG and tests) -------
from entraide import production as _production  # noqa: E402

_production.apply(globals(), env)
