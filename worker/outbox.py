"""Delivery of outbox rows: enqueue, claim, send, record; and the sweeper.

Guarantees (docs/adr/0005-notification-outbox.md):
- A row is sent only by the task that claimed it: the claim is one conditional UPDATE over rows
  that are pending, due, and not leased (FOR UPDATE SKIP LOCKED), which sets a lease and counts
  the attempt. A redelivered or duplicated task finds the rows sent or leased and does nothing.
- The outcome is recorded right after each send, or each bulk send to an SMS gateway (one
  UPDATE per group, conditional on the row still being pending), so a crash re-sends at most
  what was in flight; providers receive the row's public id as idempotency key (HTTP
  `Idempotency-Key` or the bulk message's `reference`, e-mail `Message-ID`) so even that is
  recognised as a repeat.
- Transient errors release the row for a later attempt with exponential backoff; permanent
  errors and exhausted attempts mark it failed.
- Nothing depends on the broker keeping its messages: the sweeper re-enqueues what is left.
"""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from worker import conf
from worker.channels import PermanentError, SkipDelivery, TransientError, sender_for
from worker.kinds import get_kind
from worker.models import Notification

logger = logging.getLogger("entraide.worker")


def chunks(ids: list[int], size: int):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def enqueue(schema_name: str, ids: list[int], *, countdown: float | None = None) -> None:
    """Put delivery tasks for `ids` (rows of `schema_name`) on the notifications queue."""
    if not ids:
        return
    if conf.deliver_eagerly() and not countdown:
        from django_tenants.utils import tenant_context

        from tenants.models import Association

        brand = Association.objects.get(schema_name=schema_name)
        with tenant_context(brand):
            deliver(ids)
        return
    from worker.tasks import deliver_notifications

    try:
        for chunk in chunks(sorted(ids), conf.get("NOTIFY_BATCH_SIZE")):
            deliver_notifications.apply_async(
                args=[chunk],
                queue="notifications",
                countdown=countdown,
                headers={"_schema_name": schema_name},
                retry=False,
            )
    except Exception:
        # Broker unreachable: the rows stay pending and the sweeper enqueues them later.
        logger.warning(
            "could not enqueue %d notification(s) of %s; the sweeper will",
            len(ids),
            schema_name,
            exc_info=True,
        )


def _table() -> str:
    return connection.ops.quote_name(Notification._meta.db_table)


def claim(ids: list[int], *, now=None, lease=None) -> list[Notification]:
    """Lease the rows among `ids` that are pending, due and not leased; count the attempt.
    The lease's end doubles as the claim's token (see `release`)."""
    now = now or timezone.now()
    lease = lease or now + timedelta(seconds=conf.get("NOTIFY_LEASE_SECONDS"))
    table = _table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} SET leased_until = %s, attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM {table}
                WHERE id = ANY(%s) AND status = 'pending' AND not_before <= %s
                  AND (leased_until IS NULL OR leased_until < %s)
                FOR UPDATE SKIP LOCKED
            )
            RETURNING id
            """,
            [lease, list(ids), now, now],
        )
        claimed = [row[0] for row in cursor.fetchall()]
    if not claimed:
        return []
    return list(
        Notification.objects.filter(pk__in=claimed).select_related("recipient").order_by("pk")
    )


def release(ids: list[int], *, lease) -> list[int]:
    """Give back rows this claim did not get to (its lease is running out): only if they are
    still pending under this very lease, and without counting the attempt."""
    if not ids:
        return []
    table = _table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET leased_until = NULL, attempts = attempts - 1 "
            f"WHERE id = ANY(%s) AND status = 'pending' AND leased_until = %s RETURNING id",
            [list(ids), lease],
        )
        return [row[0] for row in cursor.fetchall()]


def sending_deadline(lease_seconds: float) -> float:
    """A claim stops starting new sends well before its lease ends: after that another task may
    claim the same rows, and a send still running must not overlap with theirs."""
    worst_send = conf.get("NOTIFY_HTTP_TIMEOUT") + 1.0
    return time.monotonic() + max(lease_seconds - worst_send, lease_seconds / 2)


_RECORD_SQL = """
    UPDATE {table} AS t
    SET status = v.status, last_error = v.last_error, provider_id = v.provider_id,
        sent_at = v.sent_at, leased_until = NULL,
        not_before = COALESCE(v.not_before, t.not_before),
        enqueued_at = COALESCE(v.not_before, t.enqueued_at)
    FROM unnest(%s::bigint[], %s::varchar[], %s::text[], %s::varchar[], %s::timestamptz[],
                %s::timestamptz[]) AS v(id, status, last_error, provider_id, sent_at, not_before)
    WHERE t.id = v.id AND t.status = 'pending'
"""


class Outcomes:
    """The outcomes of one group of sends, written by ONE statement (autocommit) right after the
    group was sent. Conditional on each row still being pending: the first outcome wins. A row to
    retry stays pending, unleased, due again at `not_before`."""

    def __init__(self):
        self.rows: list[tuple] = []

    def add(self, pk, status, *, last_error="", provider_id="", sent_at=None, not_before=None):
        self.rows.append((pk, str(status), last_error, provider_id, sent_at, not_before))

    def write(self, cursor) -> None:
        if not self.rows:
            return
        columns = [list(column) for column in zip(*self.rows, strict=True)]
        cursor.execute(_RECORD_SQL.format(table=_table()), columns)
        self.rows = []


def backoff_seconds(attempt: int) -> float:
    base = conf.get("NOTIFY_RETRY_BASE_SECONDS")
    cap = conf.get("NOTIFY_RETRY_MAX_SECONDS")
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    return delay * random.uniform(0.8, 1.2)


def deliver(ids: list[int]) -> dict[str, int]:
    """Deliver the rows `ids` of the current schema. Returns counts by outcome.

    Rows go to their channel's sender in groups of `sender.batch_size` (1 for e-mail and push; a
    bulk request for an SMS gateway that has one); each group's outcomes are recorded together
    as soon as the group is sent. A crash can therefore re-send at most the group in flight,
    and every provider gets the row's public id as idempotency key so it recognises the repeat.
    """
    from worker.preferences import disabled_pairs

    counts = {"sent": 0, "failed": 0, "skipped": 0, "retry": 0, "released": 0}
    lease_seconds = conf.get("NOTIFY_LEASE_SECONDS")
    lease = timezone.now() + timedelta(seconds=lease_seconds)
    deadline = sending_deadline(lease_seconds)
    rows = claim(ids, lease=lease)
    if not rows:
        return counts
    unsent: list[int] = []
    brand = connection.tenant
    # Preferences again at delivery: an unsubscribe made while a row waited (quiet hours, retry)
    # is honoured. Transactional kinds are exempt.
    optional = [n for n in rows if not get_kind(n.kind).transactional]
    off = (
        disabled_pairs({n.recipient_id for n in optional}, {n.kind for n in optional})
        if optional
        else set()
    )
    retries: dict[int, list[int]] = defaultdict(list)
    by_channel: dict[str, list[Notification]] = defaultdict(list)
    for n in rows:
        by_channel[n.channel].append(n)
    max_attempts = conf.get("NOTIFY_MAX_ATTEMPTS")
    outcomes = Outcomes()
    SENT, FAILED, SKIPPED = (
        Notification.Status.SENT,
        Notification.Status.FAILED,
        Notification.Status.SKIPPED,
    )
    with connection.cursor() as cursor:
        for channel, notifications in by_channel.items():
            sender = sender_for(channel, brand)
            try:
                sender.prepare(notifications)
                size = max(1, sender.batch_size)
                for group in chunks(notifications, size):
                    if time.monotonic() > deadline:
                        unsent.extend(n.pk for n in group)
                        continue
                    to_send = []
                    for n in group:
                        if (n.recipient_id, n.kind, n.channel) in off:
                            outcomes.add(n.pk, SKIPPED, last_error="preference")
                            counts["skipped"] += 1
                        else:
                            to_send.append(n)
                    results = sender.send_many(to_send) if to_send else []
                    sent_at = timezone.now()
                    for n, result in zip(to_send, results, strict=True):
                        if not isinstance(result, Exception):
                            outcomes.add(
                                n.pk, SENT, sent_at=sent_at, provider_id=(result or "")[:200]
                            )
                            counts["sent"] += 1
                        elif isinstance(result, SkipDelivery):
                            outcomes.add(n.pk, SKIPPED, last_error=str(result)[:2000])
                            counts["skipped"] += 1
                        elif isinstance(result, PermanentError):
                            outcomes.add(n.pk, FAILED, last_error=str(result)[:2000])
                            counts["failed"] += 1
                            logger.warning(
                                "notification %s failed permanently: %s", n.public_id, result
                            )
                        else:  # TransientError and anything unexpected: bounded retries
                            message = f"{type(result).__name__}: {result}"[:2000]
                            if n.attempts >= max_attempts:
                                outcomes.add(n.pk, FAILED, last_error=message)
                                counts["failed"] += 1
                                logger.warning(
                                    "notification %s failed after %d attempts: %s",
                                    n.public_id,
                                    n.attempts,
                                    message,
                                )
                                continue
                            delay = backoff_seconds(n.attempts)
                            outcomes.add(
                                n.pk,
                                Notification.Status.PENDING,
                                last_error=message,
                                not_before=sent_at + timedelta(seconds=delay),
                            )
                            retries[max(1, round(delay))].append(n.pk)
                            counts["retry"] += 1
                            if not isinstance(result, TransientError):
                                logger.error(
                                    "unexpected error delivering %s (will retry)",
                                    n.public_id,
                                    exc_info=result,
                                )
                    outcomes.write(cursor)
            finally:
                outcomes.write(cursor)  # what a failing sender had already sent is kept
                sender.close()
    for countdown, retry_ids in retries.items():
        enqueue(connection.schema_name, retry_ids, countdown=countdown)
    if unsent:
        # Released rows go back to the queue at once (the sweeper would find them anyway).
        released = release(unsent, lease=lease)
        counts["released"] = len(released)
        enqueue(connection.schema_name, released)
    return counts


def sweep(*, older_than_seconds: float | None = None, limit: int = 5000) -> int:
    """Re-enqueue pending rows that are due, not leased, and were enqueued long enough ago (or
    never): what a lost broker message, a crash before enqueue, or the end of quiet hours left
    behind. Returns the number of rows enqueued."""
    stale = conf.get("NOTIFY_STALE_SECONDS") if older_than_seconds is None else older_than_seconds
    now = timezone.now()
    table = _table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} SET enqueued_at = %s
            WHERE id IN (
                SELECT id FROM {table}
                WHERE status = 'pending' AND not_before <= %s
                  AND (leased_until IS NULL OR leased_until < %s)
                  AND (enqueued_at IS NULL OR enqueued_at <= %s)
                ORDER BY not_before LIMIT %s
                FOR UPDATE SKIP LOCKED
            )
            RETURNING id
            """,
            [now, now, now, now - timedelta(seconds=stale), limit],
        )
        ids = [row[0] for row in cursor.fetchall()]
    if ids:
        logger.info(
            "sweeper: re-enqueued %d pending notification(s) in %s",
            len(ids),
            connection.schema_name,
        )
        enqueue(connection.schema_name, ids)
    return len(ids)
