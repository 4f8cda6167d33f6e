"""The Celery app. Tenant-aware through tenant-schemas-celery: a task runs in the schema of the
code that enqueued it (the schema travels in the message headers).

Delivery is at-least-once: tasks are acknowledged after they run (`acks_late`), a task whose
worker died is requeued (`task_reject_on_worker_lost`), and a worker reserves one message at a
time (`worker_prefetch_multiplier=1`) so that a crash strands as little as possible. Tasks are
idempotent (worker/outbox.py), which makes the redeliveries harmless.
"""

import os

from entraide.paths import ensure_import_roots

ensure_import_roots()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")

from django.conf import settings  # noqa: E402
from kombu import Queue  # noqa: E402
from tenant_schemas_celery.app import CeleryApp as TenantAwareCeleryApp  # noqa: E402

app = TenantAwareCeleryApp("entraide")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _tunable(name):
    from worker import conf

    return conf.get(name)


app.conf.update(
    task_queues=(Queue("default"), Queue("notifications"), Queue("fanout")),
    task_default_queue="default",
    task_routes={
        "worker.deliver": {"queue": "notifications"},
        "worker.fanout": {"queue": "fanout"},
    },
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    broker_transport_options={"visibility_timeout": int(_tunable("CELERY_VISIBILITY_TIMEOUT"))},
    # Beat: redbeat keeps the schedule and a lock in Redis, so a second beat replica waits
    # instead of firing every entry twice.
    beat_scheduler="redbeat.RedBeatScheduler",
    redbeat_redis_url=settings.REDIS_URL,
    redbeat_key_prefix=os.environ.get("REDBEAT_KEY_PREFIX", "entraide:redbeat:"),
    redbeat_lock_timeout=int(_tunable("BEAT_LOCK_TIMEOUT")),
    # Beat wakes (and renews its lock) well within the lock's lifetime.
    beat_max_loop_interval=min(30, max(1, int(_tunable("BEAT_LOCK_TIMEOUT")) // 5)),
    beat_schedule={
        # Every per-brand job (worker/periodic.py): the sweeper and what other apps register.
        "dispatch-brand-jobs": {
            "task": "worker.dispatch_brand_jobs",
            "schedule": float(_tunable("BEAT_DISPATCH_EVERY_SECONDS")),
            "options": {"queue": "default", "expires": 25},
        },
        # Public work: keep the spare-schema pool full (tenants/schemas.py).
        "refill-spare-pool": {
            "task": "tenants.refill_spare_pool",
            "schedule": 300.0,
            "options": {"queue": "default", "expires": 280},
        },
    },
)
# Every installed app's tasks.py (they register per-brand jobs at import).
app.autodiscover_tasks()
