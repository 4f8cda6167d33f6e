"""The pipeline against a real Redis and a real `celery worker` process, with local fake
providers (aiosmtpd SMTP sink, HTTP sink for SMS and web push). No mocks."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection, transaction
from django_tenants.utils import tenant_context

from tests.worker.conftest import SMS_BULK_SIZE, WORKER_THREADS, purge_queues, wait_for

pytestmark = pytest.mark.slow


def rows(brand, **filters):
    from worker.models import Notification

    with tenant_context(brand):
        return list(Notification.objects.filter(**filters).order_by("pk"))


def statuses(brand, key_prefix):
    from worker.models import Notification

    with tenant_context(brand):
        return sorted(
            Notification.objects.filter(idempotency_key__startswith=key_prefix).values_list(
                "status", flat=True
            )
        )


def sms_user(c, brand, email, number="+33612345678"):
    from worker.services import set_mobile_number

    user = c.user(brand, email=email)
    with tenant_context(brand):
        set_mobile_number(acting_user=user, number=number)
    return user


def test_the_worker_process_uses_the_test_database_and_redis(db, worker_env):
    """Also makes pytest-django create the test database when this module runs alone (the tests
    below commit data and need it; they cannot use `db`, whose transaction never commits)."""
    from django.conf import settings

    env, _logs = worker_env
    assert (
        env["DATABASE_URL"]
        .split("?")[0]
        .endswith("/" + settings.DATABASES["default"]["TEST"]["NAME"])
    )
    assert env["REDIS_URL"] == settings.REDIS_URL


def test_each_task_runs_in_the_schema_that_enqueued_it(committed, live_worker, sinks):
    """Rows with the same integer ids in two brands: each brand's task reads its own row."""
    from worker.models import Notification
    from worker.notify import notify

    _http, smtp = sinks
    alpha, beta = committed.brand("alpha"), committed.brand("beta")
    # Line the id sequences of the two schemas up, so the next user and row get equal ids.
    targets = {}
    for table in ("accounts_user", Notification._meta.db_table):
        values = []
        for brand in (alpha, beta):
            with tenant_context(brand), connection.cursor() as cursor:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                cursor.execute(f"SELECT last_value FROM {sequence}")
                values.append(cursor.fetchone()[0])
        targets[table] = max(values) + 1
        for brand in (alpha, beta):
            with tenant_context(brand), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, targets[table]]
                )
    ana = committed.user(alpha, email="ana@alpha.example", full_name="Ana")
    bob = committed.user(beta, email="bob@beta.example", full_name="Bob")
    assert ana.pk == bob.pk
    made = {}
    for brand, user in ((alpha, ana), (beta, bob)):
        with tenant_context(brand), transaction.atomic():
            made[brand.slug] = notify(
                recipient=user,
                kind="invitation",
                channels=["email"],
                urgent=True,
                context={"url": f"https://{brand.slug}.example/x"},
                idempotency_key="same-ids",
            )
    assert made["alpha"][0].pk == made["beta"][0].pk

    wait_for(lambda: len(smtp.received()) == 2, message="two e-mails")
    by_recipient = {m["To"]: m for m in smtp.received()}
    assert sorted(by_recipient) == ["ana@alpha.example", "bob@beta.example"]
    assert "Alpha Entraide" in by_recipient["ana@alpha.example"]["Subject"]
    assert "Beta Solidarité" in by_recipient["bob@beta.example"]["Subject"]
    assert (
        "https://alpha.example/x"
        in by_recipient["ana@alpha.example"].get_body(("plain",)).get_content()
    )
    wait_for(
        lambda: statuses(alpha, "same-ids") == ["sent"] and statuses(beta, "same-ids") == ["sent"],
        message="both rows recorded as sent",
    )


def test_notify_in_a_rolled_back_transaction_sends_nothing(committed, live_worker, sinks):
    from worker.notify import notify

    _http, smtp = sinks
    alpha = committed.brand("alpha")
    user = committed.user(alpha, email="rolled@alpha.example")
    with tenant_context(alpha):
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(
                recipient=user,
                kind="invitation",
                channels=["email"],
                urgent=True,
                context={"url": "https://x.example/rolled-back"},
                idempotency_key="rolled-back",
            )
            raise RuntimeError("the change fails")
        # A marker sent afterwards: once it has arrived, anything enqueued before it has too.
        notify(
            recipient=user,
            kind="invitation",
            channels=["email"],
            urgent=True,
            context={"url": "https://x.example/marker"},
            idempotency_key="marker",
        )
    wait_for(lambda: smtp.received(), message="the marker")
    bodies = [m.get_body(("plain",)).get_content() for m in smtp.received()]
    assert len(bodies) == 1 and "https://x.example/marker" in bodies[0]
    assert rows(alpha, idempotency_key="rolled-back") == []


def test_sigkill_mid_batch_then_restart_delivers_each_message_exactly_once(
    committed, live_worker, sinks
):
    from worker.notify import notify

    http, _smtp = sinks
    alpha = committed.brand("alpha")
    committed.theme(alpha, {"flags": {"sms": True}})
    users = [
        sms_user(committed, alpha, f"kill{i}@alpha.example", f"+3361234560{i}") for i in range(5)
    ]
    http.delay = 0.008  # a provider that takes a few ms per message: the kill lands mid-batch
    with tenant_context(alpha), transaction.atomic():
        for i in range(500):
            notify(
                recipient=users[i % 5],
                kind="invitation",
                channels=["sms"],
                urgent=True,
                context={"url": f"https://x.example/{i}"},
                idempotency_key=f"kill:{i}",
            )
    expected = {str(n.public_id) for n in rows(alpha, idempotency_key__startswith="kill:")}
    assert len(expected) == 500
    wait_for(lambda: len(http.received("/sms")) >= 100, message="the batch to be under way")
    live_worker.kill()
    delivered_before_restart = len(http.keys("/sms"))
    with tenant_context(alpha):
        from worker.models import Notification

        sent_before_kill = {
            str(key)
            for key in Notification.objects.filter(
                idempotency_key__startswith="kill:", status="sent"
            ).values_list("public_id", flat=True)
        }
    assert 100 <= delivered_before_restart < 500  # killed in the middle of the batch
    live_worker.start()  # Redis redelivers the unacknowledged tasks; leases expire
    with tenant_context(alpha):
        from worker.tasks import sweep_outbox

        def all_sent():
            if statuses(alpha, "kill:").count("sent") == 500:
                return True
            sweep_outbox.apply_async(kwargs={"older_than_seconds": 0}, queue="notifications")
            return False

        wait_for(all_sent, timeout=60, interval=1.0, message="all 500 sent after the restart")
    keys = http.keys("/sms")
    assert set(keys) == expected  # every message arrived, none is unknown
    repeats = {key: n for key, n in keys.items() if n > 1}
    # A message is sent again only if the kill fell between its bulk request and the record of
    # that request's outcomes: at most one request's messages per worker thread, each at most
    # twice, and the provider recognises them by their idempotency key (the `reference`).
    assert len(repeats) <= WORKER_THREADS * SMS_BULK_SIZE and all(n == 2 for n in repeats.values())
    # Everything recorded as sent before the kill was never sent again.
    assert not set(repeats) & sent_before_kill


def test_redis_flushed_while_rows_are_pending_the_sweeper_delivers_them_once(
    committed, live_worker, sinks
):
    import redis
    from django.conf import settings

    from worker.notify import notify

    http, _smtp = sinks
    alpha, beta = committed.brand("alpha"), committed.brand("beta")
    committed.theme(alpha, {"flags": {"sms": True}})
    committed.theme(beta, {"flags": {"sms": True}})
    live_worker.stop()
    users = {b.slug: sms_user(committed, b, f"flush@{b.slug}.example") for b in (alpha, beta)}
    for brand in (alpha, beta):
        with tenant_context(brand), transaction.atomic():
            for i in range(60):
                notify(
                    recipient=users[brand.slug],
                    kind="invitation",
                    channels=["sms"],
                    urgent=True,
                    context={"url": f"https://x.example/{i}"},
                    idempotency_key=f"flush:{i}",
                )
    client = redis.Redis.from_url(settings.REDIS_URL)
    assert client.llen("notifications") > 0
    client.flushdb()  # the broker loses every queued task
    live_worker.start()
    assert statuses(alpha, "flush:") == ["pending"] * 60
    from worker.tasks import sweep_outbox

    for brand in (alpha, beta):
        with tenant_context(brand):
            sweep_outbox.apply_async(kwargs={"older_than_seconds": 0}, queue="notifications")
    wait_for(
        lambda: (
            statuses(alpha, "flush:") == ["sent"] * 60 and statuses(beta, "flush:") == ["sent"] * 60
        ),
        message="the sweeper to deliver everything",
    )
    keys = http.keys("/sms")
    assert len(keys) == 120 and set(keys.values()) == {1}


def test_transient_smtp_failure_is_retried_and_permanent_one_marked_failed(
    committed, live_worker, sinks
):
    from worker.notify import notify
    from worker.selectors import failed_count

    _http, smtp = sinks
    alpha = committed.brand("alpha")
    flaky = committed.user(alpha, email="tempfail@alpha.example")
    gone = committed.user(alpha, email="bounce@alpha.example")
    with tenant_context(alpha):
        before = failed_count()
        for user, key in ((flaky, "smtp-flaky"), (gone, "smtp-gone")):
            notify(
                recipient=user,
                kind="invitation",
                channels=["email"],
                urgent=True,
                context={"url": "https://x.example/"},
                idempotency_key=key,
            )
    wait_for(
        lambda: [n.status for n in rows(alpha, idempotency_key="smtp-flaky")] == ["sent"],
        message="the retry",
    )
    wait_for(
        lambda: [n.status for n in rows(alpha, idempotency_key="smtp-gone")] == ["failed"],
        message="the bounce",
    )
    [sent] = rows(alpha, idempotency_key="smtp-flaky")
    [failed] = rows(alpha, idempotency_key="smtp-gone")
    assert sent.attempts == 2 and sent.last_error == ""
    assert failed.attempts == 1 and "550" in failed.last_error
    assert [m["To"] for m in smtp.received()] == ["tempfail@alpha.example"]
    with tenant_context(alpha):
        assert failed_count() == before + 1


def test_transient_http_failure_is_retried_then_gives_up_and_permanent_fails_at_once(
    committed, live_worker, sinks
):
    from worker.notify import notify

    http, _smtp = sinks
    alpha = committed.brand("alpha")
    committed.theme(alpha, {"flags": {"sms": True}})
    user = sms_user(committed, alpha, "http@alpha.example")

    def sms_ends(key: str, status: str):
        with tenant_context(alpha):
            notify(
                recipient=user,
                kind="invitation",
                channels=["sms"],
                urgent=True,
                context={"url": "https://x.example/"},
                idempotency_key=key,
            )
        wait_for(
            lambda: [n.status for n in rows(alpha, idempotency_key=key)] == [status],
            message=f"{key} {status}",
        )
        return rows(alpha, idempotency_key=key)[0]

    http.fail("/sms", 503, 200)  # one 503, then accepted
    assert sms_ends("http-flaky", "sent").attempts == 2
    http.fail("/sms", 503)  # always 503: bounded retries, then failed
    down = sms_ends("http-down", "failed")
    assert down.attempts == 3 and down.last_error.endswith("HTTP 503")
    http.fail("/sms", 400)  # permanent: failed at the first attempt
    assert sms_ends("http-rejected", "failed").attempts == 1
    http.fail("/sms", 200)
    http.fail("/sms/batch", 502, 200)  # the whole bulk request fails once, then goes through
    assert sms_ends("bulk-flaky", "sent").attempts == 2
    http.fail("/sms/batch", 401)  # the gateway refuses our credentials: permanent
    rejected = sms_ends("bulk-refused", "failed")
    assert rejected.attempts == 1 and rejected.last_error.startswith("HTTP 401")


def test_web_push_is_encrypted_for_the_browser_and_a_410_removes_the_subscription(
    committed, live_worker, sinks
):
    import base64
    import json

    import http_ece
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from worker.models import PushSubscription
    from worker.notify import notify
    from worker.services import subscribe_push
    from worker.vapid import keys_for_current_brand

    http, _smtp = sinks
    alpha = committed.brand("alpha")
    user = committed.user(alpha, email="push@alpha.example")
    browser_key = ec.generate_private_key(ec.SECP256R1())
    auth_secret = b"0123456789abcdef"
    b64 = lambda raw: base64.urlsafe_b64encode(raw).decode().rstrip("=")  # noqa: E731
    public = browser_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    with tenant_context(alpha):
        live = subscribe_push(
            acting_user=user,
            endpoint=f"{http.url}/push/live-{uuid.uuid4().hex}",
            p256dh=b64(public),
            auth=b64(auth_secret),
        )
        subscribe_push(
            acting_user=user,
            endpoint=f"{http.url}/push/gone-{uuid.uuid4().hex}",
            p256dh=b64(public),
            auth=b64(auth_secret),
        )
        vapid_public = keys_for_current_brand().public_key
    http.fail("/push/gone-", 410)
    with tenant_context(alpha):
        notify(
            recipient=user,
            kind="invitation",
            channels=["push"],
            urgent=True,
            context={"url": "https://x.example/push"},
            idempotency_key="push-1",
        )
    wait_for(
        lambda: [n.status for n in rows(alpha, idempotency_key="push-1")] == ["sent"],
        message="the push",
    )
    with tenant_context(alpha):
        assert list(
            PushSubscription.objects.filter(user_id=user.pk).values_list("pk", flat=True)
        ) == [live.pk]
    [request] = [r for r in http.received("/push/live-")]
    assert request["headers"]["content-encoding"] == "aes128gcm"
    assert (
        request["headers"]["authorization"].startswith("vapid t=")
        and f"k={vapid_public}" in request["headers"]["authorization"]
    )
    payload = json.loads(
        http_ece.decrypt(
            request["body"], private_key=browser_key, auth_secret=auth_secret, version="aes128gcm"
        )
    )
    assert payload["url"] == "https://x.example/push" and "Alpha Entraide" in payload["title"]
    assert len(http.received("/push/gone-")) == 1

    # With no subscription left that answers, the row is skipped, not failed.
    http.fail("/push/live-", 410)
    with tenant_context(alpha):
        notify(
            recipient=user,
            kind="invitation",
            channels=["push"],
            urgent=True,
            context={},
            idempotency_key="push-2",
        )
    wait_for(
        lambda: [n.status for n in rows(alpha, idempotency_key="push-2")] == ["skipped"],
        message="skipped",
    )
    with tenant_context(alpha):
        assert PushSubscription.objects.filter(user_id=user.pk).count() == 0
    purge_queues()


def test_two_beat_replicas_never_both_fire_and_the_waiting_one_takes_over(worker_env):
    """celery-redbeat: the second beat waits on the Redis lock while the first runs; when the
    first dies (SIGKILL, no clean release), the second takes over once the lock expires."""
    import os
    import signal
    import subprocess

    from tests.worker.conftest import REPO

    env, logs = worker_env
    env = dict(
        env,
        REDBEAT_KEY_PREFIX=f"test-beat-{uuid.uuid4().hex[:8]}:",
        BEAT_DISPATCH_EVERY_SECONDS="0.5",
        BEAT_LOCK_TIMEOUT="3",
    )
    sent = "Sending due task dispatch-brand-jobs"

    def start(name, level):
        log = logs / f"{name}.log"
        process = subprocess.Popen(
            [
                str(REPO / ".venv" / "bin" / "celery"),
                "-A",
                "worker.celery_app",
                "beat",
                "--scheduler",
                "redbeat.RedBeatScheduler",
                "--loglevel",
                level,
            ],
            cwd=REPO,
            env=env,
            stdout=open(log, "wb"),
            stderr=subprocess.STDOUT,
        )
        return process, log

    first, first_log = start("beat-1", "INFO")
    second = None
    try:
        wait_for(
            lambda: first_log.read_bytes().count(sent.encode()) >= 1,
            message="the first beat to fire",
        )
        second, second_log = start("beat-2", "INFO")
        wait_for(
            lambda: b"beat: Starting" in second_log.read_bytes(), message="the second beat to start"
        )
        fired_before = first_log.read_bytes().count(sent.encode())
        wait_for(
            lambda: first_log.read_bytes().count(sent.encode()) >= fired_before + 3,
            message="the first beat to keep firing",
        )
        assert sent.encode() not in second_log.read_bytes()  # it waited the whole time
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        wait_for(
            lambda: sent.encode() in second_log.read_bytes(), message="the second beat to take over"
        )
        assert b"Acquired lock" in second_log.read_bytes()
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        import redis
        from django.conf import settings

        client = redis.Redis.from_url(settings.REDIS_URL)
        keys = client.keys(env["REDBEAT_KEY_PREFIX"] + "*")
        if keys:
            client.delete(*keys)
        client.delete("default")  # the dispatch messages they sent; no test worker consumes it
