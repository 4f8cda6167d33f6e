"""The last places of an outing under real concurrency: threads with their own database
connections sign up at the same moment on COMMITTED data (the test's own rolled-back
transaction would hide the race). The data is written and removed by a helper thread on its own
autocommit connection, so exactly what this test created is deleted afterwards."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

pytestmark = pytest.mark.django_db

CAPACITY = 2
CONTENDERS = 6


def in_own_connection(brand, fn):
    """Run `fn()` in a thread with its own connection (autocommit) in the brand's schema."""
    from django.db import connection

    outcome = {}

    def run():
        try:
            connection.set_tenant(brand)
            outcome["value"] = fn()
        except BaseException as exc:  # re-raised in the caller
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@pytest.fixture
def committed_outing(brand_a):
    from django.utils import timezone

    def create():
        from accounts.models import User
        from outings.services import create_outing

        coordinator = User.objects.create_user(email="race-coord@alpha.example", role="coordinator")
        volunteers = [
            User.objects.create_user(email=f"race-{i}@alpha.example") for i in range(CONTENDERS)
        ]
        starts = timezone.now() + dt.timedelta(days=2)
        outing = create_outing(
            acting_user=coordinator,
            title="Course aux places",
            place="Gare",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            capacity=CAPACITY,
        )
        return coordinator, volunteers, outing

    coordinator, volunteers, outing = in_own_connection(brand_a, create)

    def delete():
        from accounts.models import User
        from outings.models import Outing

        Outing.objects.filter(pk=outing.pk).delete()  # and its sign-ups
        User.objects.filter(pk__in=[coordinator.pk, *(v.pk for v in volunteers)]).delete()

    try:
        yield brand_a, outing, volunteers
    finally:
        in_own_connection(brand_a, delete)


def test_the_last_places_go_to_exactly_capacity_contenders(committed_outing):
    from django.db import connection
    from outings.services import OutingFull, sign_up

    brand, outing, volunteers = committed_outing
    barrier = threading.Barrier(CONTENDERS)
    results: dict[int, str] = {}

    def contender(index, volunteer):
        try:
            connection.set_tenant(brand)
            barrier.wait(timeout=30)
            sign_up(acting_user=volunteer, outing=outing)
            results[index] = "signed up"
        except OutingFull:
            results[index] = "full"
        except Exception as exc:  # reported by the assertion below
            results[index] = f"error: {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=contender, args=(i, v)) for i, v in enumerate(volunteers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results.values()) == ["full"] * (CONTENDERS - CAPACITY) + ["signed up"] * CAPACITY

    def winners():
        from outings.models import OutingSignup

        return set(
            OutingSignup.objects.filter(outing=outing, cancelled_at__isnull=True).values_list(
                "volunteer_id", flat=True
            )
        )

    assert in_own_connection(brand, winners) == {
        volunteers[i].pk for i, outcome in results.items() if outcome == "signed up"
    }
