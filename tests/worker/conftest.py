"""Fixtures for the notification pipeline: local fake providers, committed data, and a REAL
Celery worker process pointed at the test database and the test Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
WORKER_THREADS = 2
SMS_BULK_SIZE = 10


def wait_for(predicate, *, timeout=40.0, interval=0.05, message="condition"):
    """Poll until `predicate()` is truthy (a bound on waiting, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(interval)


@pytest.fixture(autouse=True)
def _test_kinds_templates(settings):
    """Templates of the kinds these tests use (kinds belong to other apps in the product)."""
    import copy

    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], str(Path(__file__).parent / "templates")]
    settings.TEMPLATES = templates


@pytest.fixture(scope="session")
def http_sink():
    from worker.sinks import HttpSink

    sink = HttpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def smtp_sink():
    from worker.sinks import SmtpSink

    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def sinks(http_sink, smtp_sink):
    http_sink.reset()
    smtp_sink.reset()
    yield http_sink, smtp_sink
    http_sink.reset()
    smtp_sink.reset()


def _require_test_database() -> None:
    """pytest-django only creates the test database when a collected test uses `db`; committing
    data into the development database instead would be a disaster, so refuse."""
    from django.conf import settings

    expected = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if connection.settings_dict["NAME"] != expected:
        pytest.fail(
            f"not connected to the test database {expected!r}; collect a test that uses `db`"
        )


def _database_url() -> str:
    """The test database as a DATABASE_URL for the worker process (TCP or a socket directory,
    which django-environ and pgserver put in OPTIONS["host"])."""
    from urllib.parse import quote, urlencode

    s = connection.settings_dict
    user = quote(s.get("USER") or "")
    password = f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = s.get("HOST") or ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    query = {k: v for k, v in (s.get("OPTIONS") or {}).items() if isinstance(v, str)}
    if host.startswith("/"):
        query["host"], host = host, ""
    suffix = f"?{urlencode(query)}" if query else ""
    return f"postgres://{auth}{host}{port}/{quote(s['NAME'])}{suffix}"


class WorkerProcess:
    """`celery -A worker.celery_app worker` in a subprocess, consuming our queues only."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None

    def start(self):
        import redis
        from django.conf import settings

        self.log_file = open(self.log, "ab")
        self.process = subprocess.Popen(
            [
                str(REPO / ".venv" / "bin" / "celery"),
                "-A",
                "worker.celery_app",
                "worker",
                "-Q",
                "notifications,fanout",
                "-P",
                "threads",
                "-c",
                str(WORKER_THREADS),
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"test-{uuid.uuid4().hex[:6]}@%h",
                "--loglevel",
                "INFO",
            ],
            cwd=REPO,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        # Ready when it consumes: a probe task on its queue disappears from Redis.
        client = redis.Redis.from_url(settings.REDIS_URL)

        def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited: see {self.log}")
            return client.llen("notifications") == 0 and b"ready." in self.log.read_bytes()

        wait_for(ready, timeout=60, interval=0.1, message="the worker to start")
        return self

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log_file.close()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log_file", None) and not self.log_file.closed:
            self.log_file.close()


def purge_queues():
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete("notifications", "fanout", "unacked", "unacked_index")


@pytest.fixture(scope="module")
def worker_env(http_sink, smtp_sink, django_db_setup, tmp_path_factory):
    from django.conf import settings

    _require_test_database()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=_database_url(),
        REDIS_URL=settings.REDIS_URL,
        SECRET_KEY=settings.SECRET_KEY,
        DEBUG="0",
        SITE_SCHEME="http",
        SPARE_POOL_SIZE="0",
        ENTRAIDE_QUIET_EMBEDDED="1",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST=smtp_sink.host,
        EMAIL_PORT=str(smtp_sink.port),
        SMS_PROVIDER="http",
        SMS_HTTP_URL=f"{http_sink.url}/sms",
        # The worker process sends SMS in bulk, as the benchmark does: the guarantees are tested
        # where they are hardest to keep (several messages in flight per request).
        SMS_HTTP_BATCH_URL=f"{http_sink.url}/sms/batch",
        SMS_HTTP_BATCH_SIZE=str(SMS_BULK_SIZE),
        SMS_HTTP_TOKEN="test-token",
        NOTIFY_LEASE_SECONDS="4",
        NOTIFY_HTTP_TIMEOUT="1",
        NOTIFY_RETRY_BASE_SECONDS="0.3",
        NOTIFY_RETRY_MAX_SECONDS="2",
        NOTIFY_MAX_ATTEMPTS="3",
        NOTIFY_BATCH_SIZE="50",
        CELERY_VISIBILITY_TIMEOUT="5",
    )
    env.pop("ENTRAIDE_TESTING", None)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "platform"), str(REPO)])
    return env, tmp_path_factory.mktemp("worker")


@pytest.fixture(scope="module")
def worker_process(worker_env, django_db_blocker):
    env, logs = worker_env
    with django_db_blocker.unblock():
        purge_queues()
    worker = WorkerProcess(env, logs / "worker.log").start()
    yield worker
    worker.stop()


@pytest.fixture
def live_worker(worker_process, settings):
    """The real worker is running and this test enqueues through Redis (no eager delivery)."""
    settings.NOTIFY_DELIVER_EAGERLY = False
    return worker_process


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """For tests whose data a worker process must see: the test body runs with the database
    unblocked in autocommit (no test transaction, so do NOT also request `db`/`brand_a`), and
    everything registered here is deleted afterwards. `c.user(brand, ...)` creates a user (its
    notifications, preferences, subscriptions and number go with it: ON DELETE CASCADE);
    `c.theme(brand, tokens)` changes a brand's theme and restores it afterwards."""
    from django_tenants.utils import schema_context

    from tenants.models import Association

    _require_test_database()
    created: list[tuple[str, int]] = []
    themes: list = []

    class Committed:
        def brand(self, slug):
            return Association.objects.get(slug=slug)

        def user(self, brand, *, email, **extra):
            from accounts.models import User

            with schema_context(brand.schema_name):
                user = User.objects.create_user(email=email, **extra)
            created.append((brand.schema_name, user.pk))
            return user

        def theme(self, brand, tokens):
            from themes.selectors import get_theme
            from themes.services import set_theme

            themes.append((brand, get_theme(brand).tokens))
            set_theme(association=brand, tokens=tokens)

    with django_db_blocker.unblock():
        try:
            yield Committed()
        finally:
            from accounts.models import User

            from themes.services import set_theme

            connection.set_schema_to_public()
            for schema_name, pk in created:
                with schema_context(schema_name):
                    User.objects.filter(pk=pk).delete()
            for brand, tokens in reversed(themes):
                set_theme(association=brand, tokens=tokens, replace=True)
            connection.set_schema_to_public()
