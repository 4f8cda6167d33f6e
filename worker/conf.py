"""Tunables of the notification pipeline. Each one is a Django setting when set there, else an
environment variable (so a worker process started by a test or the benchmark can be tuned without
touching the settings module), else the default below."""

from __future__ import annotations

import os

from django.conf import settings

_DEFAULTS = {
    # Rows per delivery task: one claim query and one SMTP/HTTP session per batch.
    "NOTIFY_BATCH_SIZE": 100,
    # A claimed row is leased to one task for this long; after that another task may claim it.
    # Must exceed the time one batch takes to send.
    "NOTIFY_LEASE_SECONDS": 300,
    # A pending, unleased row enqueued longer ago than this is enqueued again by the sweeper.
    "NOTIFY_STALE_SECONDS": 120,
    # Transient failures: retry after base * 2**(attempt-1) seconds (+ jitter), capped, and give
    # up (status failed) after NOTIFY_MAX_ATTEMPTS attempts.
    "NOTIFY_RETRY_BASE_SECONDS": 30.0,
    "NOTIFY_RETRY_MAX_SECONDS": 1800.0,
    "NOTIFY_MAX_ATTEMPTS": 6,
    # How often beat runs the per-brand sweeper.
    "NOTIFY_SWEEP_EVERY_SECONDS": 60,
    # Redis redelivers a message that was not acknowledged within this many seconds (acks_late).
    # Must exceed the longest countdown we schedule (retry cap, periodic-job spread).
    "CELERY_VISIBILITY_TIMEOUT": 3600,
    # Beat: how often the per-brand dispatcher runs, and how long redbeat's lock lives (a beat
    # replica that dies hands over to a waiting one after at most this long).
    "BEAT_DISPATCH_EVERY_SECONDS": 30.0,
    "BEAT_LOCK_TIMEOUT": 150,
    # SMS provider: "console" (development) or "http" (generic JSON-over-HTTP provider).
    "SMS_PROVIDER": "console",
    "SMS_HTTP_URL": "",
    "SMS_HTTP_TOKEN": "",
    # The gateway's bulk endpoint (see worker.sms.HttpJsonSmsProvider), and the most messages
    # per bulk request. Unset: one request per message.
    "SMS_HTTP_BATCH_URL": "",
    "SMS_HTTP_BATCH_SIZE": 50,
    "SMS_SENDER": "Entraide",
    "SMS_MAX_SEGMENTS": 3,
    # Timeout of one HTTP call to a provider (push service, SMS provider).
    "NOTIFY_HTTP_TIMEOUT": 10.0,
}


def get(name: str):
    default = _DEFAULTS[name]
    if hasattr(settings, name):
        return getattr(settings, name)
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if isinstance(default, bool):
        return raw.lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def deliver_eagerly() -> bool:
    """Deliver in-process right after commit instead of through the broker. On in the test
    settings (so a test sees `mail.outbox` after on_commit, like Celery's eager mode) unless a test
    turns it off to exercise the real worker; never on in production."""
    if hasattr(settings, "NOTIFY_DELIVER_EAGERLY"):
        return bool(settings.NOTIFY_DELIVER_EAGERLY)
    return bool(getattr(settings, "TESTING", False))
