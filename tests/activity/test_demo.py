"""The demo seeders (CORE's, then ours) fill a brand with visits, outings and messages, and a
second run adds nothing."""

from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.django_db


def _counts():
    from messaging.models import Message
    from outings.models import Outing, OutingSignup
    from visits.models import Visit

    return {
        "visits": Visit.objects.count(),
        "worried": Visit.objects.filter(mood="worried").count(),
        "outings": Outing.objects.count(),
        "signups": OutingSignup.objects.count(),
        "messages": Message.objects.count(),
    }


def test_demo_seeding_is_complete_and_idempotent(brand_a, in_brand):
    from entraide import demo
    from visits.demo import seed_activity

    spec = demo.DEMO_BRANDS[0]
    assert demo.DEMO_SEEDERS.index(seed_activity) > 0  # runs after the seeder creating circles
    out = io.StringIO()
    with in_brand(brand_a):
        demo._ensure_user(spec["admin_email"], "Admin", "brand_admin")
        demo._ensure_user(*spec["coordinator"], "coordinator")
        for email, name in spec["volunteers"]:
            demo._ensure_user(email, name, "volunteer")
        for seeder in demo.DEMO_SEEDERS:
            seeder(brand=brand_a, spec=spec, stdout=out)
        first = _counts()
        for seeder in demo.DEMO_SEEDERS:
            seeder(brand=brand_a, spec=spec, stdout=out)
        assert _counts() == first

        from matching.models import Circle

        circles = Circle.objects.filter(memberships__left_at__isnull=True).distinct().count()
    assert circles >= 1
    assert first["visits"] == 3 * circles
    assert first["worried"] == 1
    assert first["outings"] == 2
    assert first["signups"] >= 2
    assert first["messages"] >= 2
