"""Celery tasks. Arguments are ids (JSON), never model instances; the brand travels in the
message headers (tenant-schemas-celery) and each task runs in that brand's schema."""

from __future__ import annotations

from worker.celery_app import app
from worker.periodic import register_brand_job


@app.task(name="tenants.refill_spare_pool", ignore_result=True)
def refill_spare_pool() -> int:
    """Keep pre-cloned spare schemas ready so that provisioning is a rename."""
    from tenants.schemas import fill_spare_pool

    return fill_spare_pool()


@app.task(name="worker.deliver", ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def deliver_notifications(ids: list[int]) -> dict:
    """Claim, send and record the outbox rows `ids` of the current brand. Safe to run twice."""
    from worker.outbox import deliver

    return deliver([int(i) for i in ids])


@app.task(name="worker.sweep_outbox", ignore_result=True)
def sweep_outbox(older_than_seconds: float | None = None) -> int:
    """Re-enqueue the current brand's pending rows that nobody is delivering."""
    from worker.outbox import sweep

    return sweep(older_than_seconds=older_than_seconds)


@app.task(name="worker.dispatch_brand_jobs", ignore_result=True)
def dispatch_brand_jobs() -> dict:
    """Beat's one per-brand entry: enqueue every due job for every active brand."""
    from worker.periodic import dispatch_due_jobs

    return dispatch_due_jobs()


@app.task(name="worker.fanout", ignore_result=True)
def fanout(
    recipient_ids: list[int],
    kind: str,
    context: dict,
    idempotency_prefix: str,
    channels: list[str] | None = None,
    urgent: bool = False,
) -> int:
    """Notify many users of the current brand (queue `fanout`): see worker.services.notify_many."""
    from worker.services import notify_chunk

    return notify_chunk(
        recipient_ids=recipient_ids,
        kind=kind,
        context=context,
        idempotency_prefix=idempotency_prefix,
        channels=channels,
        urgent=urgent,
    )


@app.task(name="worker.noop", ignore_result=True)
def noop() -> None:
    """Does nothing: the baseline of bench/notify.py (raw Celery throughput on our broker)."""


@app.task(name="worker.mark", ignore_result=True)
def mark(key: str) -> None:
    """Sets a Redis key: bench/notify.py's end marker after a run of no-ops (FIFO, one worker)."""
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.REDIS_URL).set(key, "1", ex=600)


def _register_jobs():
    from worker import conf

    register_brand_job(
        "notifications-sweep",
        "worker.sweep_outbox",
        every_seconds=int(conf.get("NOTIFY_SWEEP_EVERY_SECONDS")),
    )


_register_jobs()
