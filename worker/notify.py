"""The one entry point of the notification pipeline.

    from worker.notify import notify
    notify(recipient=user, kind="match_proposed", context={"circle": str(circle.public_id)},
           idempotency_key=f"match_proposed:{proposal.public_id}")

`notify` writes one outbox row per channel inside the caller's transaction (so a rolled-back
change notifies nobody) and enqueues the rows for delivery when that transaction commits. The
same idempotency key again returns the existing rows and writes nothing. See
docs/adr/0005-notification-outbox.md.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from worker.kinds import get_kind
from worker.models import ALL_CHANNELS, Channel, MobileNumber, Notification, PushSubscription
from worker.preferences import enabled_channels
from worker.quiet_hours import quiet_hours_for

logger = logging.getLogger("entraide.worker")

REASON_PREFERENCE = "preference"
REASON_UNREACHABLE = "unreachable"


def _sms_allowed(tenant) -> bool:
    try:
        from themes.flags import flag_enabled

        return flag_enabled("sms", tenant)
    except ImportError:  # themes not there: SMS stays off, the safe default
        return False


def _reachable(recipient, channels: Iterable[str], tenant) -> dict[str, bool]:
    reachable = {}
    for channel in channels:
        if channel == Channel.EMAIL:
            reachable[channel] = bool(recipient.email) and recipient.is_active
        elif channel == Channel.PUSH:
            reachable[channel] = (
                recipient.is_active and PushSubscription.objects.filter(user=recipient).exists()
            )
        elif channel == Channel.SMS:
            reachable[channel] = (
                recipient.is_active
                and _sms_allowed(tenant)
                and MobileNumber.objects.filter(user=recipient).exists()
            )
    return reachable


def notify(
    *,
    recipient,
    kind: str,
    context: dict,
    channels: Iterable[str] | None = None,
    urgent: bool = False,
    idempotency_key: str,
) -> list[Notification]:
    """Write the outbox rows for `recipient` (a user of the current brand) and enqueue them on
    commit. `channels=None` means every channel the user can be reached on and wants for this
    kind; an explicit list is honoured as far as the user is reachable and willing (a channel
    turned off is recorded as skipped, so the decision is visible). Transactional kinds ignore
    preferences; urgent and transactional messages are not deferred by quiet hours."""
    if not kind or not isinstance(kind, str) or len(kind) > 64:
        raise ValidationError(_("A notification needs a kind of at most 64 characters."))
    if not idempotency_key or len(idempotency_key) > 200:
        raise ValidationError(
            _("A notification needs an idempotency key of at most 200 characters.")
        )
    try:
        json.dumps(context)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            _("The notification context must be JSON-serialisable (ids as strings).")
        ) from exc
    requested = list(dict.fromkeys(channels)) if channels is not None else list(ALL_CHANNELS)
    unknown = [c for c in requested if c not in Channel.values]
    if unknown:
        raise ValidationError(
            _("Unknown notification channel: %(channels)s.")
            % {"channels": ", ".join(map(str, unknown))}
        )
    if connection.schema_name == get_public_schema_name():
        raise ValidationError(
            _("Notifications belong to a brand: call notify() inside the brand's schema.")
        )

    existing = list(Notification.objects.filter(idempotency_key=idempotency_key))
    if existing:
        return existing

    tenant = connection.tenant
    kind_info = get_kind(kind)
    now = timezone.now()
    wanted = (
        {c: True for c in requested}
        if kind_info.transactional
        else enabled_channels(recipient, kind, requested)
    )
    reachable = _reachable(recipient, requested, tenant)
    not_before = now
    if not urgent and not kind_info.transactional:
        not_before = quiet_hours_for(tenant).deferred_until(now) or now

    rows = []
    for channel in requested:
        status, reason = Notification.Status.PENDING, ""
        if not reachable[channel]:
            if channels is None:
                continue  # not reachable there: nothing to record
            status, reason = Notification.Status.SKIPPED, REASON_UNREACHABLE
        elif not wanted[channel]:
            status, reason = Notification.Status.SKIPPED, REASON_PREFERENCE
        rows.append(
            Notification(
                recipient=recipient,
                kind=kind,
                channel=channel,
                status=status,
                urgent=urgent,
                context=context,
                idempotency_key=idempotency_key,
                last_error=reason,
                created_at=now,
                not_before=not_before,
                enqueued_at=now
                if status == Notification.Status.PENDING and not_before <= now
                else None,
            )
        )
    if not rows:
        return []
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(Notification.objects.filter(idempotency_key=idempotency_key))
    due = [
        n.pk
        for n in created
        if n.status == Notification.Status.PENDING and n.not_before <= now and n.created_at == now
    ]
    if due:
        enqueue_on_commit(due)
    return created


def enqueue_on_commit(ids: list[int]) -> None:
    """Enqueue delivery of `ids` (rows of the current schema) when the current transaction
    commits. Calls within one transaction share one buffer, so a loop of notify() calls sends
    batches, not one message per row. If the enqueue never happens (crash, broker down), the
    sweeper finds the rows."""
    from worker.outbox import enqueue

    schema = connection.schema_name
    buffers = getattr(connection, "_worker_outbox_buffers", None)
    if buffers is None:
        buffers = connection._worker_outbox_buffers = {}
    if connection.in_atomic_block:
        buffer = buffers.get(schema)
        # Reuse the buffer while its flush callback is still registered on this transaction
        # (a rolled-back savepoint or transaction discards the callback, and with it the buffer).
        if buffer is not None and any(
            entry[1] is buffer["flush"] for entry in connection.run_on_commit
        ):
            buffer["ids"].extend(ids)
            return
        buffer = {"ids": list(ids)}

        def flush(buffer=buffer, schema=schema):
            if buffers.get(schema) is buffer:
                del buffers[schema]
            enqueue(schema, buffer["ids"])

        buffer["flush"] = flush
        buffers[schema] = buffer
        transaction.on_commit(flush)
    else:
        enqueue(schema, list(ids))
