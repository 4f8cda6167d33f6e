"""Reads of the notification app."""

from __future__ import annotations

from django.db.models import Count, Q

from worker.kinds import KINDS
from worker.models import ALL_CHANNELS, Notification, NotificationPreference
from worker.preferences import brand_defaults, resolve


def failed_count() -> int:
    """Failed notifications of the current brand (its schema)."""
    return Notification.objects.filter(status=Notification.Status.FAILED).count()


def status_counts() -> dict[str, int]:
    """{status: count} of the current brand's notifications (one query)."""
    row = Notification.objects.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Notification.Status.values}
    )
    return dict(row)


def failed_counts_by_brand() -> dict[str, int]:
    """{brand slug: failed notifications} for every brand that is not archived (operators)."""
    from django_tenants.utils import tenant_context

    from tenants.models import Association

    counts = {}
    for brand in Association.objects.brands().exclude(status=Association.Status.ARCHIVED):
        with tenant_context(brand):
            counts[brand.slug] = failed_count()
    return counts


def preferences_for(user) -> list[dict]:
    """Every registered, non-transactional kind × channel with the user's effective choice."""
    choices = {
        (p.kind, p.channel): p.enabled for p in NotificationPreference.objects.filter(user=user)
    }
    defaults = brand_defaults()
    kinds = sorted(
        {*(k for k, info in KINDS.items() if not info.transactional), *(k for k, _c in choices)}
    )
    rows = []
    for kind in kinds:
        info = KINDS.get(kind)
        if info is not None and info.transactional:
            continue
        for channel in ALL_CHANNELS:
            rows.append(
                {
                    "kind": kind,
                    "label": str(info.label) if info else kind,
                    "channel": str(channel),
                    "enabled": resolve(
                        kind=kind, channel=channel, user_choices=choices, defaults=defaults
                    ),
                    "chosen": (kind, channel) in choices,
                }
            )
    return rows
