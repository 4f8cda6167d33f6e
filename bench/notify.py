#!/usr/bin/env python
"""Notification throughput: the real pipeline next to raw Celery, on the same broker, same run.

* deliveries: 10,000 outbox rows written by `worker.notify.notify` in one transaction, delivered
  by ONE `celery worker` process (thread pool) to a local HTTP sink through the generic HTTP SMS
  provider's bulk endpoint (SMS_HTTP_BATCH_URL, 50 messages per request, each with its own
  reference as idempotency key): claim (lease), render, POST, record each message's outcome
  (one UPDATE per bulk request). Set BENCH_SMS_BULK=0 to measure one request per message.
  Timed from the commit (which enqueues the batches) to the last row recorded as sent.
* celery_noop: the same worker process runs 10,000 no-op tasks from a pre-filled queue (it is
  told to consume it with `add_consumer`), timed to an end marker.

Creates its own brand and drops it. Works with DATABASE_URL/REDIS_URL set or not (embedded
services). Usage: bench/notify.py [N] (default 10000). Ends with exactly one line:
    notify: deliveries_per_s=<x> celery_noop_per_s=<y> ratio=<x/y>
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
os.environ.setdefault("ENTRAIDE_QUIET_EMBEDDED", "1")
# A benchmark is not a deployment: it needs no real secret (DEBUG stays off, as in production).
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("SPARE_POOL_SIZE", "0")

THREADS = int(os.environ.get("BENCH_WORKER_THREADS", "8"))
BULK = os.environ.get("BENCH_SMS_BULK", "1") not in ("0", "", "false", "no")
USERS = 200


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def wait_for(predicate, timeout: float, what: str, interval: float = 0.02):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"bench/notify.py: timed out waiting for {what}")
        time.sleep(interval)


def start_sink() -> tuple[subprocess.Popen, str]:
    sink = subprocess.Popen(
        [sys.executable, "-m", "worker.sinks", "http"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}"},
    )
    port = int(sink.stdout.readline())
    return sink, f"http://127.0.0.1:{port}"


def worker_env(database_url: str, redis_url: str, sink_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SMS_PROVIDER="http",
        SMS_HTTP_URL=f"{sink_url}/sms",
        SMS_HTTP_BATCH_URL=f"{sink_url}/sms/batch" if BULK else "",
        SMS_HTTP_TOKEN="bench",
        LOG_LEVEL="WARNING",
        PYTHONPATH=f"{ROOT / 'platform'}:{ROOT}",
    )
    return env


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    # Interrupted (Ctrl-C, SIGTERM): still stop the worker and the sink and drop the brand.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    import django

    django.setup()
    import redis
    from accounts.models import User
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django_tenants.utils import tenant_context

    from tenants import schemas
    from tenants.models import Association
    from tenants.services import ensure_public_tenant, provision_brand
    from themes.services import set_theme
    from worker.celery_app import app
    from worker.models import MobileNumber, Notification
    from worker.notify import notify

    call_command("migrate_schemas", interactive=False, verbosity=0, no_pool=True)
    ensure_public_tenant()
    run_id = uuid.uuid4().hex[:6]
    slug = f"bench-notify-{run_id}"
    noop_queue = f"bench-noop-{run_id}"
    worker_name = f"bench-{run_id}@localhost"
    client = redis.Redis.from_url(settings.REDIS_URL)
    sink, sink_url = start_sink()
    worker = None
    brand = None
    try:
        brand = provision_brand(
            slug=slug,
            name="Bench Notify",
            admin_email=f"admin@{slug}.example",
            use_pool=False,
            send_invitation=False,
        ).association
        set_theme(association=brand, tokens={"flags": {"sms": True}})
        with tenant_context(brand):
            users = User.objects.bulk_create(
                [User(email=f"user{i}@{slug}.example", role="volunteer") for i in range(USERS)]
            )
            MobileNumber.objects.bulk_create(
                [MobileNumber(user=u, e164=f"+336{10000000 + i:08d}") for i, u in enumerate(users)]
            )
        connection.set_schema_to_public()

        worker = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "celery"),
                "-A",
                "worker.celery_app",
                "worker",
                "-Q",
                "notifications",
                "-P",
                "threads",
                "-c",
                str(THREADS),
                "-n",
                worker_name,
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=worker_env(settings.DATABASE_URL, settings.REDIS_URL, sink_url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: app.control.ping(destination=[worker_name], timeout=0.5), 60, "the worker")
        log(
            f"worker up ({THREADS} threads, SMS {'in bulk' if BULK else 'one request each'}); "
            f"writing {n} notifications"
        )

        # --- deliveries ---------------------------------------------------------------------
        with tenant_context(brand):
            started = time.perf_counter()
            with transaction.atomic():
                for i in range(n):
                    notify(
                        recipient=users[i % USERS],
                        kind="invitation",
                        channels=["sms"],
                        urgent=True,
                        context={"url": f"https://{slug}.example/i/{i}"},
                        idempotency_key=f"bench:{i}",
                    )
                log(
                    f"wrote {n} rows in {time.perf_counter() - started:.1f}s; committing (enqueues the batches)"
                )
            t0 = time.perf_counter()
            sent = Notification.objects.filter(status="sent")
            wait_for(lambda: sent.count() >= n, 600, "the deliveries", interval=0.05)
            delivery_s = time.perf_counter() - t0
            assert Notification.objects.exclude(status="sent").count() == 0
        connection.set_schema_to_public()
        import json
        import urllib.request

        with urllib.request.urlopen(f"{sink_url}/_count") as answer:
            arrived = json.load(answer)["count"]
        assert arrived == n, f"the sink received {arrived} messages for {n} notifications"
        deliveries_per_s = n / delivery_s
        log(f"deliveries: {n} in {delivery_s:.2f}s")

        # --- raw Celery no-ops on the same broker and worker --------------------------------
        marker = f"bench:noop:{run_id}"
        noop, mark = app.tasks["worker.noop"], app.tasks["worker.mark"]
        with app.producer_or_acquire() as producer:
            for _ in range(n):
                noop.apply_async(queue=noop_queue, producer=producer)
            mark.apply_async(args=[marker], queue=noop_queue, producer=producer)
        t0 = time.perf_counter()
        app.control.add_consumer(noop_queue, destination=[worker_name], reply=True, timeout=5)
        wait_for(lambda: client.exists(marker), 600, "the no-ops", interval=0.01)
        noop_s = time.perf_counter() - t0
        noop_per_s = (n + 1) / noop_s
        log(f"celery no-ops: {n} in {noop_s:.2f}s")
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        sink.kill()
        client.delete(noop_queue)
        connection.set_schema_to_public()
        if brand is not None:
            schemas.drop_schema(brand.schema_name)
            Association.objects.filter(pk=brand.pk).delete()
    print(
        f"notify: deliveries_per_s={deliveries_per_s:.0f} celery_noop_per_s={noop_per_s:.0f} "
        f"ratio={deliveries_per_s / noop_per_s:.2f}"
    )


if __name__ == "__main__":
    main()
