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
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from worker.kinds import get_kind
from worker.models import ALL_CHANNELS, Channel, MobileNumber, Notification, PushSubscription
from worker.preferences import enabled_channels_for
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


def _validate(*, kind, context, channels, idempotency_keys) -> list[str]:
    """The checks every notification gets; returns the requested channels, in order."""
    if not kind or not isinstance(kind, str) or len(kind) > 64:
        raise ValidationError(_("A notification needs a kind of at most 64 characters."))
    if any(not key or len(key) > 200 for key in idempotency_keys):
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
    return requested


def _reachable_sets(user_ids: set[int], requested: list[str], tenant) -> dict[str, set[int]]:
    """Which of `user_ids` have a push subscription / a mobile number (one query per channel
    asked for, whatever the number of users)."""
    sets: dict[str, set[int]] = {}
    if Channel.PUSH in requested:
        sets[Channel.PUSH] = set(
            PushSubscription.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True)
        )
    if Channel.SMS in requested:
        sets[Channel.SMS] = (
            set(MobileNumber.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
            if _sms_allowed(tenant)
            else set()
        )
    return sets


def _is_reachable(recipient, channel: str, sets: dict[str, set[int]]) -> bool:
    if not recipient.is_active:
        return False
    if channel == Channel.EMAIL:
        return bool(recipient.email)
    return recipient.pk in sets[channel]


def _write(
    recipients: list[tuple[object, str]],
    *,
    kind: str,
    context: dict,
    channels: Iterable[str] | None,
    urgent: bool,
) -> dict[str, list[Notification]]:
    """Write the outbox rows of (recipient, idempotency key) pairs in a fixed number of queries
    (existing keys, preferences, reachability, one INSERT, one SELECT) and enqueue the due ones
    on commit. Returns the rows per key: the existing ones for a key seen before."""
    keys = [key for _recipient, key in recipients]
    requested = _validate(kind=kind, context=context, channels=channels, idempotency_keys=keys)
    existing: dict[str, list[Notification]] = defaultdict(list)
    for row in Notification.objects.filter(idempotency_key__in=keys):
        existing[row.idempotency_key].append(row)
    fresh = [(recipient, key) for recipient, key in recipients if key not in existing]
    if not fresh:
        return dict(existing)

    tenant = connection.tenant
    kind_info = get_kind(kind)
    now = timezone.now()
    user_ids = {recipient.pk for recipient, _key in fresh}
    wanted = None if kind_info.transactional else enabled_channels_for(user_ids, kind, requested)
    sets = _reachable_sets(user_ids, requested, tenant)
    not_before = now
    if not urgent and not kind_info.transactional:
        not_before = quiet_hours_for(tenant).deferred_until(now) or now

    rows = []
    for recipient, key in fresh:
        for channel in requested:
            status, reason = Notification.Status.PENDING, ""
            if not _is_reachable(recipient, channel, sets):
                if channels is None:
                    continue  # not reachable there: nothing to record
                status, reason = Notification.Status.SKIPPED, REASON_UNREACHABLE
            elif wanted is not None and not wanted[recipient.pk][channel]:
                status, reason = Notification.Status.SKIPPED, REASON_PREFERENCE
            rows.append(
                Notification(
                    recipient=recipient,
                    kind=kind,
                    channel=channel,
                    status=status,
                    urgent=urgent,
                    context=context,
                    idempotency_key=key,
                    last_error=reason,
                    created_at=now,
                    not_before=not_before,
                    enqueued_at=now
                    if status == Notification.Status.PENDING and not_before <= now
                    else None,
                )
            )
    result = dict(existing)
    if not rows:
        return result
    # ignore_conflicts: a concurrent transaction that wrote the same key first wins; its rows
    # are read back below like ours.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    due = []
    for row in Notification.objects.filter(
        idempotency_key__in={key for _recipient, key in fresh}
    ).order_by("pk"):
        result.setdefault(row.idempotency_key, []).append(row)
        if (
            row.status == Notification.Status.PENDING
            and row.not_before <= now
            and row.created_at == now
        ):
            due.append(row.pk)
    if due:
        enqueue_on_commit(due)
    return result


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
    return _write(
        [(recipient, idempotency_key)],
        kind=kind,
        context=context,
        channels=channels,
        urgent=urgent,
    ).get(idempotency_key, [])


def notify_users(
    *,
    recipients: Iterable,
    kind: str,
    context: dict,
    idempotency_prefix: str,
    channels: Iterable[str] | None = None,
    urgent: bool = False,
) -> list[Notification]:
    """`notify()` for many users of the current brand at once (key `<prefix>:<user id>`): the
    same decisions for each, in a fixed number of queries whatever the number of users."""
    pairs = [(user, f"{idempotency_prefix}:{user.pk}") for user in recipients]
    if not pairs:
        return []
    written = _write(pairs, kind=kind, context=context, channels=channels, urgent=urgent)
    return [row for _user, key in pairs for row in written.get(key, [])]


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
