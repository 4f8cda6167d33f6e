"""Per-brand periodic work.

Apps register jobs (`register_brand_job`) at import time of their `tasks.py` or in ready(). Beat
has ONE static entry, `worker.dispatch_brand_jobs`, every DISPATCH_TICK_SECONDS. The dispatcher
runs in a worker (where every app's tasks module is imported, so the registry is complete) and,
for each job whose period has started, enqueues the job's task once per ACTIVE brand, in that
brand's schema, with a stable per-brand countdown so that brands are spread over the period
rather than all fired at once. Provisioning, suspended and archived brands are skipped.

"Once per period" is enforced by an atomic `cache.add` (Redis SET NX) on the job's period
index, so a duplicate dispatcher run (two beats during a fail-over, a redelivered message) does
not dispatch twice. Beat itself runs redbeat, whose Redis lock keeps a second beat replica idle.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass

logger = logging.getLogger("entraide.worker")

DISPATCH_TICK_SECONDS = 30
# Brands are spread over at most this much of a job's period.
MAX_SPREAD_SECONDS = 900


@dataclass(frozen=True)
class BrandJob:
    name: str
    task_name: str
    every_seconds: int
    queue: str = "default"


BRAND_JOBS: dict[str, BrandJob] = {}


def register_brand_job(
    name: str, task_name: str, *, every_seconds: int, queue: str = "default"
) -> None:
    """Run `task_name` (a registered Celery task, no arguments) every `every_seconds` in every
    active brand's schema. Registering the same name again replaces the job (imports are
    idempotent)."""
    if every_seconds < 1:
        raise ValueError("every_seconds must be positive")
    BRAND_JOBS[name] = BrandJob(
        name=name, task_name=task_name, every_seconds=int(every_seconds), queue=queue
    )


def spread_seconds(job: BrandJob) -> int:
    return int(min(job.every_seconds * 0.9, MAX_SPREAD_SECONDS))


def brand_offset(job: BrandJob, schema_name: str) -> int:
    """A stable offset in [0, spread) for this brand and job: the same brand runs at the same
    point of every period, and brands are spread evenly by the hash."""
    spread = spread_seconds(job)
    if spread <= 0:
        return 0
    digest = hashlib.sha256(f"{job.name}:{schema_name}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % spread


def claim_period(job: BrandJob, now: float | None = None) -> bool:
    """True once per period of the job, across every process (atomic SET NX in Redis)."""
    from django.core.cache import cache

    now = time.time() if now is None else now
    period = int(now // job.every_seconds)
    key = f"worker:brand-job:{job.name}:{job.every_seconds}:{period}"
    return bool(cache.add(key, 1, timeout=job.every_seconds * 2 + DISPATCH_TICK_SECONDS))


def dispatch_job(job: BrandJob) -> int:
    """Enqueue the job for every active brand. Returns the number of brands."""
    from tenants.models import Association
    from worker.celery_app import app

    count = 0
    for schema_name in Association.objects.active().values_list("schema_name", flat=True):
        app.send_task(
            job.task_name,
            queue=job.queue,
            countdown=brand_offset(job, schema_name),
            headers={"_schema_name": schema_name},
        )
        count += 1
    logger.info("dispatched %s to %d brand(s)", job.name, count)
    return count


def dispatch_due_jobs(now: float | None = None) -> dict[str, int]:
    return {
        job.name: dispatch_job(job) for job in list(BRAND_JOBS.values()) if claim_period(job, now)
    }
