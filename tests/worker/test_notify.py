"""The outbox in-process (test settings deliver eagerly after commit, to Django's locmem mail
backend): rows, idempotency, preferences, quiet hours, unsubscribe, API, periodic dispatch."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import tenant_context


@pytest.fixture
def volunteer(brand_a, make_user):
    return make_user(brand_a, email="vera@alpha.example", role="volunteer")


def notify_in(brand, **kwargs):
    from worker.notify import notify

    with tenant_context(brand):
        return notify(**kwargs)


def all_rows(brand, **filters):
    from worker.models import Notification

    with tenant_context(brand):
        return list(
            Notification.objects.filter(**filters)
            .order_by("channel")
            .values_list("channel", "status", "last_error")
        )


def set_quiet_hours(brand, start, end, timezone_name="Europe/Paris"):
    from themes.services import set_theme

    set_theme(
        association=brand,
        tokens={
            "timezone": timezone_name,
            "settings": {"quiet_hours_start": start, "quiet_hours_end": end},
        },
    )


def quiet_window_around_now(zone="Europe/Paris"):
    from zoneinfo import ZoneInfo

    local = timezone.now().astimezone(ZoneInfo(zone))
    start = (local - dt.timedelta(hours=1)).strftime("%H:%M")
    end = (local + dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    return start, end.strftime("%H:%M"), end


def test_notify_writes_one_row_per_reachable_channel_and_sends_after_commit(
    brand_a, volunteer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rows = notify_in(
            brand_a,
            recipient=volunteer,
            kind="circle_news",
            context={"url": "/c/1"},
            idempotency_key="news:1",
            urgent=True,
        )
    # only e-mail: no push subscription, no mobile number, SMS off for the brand
    assert [(r.channel, r.status) for r in rows] == [("email", "pending")]
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert all_rows(brand_a, idempotency_key="news:1") == [("email", "sent", "")]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["vera@alpha.example"]


def test_the_same_idempotency_key_writes_nothing_new(
    brand_a, volunteer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify_in(
            brand_a,
            recipient=volunteer,
            kind="circle_news",
            context={},
            idempotency_key="k",
            urgent=True,
        )
        again = notify_in(
            brand_a,
            recipient=volunteer,
            kind="circle_news",
            context={"other": "1"},
            idempotency_key="k",
            urgent=True,
        )
    assert [r.pk for r in again] == [r.pk for r in first]
    assert len(all_rows(brand_a, idempotency_key="k")) == 1
    assert len(mail.outbox) == 1


def test_notify_refuses_bad_input_and_writes_nothing(brand_a, volunteer):
    from worker.notify import notify

    with tenant_context(brand_a):
        with pytest.raises(ValidationError):
            notify(
                recipient=volunteer,
                kind="x",
                context={"when": timezone.now()},
                idempotency_key="bad",
            )
        with pytest.raises(ValidationError):
            notify(
                recipient=volunteer, kind="x", context={}, channels=["fax"], idempotency_key="bad"
            )
        with pytest.raises(ValidationError):
            notify(recipient=volunteer, kind="x", context={}, idempotency_key="")
    assert all_rows(brand_a) == []
    with pytest.raises(ValidationError):  # not inside a brand
        notify(recipient=volunteer, kind="x", context={}, idempotency_key="public")


def test_a_preference_turned_off_suppresses_and_records_it(
    brand_a, volunteer, django_capture_on_commit_callbacks
):
    from worker.services import set_preference

    with tenant_context(brand_a):
        set_preference(acting_user=volunteer, kind="circle_news", channel="email", enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify_in(
            brand_a,
            recipient=volunteer,
            kind="circle_news",
            context={},
            channels=["email"],
            idempotency_key="muted",
            urgent=True,
        )
    assert all_rows(brand_a, idempotency_key="muted") == [("email", "skipped", "preference")]
    assert mail.outbox == []


def test_brand_defaults_apply_until_the_user_chooses(
    brand_a, volunteer, django_capture_on_commit_callbacks
):
    from worker.models import ChannelDefault
    from worker.services import set_preference

    with tenant_context(brand_a):
        ChannelDefault.objects.create(kind="*", channel="email", enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify_in(
            brand_a,
            recipient=volunteer,
            kind="digest",
            context={},
            channels=["email"],
            idempotency_key="d1",
            urgent=True,
        )
        with tenant_context(brand_a):
            set_preference(acting_user=volunteer, kind="digest", channel="email", enabled=True)
        notify_in(
            brand_a,
            recipient=volunteer,
            kind="digest",
            context={},
            channels=["email"],
            idempotency_key="d2",
            urgent=True,
        )
    assert all_rows(brand_a, idempotency_key="d1") == [("email", "skipped", "preference")]
    assert all_rows(brand_a, idempotency_key="d2") == [("email", "sent", "")]


def test_quiet_hours_defer_to_the_morning_and_never_drop(
    brand_a, volunteer, django_capture_on_commit_callbacks
):
    from worker.models import Notification
    from worker.outbox import sweep

    start, end, end_local = quiet_window_around_now()
    set_quiet_hours(brand_a, start, end)
    with django_capture_on_commit_callbacks(execute=True):
        [row] = notify_in(
            brand_a, recipient=volunteer, kind="circle_news", context={}, idempotency_key="night"
        )
        notify_in(
            brand_a,
            recipient=volunteer,
            kind="circle_news",
            context={},
            idempotency_key="alarm",
            urgent=True,
        )
    assert row.status == "pending" and row.not_before == end_local.astimezone(dt.UTC)
    assert all_rows(brand_a, idempotency_key="night") == [("email", "pending", "")]
    assert all_rows(brand_a, idempotency_key="alarm") == [("email", "sent", "")]
    assert [m.to for m in mail.outbox] == [["vera@alpha.example"]]  # only the urgent one
    with tenant_context(brand_a):
        assert sweep(older_than_seconds=0) == 0  # still night: the sweeper leaves it waiting
        # morning comes
        Notification.objects.filter(pk=row.pk).update(
            not_before=timezone.now() - dt.timedelta(seconds=1)
        )
        assert sweep(older_than_seconds=0) == 1
    assert all_rows(brand_a, idempotency_key="night") == [("email", "sent", "")]
    assert len(mail.outbox) == 2


def test_quiet_hours_across_midnight_end_next_morning_in_the_brand_timezone():
    from worker.quiet_hours import QuietHours

    quiet = QuietHours(timezone="America/New_York", start=dt.time(21), end=dt.time(8))
    # 17:30 in New York: not quiet
    assert quiet.deferred_until(dt.datetime(2026, 3, 7, 22, 30, tzinfo=dt.UTC)) is None
    # 23:30 in New York on the eve of the DST change: deferred to 08:00 EDT (12:00 UTC)
    assert quiet.deferred_until(dt.datetime(2026, 3, 8, 4, 30, tzinfo=dt.UTC)) == dt.datetime(
        2026, 3, 8, 12, 0, tzinfo=dt.UTC
    )
    # 06:00 EDT: deferred to 08:00 the same day
    assert quiet.deferred_until(dt.datetime(2026, 3, 8, 10, 0, tzinfo=dt.UTC)) == dt.datetime(
        2026, 3, 8, 12, 0, tzinfo=dt.UTC
    )


def test_invitations_are_transactional_and_go_through_the_outbox(
    db, django_capture_on_commit_callbacks
):
    from accounts.models import User

    from tenants.services import provision_brand
    from worker.models import Notification
    from worker.services import set_preference

    with django_capture_on_commit_callbacks(execute=True):
        result = provision_brand(
            slug="delta", name="Delta", admin_email="boss@delta.example", use_pool=False
        )
    with tenant_context(result.association):
        [row] = Notification.objects.all()
        assert (row.kind, row.channel, row.status, row.urgent) == (
            "invitation",
            "email",
            "sent",
            True,
        )
        with pytest.raises(ValidationError):
            set_preference(
                acting_user=User.objects.get(), kind="invitation", channel="email", enabled=False
            )
    [message] = mail.outbox
    assert message.subject == "Votre invitation à Delta"
    assert result.invitation_url in message.body and "List-Unsubscribe" not in message.extra_headers
    html = message.alternatives[0][0]
    assert result.invitation_url in html and "Delta" in html


def test_email_is_branded_with_a_one_click_unsubscribe_that_works_only_on_its_brand(
    brand_a, brand_b, volunteer, client_a, client_b, django_capture_on_commit_callbacks
):
    from worker.models import NotificationPreference

    with django_capture_on_commit_callbacks(execute=True):
        notify_in(
            brand_a,
            recipient=volunteer,
            kind="circle_news",
            context={},
            idempotency_key="u1",
            urgent=True,
        )
    [message] = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "://alpha.localhost/api/notifications/unsubscribe/" in url
    path = url.split("alpha.localhost", 1)[1]
    assert path in message.body and path in message.alternatives[0][0]

    # the same link on another brand's host: 404, nothing changes
    assert client_b.post(path).status_code == 404
    assert client_b.get(path).status_code == 404
    with tenant_context(brand_a):
        assert not NotificationPreference.objects.exists()
    # a tampered token: 404
    assert client_a.post(path[:-3] + "xx/").status_code == 404
    # GET shows the confirmation without changing anything; POST (RFC 8058) turns it off
    page = client_a.get(path)
    assert page.status_code == 200 and '<form method="post">' in page.content.decode()
    with tenant_context(brand_a):
        assert not NotificationPreference.objects.exists()
    assert client_a.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    with tenant_context(brand_a):
        assert list(
            NotificationPreference.objects.values_list("user_id", "kind", "channel", "enabled")
        ) == [(volunteer.pk, "circle_news", "email", False)]


def test_push_subscription_api_is_per_user_and_per_brand(
    brand_a, brand_b, make_user, client_a, client_b, login
):
    from worker.models import PushSubscription

    vera = make_user(brand_a, email="vera@alpha.example")
    bea = make_user(brand_b, email="bea@beta.example")
    login(client_a, vera, brand_a)
    login(client_b, bea, brand_b)
    body = {"endpoint": "https://push.example/abc", "keys": {"p256dh": "BPkey", "auth": "secret"}}
    assert (
        client_a.post(
            "/api/notifications/push/subscriptions/", body, content_type="application/json"
        ).status_code
        == 201
    )
    key_a = client_a.get("/api/notifications/push/key/").json()["public_key"]
    key_b = client_b.get("/api/notifications/push/key/").json()["public_key"]
    assert key_a != key_b and len(key_a) == 87  # 65-byte P-256 point, base64url
    # brand B's user cannot remove brand A's subscription: 404, nothing changes
    gone = client_b.delete(
        "/api/notifications/push/subscriptions/",
        {"endpoint": body["endpoint"]},
        content_type="application/json",
    )
    assert gone.status_code == 404
    with tenant_context(brand_a):
        assert list(PushSubscription.objects.values_list("user_id", "endpoint")) == [
            (vera.pk, body["endpoint"])
        ]
    with tenant_context(brand_b):
        assert PushSubscription.objects.count() == 0
    assert (
        client_a.delete(
            "/api/notifications/push/subscriptions/",
            {"endpoint": body["endpoint"]},
            content_type="application/json",
        ).status_code
        == 204
    )
    with tenant_context(brand_a):
        assert PushSubscription.objects.count() == 0
    assert (
        client_a.post(
            "/api/notifications/push/subscriptions/",
            {"endpoint": "nope"},
            content_type="application/json",
        ).status_code
        == 400
    )
    from django.test import Client

    assert Client(HTTP_HOST="alpha.localhost").get("/api/notifications/push/key/").status_code in (
        401,
        403,
    )


def test_preferences_api_lists_and_changes_choices(brand_a, volunteer, client_a, login):
    from worker.kinds import register_kind

    register_kind("circle_news", label="News of my circle")
    login(client_a, volunteer, brand_a)
    listed = client_a.get("/api/notifications/preferences/").json()
    assert {
        "kind": "circle_news",
        "label": "News of my circle",
        "channel": "sms",
        "enabled": False,
        "chosen": False,
    } in listed
    assert all(item["kind"] != "invitation" for item in listed)
    changed = client_a.put(
        "/api/notifications/preferences/",
        [{"kind": "circle_news", "channel": "email", "enabled": False}],
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert {
        "kind": "circle_news",
        "label": "News of my circle",
        "channel": "email",
        "enabled": False,
        "chosen": True,
    } in changed.json()
    refused = client_a.put(
        "/api/notifications/preferences/",
        [{"kind": "invitation", "channel": "email", "enabled": False}],
        content_type="application/json",
    )
    assert refused.status_code == 400


def test_mobile_number_is_validated_and_stored_in_e164(brand_a, volunteer, client_a, login):
    from worker.models import MobileNumber

    login(client_a, volunteer, brand_a)
    bad = client_a.put(
        "/api/notifications/mobile/", {"number": "01 23"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "number" in bad.json()
    landline = client_a.put(
        "/api/notifications/mobile/", {"number": "01 42 68 53 00"}, content_type="application/json"
    )
    assert landline.status_code == 400
    ok = client_a.put(
        "/api/notifications/mobile/", {"number": "06 12 34 56 78"}, content_type="application/json"
    )
    assert ok.json() == {"number": "+33612345678"}
    with tenant_context(brand_a):
        assert list(MobileNumber.objects.values_list("user_id", "e164")) == [
            (volunteer.pk, "+33612345678")
        ]


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # extension characters cost two septets
        ("é" * 160, "GSM-7", 160, 1),  # é is in the GSM alphabet
        ("ç" * 70, "UCS-2", 70, 1),  # ç (lower case) is not: UCS-2
        ("ç" * 71, "UCS-2", 71, 2),
        ("😀" * 35, "UCS-2", 70, 1),  # outside the BMP: two UTF-16 units each
    ],
)
def test_sms_length_and_encoding(text, encoding, units, segments):
    from worker.sms import measure

    assert measure(text) == (
        measure(text).__class__(encoding=encoding, units=units, segments=segments)
    )


def test_long_sms_is_shortened_to_the_segment_limit():
    from worker.sms import fit, measure

    long_text = "Bonjour " * 100
    short = fit(long_text, 2)
    assert measure(short).segments == 2 and short.endswith("...")
    accented = "ça " * 100
    assert measure(fit(accented, 1)).segments == 1 and fit(accented, 1).endswith("…")
    assert fit("Court", 1) == "Court"


def test_console_sms_provider_prints_the_message():
    import io

    from worker.sms import ConsoleSmsProvider

    out = io.StringIO()
    assert (
        ConsoleSmsProvider(out).send(
            to="+33612345678", text="Salut", sender="Alpha", reference="r1"
        )
        == "console:r1"
    )
    assert (
        "+33612345678" in out.getvalue()
        and "GSM-7, 1 segment(s)" in out.getvalue()
        and "Salut" in out.getvalue()
    )


def test_each_brand_gets_its_own_vapid_keys_at_provisioning(brand_a, brand_b):
    from worker.models import VapidKeys

    keys = []
    for brand in (brand_a, brand_b):
        with tenant_context(brand):
            keys.append(VapidKeys.objects.get().public_key)
    assert keys[0] != keys[1]


def test_failed_notifications_are_counted_and_listed_in_the_brand_admin(
    brand_a, brand_b, volunteer, make_user, client_a, login
):
    from worker.models import Notification
    from worker.selectors import failed_count, failed_counts_by_brand

    with tenant_context(brand_a):
        Notification.objects.create(
            recipient=volunteer,
            kind="circle_news",
            channel="email",
            status="failed",
            idempotency_key="f1",
            attempts=6,
            last_error="SMTP 550: no such user",
        )
        assert failed_count() == 1
    with tenant_context(brand_b):
        assert failed_count() == 0
    counts = failed_counts_by_brand()
    assert counts["alpha"] == 1 and counts["beta"] == 0
    admin = make_user(brand_a, email="boss@alpha.example", role="brand_admin")
    with tenant_context(brand_a):
        admin.is_superuser = True
        admin.save(update_fields=["is_superuser"])
    login(client_a, admin, brand_a)
    page = client_a.get("/admin/worker/notification/?status__exact=failed")
    assert page.status_code == 200 and "SMTP 550: no such user" in page.content.decode()


def test_the_dispatcher_enqueues_brand_jobs_for_active_brands_once_per_period(
    brand_a, brand_b, settings
):
    import redis

    from tenants.services import suspend_brand
    from worker.periodic import BRAND_JOBS, brand_offset, dispatch_due_jobs, register_brand_job

    queue = f"test-dispatch-{timezone.now().timestamp()}"
    register_brand_job("test-job", "worker.noop", every_seconds=3600, queue=queue)
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        suspend_brand(association=brand_b)
        now = 1_800_000_000.0 + (timezone.now().timestamp() % 1000) * 3600  # a fresh period
        first = dispatch_due_jobs(now)
        again = dispatch_due_jobs(now + 10)  # same period: nothing
        assert first["test-job"] >= 1 and "test-job" not in again
        messages = [json.loads(raw) for raw in client.lrange(queue, 0, -1)]
        schemas = sorted(m["headers"]["_schema_name"] for m in messages)
        assert "alpha" in schemas and "beta" not in schemas and len(schemas) == first["test-job"]
        [alpha] = [m for m in messages if m["headers"]["_schema_name"] == "alpha"]
        assert alpha["headers"]["task"] == "worker.noop"
        offset = brand_offset(BRAND_JOBS["test-job"], "alpha")
        assert 0 <= offset < 900 and alpha["headers"]["eta"] is not None or offset == 0
    finally:
        BRAND_JOBS.pop("test-job", None)
        client.delete(queue)


def test_notify_many_fans_out_once_per_user_and_only_in_its_brand(
    brand_a, brand_b, make_user, django_capture_on_commit_callbacks
):
    from worker.models import Notification
    from worker.services import notify_many

    users = [make_user(brand_a, email=f"v{i}@alpha.example") for i in range(3)]
    other = make_user(brand_b, email="v0@beta.example")
    with django_capture_on_commit_callbacks(execute=True), tenant_context(brand_a):
        assert (
            notify_many(
                recipient_ids=[u.pk for u in users],
                kind="circle_news",
                context={},
                idempotency_prefix="outing:42",
                urgent=True,
            )
            == 1
        )
    with django_capture_on_commit_callbacks(execute=True), tenant_context(brand_a):
        notify_many(
            recipient_ids=[u.pk for u in users],
            kind="circle_news",
            context={},
            idempotency_prefix="outing:42",
            urgent=True,
        )  # again: nothing new
    with tenant_context(brand_a):
        assert sorted(Notification.objects.values_list("idempotency_key", "status")) == [
            (f"outing:42:{u.pk}", "sent") for u in users
        ]
    with tenant_context(brand_b):
        assert not Notification.objects.filter(recipient=other).exists()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "v0@alpha.example",
        "v1@alpha.example",
        "v2@alpha.example",
    ]


def test_operators_see_failed_counts_per_brand_on_the_command_line(brand_a, volunteer):
    import io

    from django.core.management import call_command

    from worker.models import Notification

    with tenant_context(brand_a):
        Notification.objects.create(
            recipient=volunteer,
            kind="circle_news",
            channel="sms",
            status="failed",
            idempotency_key="f2",
            last_error="HTTP 400",
        )
    out = io.StringIO()
    call_command("notification_status", "--failed-only", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1].split() == ["alpha", "active", "0", "0", "1", "0"] and len(lines) == 2


def test_an_unsubscribe_while_a_message_waits_for_the_morning_is_honoured(
    brand_a, volunteer, django_capture_on_commit_callbacks
):
    from worker.models import Notification
    from worker.outbox import sweep
    from worker.services import set_preference

    start, end, _end_local = quiet_window_around_now()
    set_quiet_hours(brand_a, start, end)
    with django_capture_on_commit_callbacks(execute=True):
        [row] = notify_in(
            brand_a, recipient=volunteer, kind="circle_news", context={}, idempotency_key="later"
        )
    with tenant_context(brand_a):
        set_preference(acting_user=volunteer, kind="circle_news", channel="email", enabled=False)
        Notification.objects.filter(pk=row.pk).update(
            not_before=timezone.now() - dt.timedelta(seconds=1)
        )
        assert sweep(older_than_seconds=0) == 1
    assert all_rows(brand_a, idempotency_key="later") == [("email", "skipped", "preference")]
    assert mail.outbox == []


def test_one_enqueue_per_transaction_and_savepoint_rollbacks_send_nothing(
    brand_a, volunteer, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from worker.notify import notify

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with tenant_context(brand_a), transaction.atomic():
            notify(
                recipient=volunteer,
                kind="circle_news",
                context={},
                idempotency_key="a",
                urgent=True,
            )
            try:
                with transaction.atomic():
                    notify(
                        recipient=volunteer,
                        kind="circle_news",
                        context={},
                        idempotency_key="b",
                        urgent=True,
                    )
                    raise RuntimeError
            except RuntimeError:
                pass
            notify(
                recipient=volunteer,
                kind="circle_news",
                context={},
                idempotency_key="c",
                urgent=True,
            )
    assert len(callbacks) == 1  # the three rows share one enqueue
    assert all_rows(brand_a, idempotency_key="b") == []
    assert (
        all_rows(brand_a, idempotency_key="a")
        == all_rows(brand_a, idempotency_key="c")
        == [("email", "sent", "")]
    )
    assert len(mail.outbox) == 2


def test_notify_users_decides_like_notify_in_a_fixed_number_of_queries(
    brand_a, brand_b, make_user, django_capture_on_commit_callbacks
):
    """The fan-out path: per user the same rows as notify() (preferences, reachability, skipped
    reasons), and as many queries for 8 users as for 2."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from themes.services import set_theme
    from worker.models import Notification
    from worker.notify import notify, notify_users
    from worker.services import set_mobile_number, set_preference, subscribe_push

    set_theme(association=brand_a, tokens={"flags": {"sms": True}})
    users = [make_user(brand_a, email=f"fan{i}@alpha.example") for i in range(8)]
    make_user(brand_b, email="fan0@beta.example")
    with tenant_context(brand_a):
        subscribe_push(
            acting_user=users[1], endpoint="https://push.example/1", p256dh="k" * 20, auth="a" * 8
        )
        set_mobile_number(acting_user=users[2], number="06 12 34 56 78")
        set_preference(acting_user=users[2], kind="circle_news", channel="sms", enabled=True)
        set_preference(acting_user=users[3], kind="circle_news", channel="email", enabled=False)
        with django_capture_on_commit_callbacks(execute=False):
            # warm the brand's theme cache (the SMS flag), which the theme change above emptied
            notify_users(
                recipients=users[7:], kind="circle_news", context={}, idempotency_prefix="w"
            )
            with CaptureQueriesContext(connection) as two:
                notify_users(
                    recipients=users[:2], kind="circle_news", context={}, idempotency_prefix="few"
                )
            with CaptureQueriesContext(connection) as eight:
                many = notify_users(
                    recipients=users, kind="circle_news", context={}, idempotency_prefix="all"
                )
            for user in users:
                notify(
                    recipient=user,
                    kind="circle_news",
                    context={},
                    idempotency_key=f"one:{user.pk}",
                )
            # again: the existing rows, nothing written
            again = notify_users(
                recipients=users, kind="circle_news", context={}, idempotency_prefix="all"
            )
        assert len(eight) == len(two)
        assert sorted(n.pk for n in again) == sorted(n.pk for n in many)

        def decisions(prefix):
            return sorted(
                (n.recipient_id, n.channel, n.status, n.last_error)
                for n in Notification.objects.filter(idempotency_key__startswith=f"{prefix}:")
            )

        assert decisions("all") == decisions("one")
        assert ("email", "skipped", "preference") in {
            (c, s, r) for uid, c, s, r in decisions("all") if uid == users[3].pk
        }
        assert {c for uid, c, s, r in decisions("all") if uid == users[1].pk} == {"email", "push"}
        assert {c for uid, c, s, r in decisions("all") if uid == users[2].pk} == {"email", "sms"}
    with tenant_context(brand_b):
        assert not Notification.objects.exists()
