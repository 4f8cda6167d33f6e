"""The Celery app. Tenant-aware through tenant-schemas-celery: a task runs in the schema of the
code that enqueued it (the schema travels in the message headers)."""

import os

from entraide.paths import ensure_import_roots

ensure_import_roots()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")

from tenant_schemas_celery.app import CeleryApp as TenantAwareCeleryApp  # noqa: E402

app = TenantAwareCeleryApp("entraide")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["worker", "tenants"])
