"""Writes of the notification app (preferences, subscriptions, numbers, fan-out, retries)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from worker.kinds import get_kind
from worker.models import (
    Channel,
    MobileNumber,
    Notification,
    NotificationPreference,
    PushSubscription,
)

FANOUT_CHUNK = 500


def set_preference(
    *, acting_user, kind: str, channel: str, enabled: bool
) -> NotificationPreference:
    if channel not in Channel.values:
        raise ValidationError({"channel": [_("Unknown channel.")]})
    if not kind or len(kind) > 64:
        raise ValidationError({"kind": [_("Unknown kind of notification.")]})
    if get_kind(kind).transactional:
        raise ValidationError(
            {"kind": [_("This message is always sent: it is part of a service you asked for.")]}
        )
    preference, _created = NotificationPreference.objects.update_or_create(
        user=acting_user, kind=kind, channel=channel, defaults={"enabled": bool(enabled)}
    )
    return preference


def subscribe_push(
    *, acting_user, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Register (or move to this user) a browser's push subscription."""
    from urllib.parse import urlsplit

    parts = urlsplit(endpoint or "")
    if parts.scheme not in ("https", "http") or not parts.netloc or len(endpoint) > 1000:
        raise ValidationError({"endpoint": [_("This is not a push subscription endpoint.")]})
    if not p256dh or not auth or len(p256dh) > 200 or len(auth) > 100:
        raise ValidationError({"keys": [_("The subscription keys are missing.")]})
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "user": acting_user,
            "p256dh": p256dh,
            "auth": auth,
            "user_agent": user_agent[:300],
        },
    )
    return subscription


def unsubscribe_push(*, acting_user, endpoint: str) -> int:
    deleted, _ = PushSubscription.objects.filter(user=acting_user, endpoint=endpoint).delete()
    return deleted


def set_mobile_number(*, acting_user, number: str, region: str = "FR") -> MobileNumber | None:
    """Set (or with an empty number, remove) the user's mobile number for SMS."""
    from worker.sms import normalise_number

    if not (number or "").strip():
        MobileNumber.objects.filter(user=acting_user).delete()
        return None
    try:
        e164 = normalise_number(number, region=region)
    except ValueError as exc:
        raise ValidationError({"number": [str(exc)]}) from exc
    mobile, _created = MobileNumber.objects.update_or_create(
        user=acting_user, defaults={"e164": e164}
    )
    return mobile


def notify_many(
    *,
    recipient_ids: Iterable[int],
    kind: str,
    context: dict,
    idempotency_prefix: str,
    channels=None,
    urgent: bool = False,
) -> int:
    """Fan a notification out to many users of the current brand: on commit, tasks on the
    `fanout` queue write the rows in chunks (idempotency key `<prefix>:<user id>`), each chunk
    enqueuing its own delivery batches. Returns the number of chunks."""
    from worker.tasks import fanout

    ids = sorted({int(i) for i in recipient_ids})
    schema = connection.schema_name
    chunks = [ids[i : i + FANOUT_CHUNK] for i in range(0, len(ids), FANOUT_CHUNK)]

    def send():
        from worker import conf

        if conf.deliver_eagerly():
            from django_tenants.utils import schema_context

            with schema_context(schema):
                for chunk in chunks:
                    notify_chunk(
                        recipient_ids=chunk,
                        kind=kind,
                        context=context,
                        idempotency_prefix=idempotency_prefix,
                        channels=channels,
                        urgent=urgent,
                    )
            return
        for chunk in chunks:
            fanout.apply_async(
                args=[
                    chunk,
                    kind,
                    context,
                    idempotency_prefix,
                    list(channels) if channels else None,
                    urgent,
                ],
                queue="fanout",
                headers={"_schema_name": schema},
            )

    transaction.on_commit(send)
    return len(chunks)


def notify_chunk(
    *, recipient_ids, kind, context, idempotency_prefix, channels=None, urgent=False
) -> int:
    """One fan-out chunk: the rows of every active user among `recipient_ids`, in a fixed number
    of queries (worker.notify.notify_users). Returns the number of rows."""
    from accounts.models import User

    from worker.notify import notify_users

    with transaction.atomic():
        users = list(User.objects.filter(pk__in=recipient_ids, is_active=True).order_by("pk"))
        return len(
            notify_users(
                recipients=users,
                kind=kind,
                context=context,
                idempotency_prefix=idempotency_prefix,
                channels=channels,
                urgent=urgent,
            )
        )


def retry_failed(*, notification_ids: Iterable[int], acting_user=None) -> int:
    """Put failed rows back in the outbox (admin action), attempts reset."""
    from worker.notify import enqueue_on_commit

    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update()
            .filter(pk__in=list(notification_ids), status=Notification.Status.FAILED)
            .values_list("pk", flat=True)
        )
        now = timezone.now()
        Notification.objects.filter(pk__in=ids).update(
            status=Notification.Status.PENDING,
            attempts=0,
            not_before=now,
            enqueued_at=now,
            leased_until=None,
        )
        if ids:
            enqueue_on_commit(ids)
    return len(ids)
