"""Reads of the operator console: every brand with its health.

Health is read from each brand's own schema, but in ONE SQL statement for a batch of brands (a
UNION ALL of per-schema aggregate rows with schema-qualified table names) rather than a
`schema_context` round trip per brand: the cost is one query per BATCH_SIZE brands, whatever
their number. Only brands whose schema is ready (active or suspended) are read; a schema that is
still being provisioned may not have every table yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tenants.models import Association

BATCH_SIZE = 50
HEALTH_WINDOW_DAYS = 30


@dataclass(frozen=True)
class BrandHealth:
    users: int
    people: int
    visits_30d: int
    notifications_failed: int


def _tables() -> dict[str, str]:
    from accounts.models import User
    from people.models import Person
    from visits.models import Visit

    from worker.models import Notification

    return {
        "user": User._meta.db_table,
        "person": Person._meta.db_table,
        "visit": Visit._meta.db_table,
        "notification": Notification._meta.db_table,
        "failed": Notification.Status.FAILED,
    }


def health_for(brands) -> dict[int, BrandHealth]:
    """{brand id: BrandHealth} for the given brands (others are skipped)."""
    ready = [
        b for b in brands if b.status in (Association.Status.ACTIVE, Association.Status.SUSPENDED)
    ]
    if not ready:
        return {}
    t = _tables()
    since = timezone.localdate() - timedelta(days=HEALTH_WINDOW_DAYS)
    result: dict[int, BrandHealth] = {}
    for start in range(0, len(ready), BATCH_SIZE):
        batch = ready[start : start + BATCH_SIZE]
        try:
            with transaction.atomic():
                result.update(_health_query(batch, t, since))
        except DatabaseError:
            # One broken schema (e.g. a table missing after a failed migration) must not hide the
            # health of every other brand: retry this batch brand by brand, each in a savepoint.
            for brand in batch:
                try:
                    with transaction.atomic():
                        result.update(_health_query([brand], t, since))
                except DatabaseError:
                    continue
    return result


def _health_query(batch, t: dict, since) -> dict[int, BrandHealth]:
    q = connection.ops.quote_name
    parts, params = [], []
    for brand in batch:
        s = q(brand.schema_name)
        parts.append(
            f"SELECT %s::bigint, "
            f"(SELECT count(*) FROM {s}.{q(t['user'])} WHERE is_active), "
            f"(SELECT count(*) FROM {s}.{q(t['person'])}), "
            f"(SELECT count(*) FROM {s}.{q(t['visit'])} WHERE occurred_on >= %s), "
            f"(SELECT count(*) FROM {s}.{q(t['notification'])} WHERE status = %s)"
        )
        params += [brand.pk, since, t["failed"]]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return {row[0]: BrandHealth(*row[1:]) for row in cursor.fetchall()}


def brands_with_health() -> list[tuple[Association, BrandHealth | None]]:
    brands = list(Association.objects.brands().prefetch_related("domains").order_by("slug"))
    health = health_for(brands)
    return [(b, health.get(b.pk)) for b in brands]


def access_brand(public_id) -> Association:
    from django.http import Http404

    brand = (
        Association.objects.brands().prefetch_related("domains").filter(public_id=public_id).first()
    )
    if brand is None:
        raise Http404
    return brand
