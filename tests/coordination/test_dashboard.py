"""The dashboard: who may see it, exact counters on seeded data, the concerns and their
acknowledgement, two-brand isolation, pinned query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

# session, user, theme/settings look-ups, the background-check step look-up, ONE statement for all
# the counters, the concerns list; django-tenants adds a SET search_path before some of them.
DASHBOARD_QUERIES = 12


def counter(html: str, key: str) -> int:
    match = re.search(rf'data-counter="{key}"><span class="counter-value">(\d+)</span>', html)
    assert match, f"counter {key} not on the page"
    return int(match.group(1))


@pytest.fixture
def seeded(brand_a, in_brand, build):
    """A brand with one of everything each counter must (or must not) count."""
    from coordination.models import ConcernAcknowledgement
    from coordination.selectors import week_bounds

    with in_brand(brand_a):
        old = timezone.now() - dt.timedelta(days=30)
        build.volunteer("Awaiting One", status="in_progress")
        build.volunteer("Awaiting Inactive", status="in_progress", active=False)
        idle = build.volunteer("Idle Validated")
        busy = build.volunteer("Busy Validated")
        build.volunteer("Rejected One", status="rejected")
        followed = build.person("Fernand", "Suivi", last_contact_at=timezone.now())
        build.circle(followed, busy)
        lonely = build.person(
            "Lucie", "Seule", created_at=old
        )  # no volunteer, never contacted for 30 days
        build.person("Closed", "Record", status="closed", created_at=old)
        recent = build.person(
            "Rita", "Recente", last_contact_at=timezone.now() - dt.timedelta(days=2)
        )
        build.proposal(lonely, idle, status="pending")
        build.proposal(recent, idle, status="accepted")
        build.proposal(recent, busy, status="declined")
        start, end = week_bounds()
        build.outing("This week", starts_at=start + dt.timedelta(hours=10))
        build.outing("Next week", starts_at=end + dt.timedelta(hours=10))
        worried = build.visit(followed, busy, mood="worried", note="Seems very tired")
        handled = build.visit(followed, busy, mood="worried", days_ago=3)
        ConcernAcknowledgement.objects.create(visit=handled)
        build.visit(followed, busy, mood="good")
        from worker.models import Notification

        for status, key in (("failed", "f1"), ("failed", "f2"), ("sent", "s1")):
            Notification.objects.create(
                recipient=busy.user,
                kind="test",
                channel="email",
                status=status,
                idempotency_key=f"dashboard-{key}",
            )
    return {"worried": worried, "followed": followed}


def test_anonymous_is_sent_to_login(client_a):
    response = client_a.get("/coordination/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/coordination/"


def test_volunteer_is_refused(client_a, brand_a, staff_client):
    client, _user = staff_client(client_a, brand_a, role="volunteer")
    assert client.get("/coordination/").status_code == 403
    assert client.get("/coordination/people/new/").status_code == 403
    assert client.get("/coordination/members/").status_code == 403


@pytest.mark.parametrize("role", ["coordinator", "brand_admin"])
def test_staff_see_the_dashboard(client_a, brand_a, staff_client, role):
    client, _user = staff_client(client_a, brand_a, role=role)
    response = client.get("/coordination/")
    assert response.status_code == 200
    assert b"Dashboard" in response.content


def test_counters_are_exact(client_a, brand_a, staff_client, seeded):
    client, _user = staff_client(client_a, brand_a)
    html = client.get("/coordination/").content.decode()
    assert counter(html, "awaiting_vetting") == 1
    assert counter(html, "idle_volunteers") == 1
    assert counter(html, "people_without_volunteer") == 2  # Lucie and Rita
    assert counter(html, "people_not_contacted") == 1  # Lucie (30 days > 14)
    assert counter(html, "proposals_pending") == 1
    assert counter(html, "proposals_to_confirm") == 1
    assert counter(html, "outings_this_week") == 1
    assert counter(html, "concerns") == 1
    assert counter(html, "notifications_failed") == 2
    assert "Seems very tired" in html
    assert "not contacted for 14 days" in html
    # the counters lead to the matching lists
    lonely = client.get("/coordination/people/?show=without_volunteer").content.decode()
    assert "Lucie Seule" in lonely and "Rita Recente" in lonely and "Fernand Suivi" not in lonely
    idle = client.get("/coordination/volunteers/?show=idle").content.decode()
    assert "Idle Validated" in idle and "Busy Validated" not in idle and "Awaiting One" not in idle
    everyone = client.get("/coordination/volunteers/").content.decode()
    assert all(
        name in everyone
        for name in ("Idle Validated", "Busy Validated", "Awaiting One", "Rejected One")
    )
    silent = client.get("/coordination/people/?show=not_contacted").content.decode()
    assert "Lucie Seule" in silent and "Rita Recente" not in silent


def test_counters_query_count_is_fixed(
    client_a, brand_a, staff_client, seeded, in_brand, build, django_assert_num_queries
):
    client, _user = staff_client(client_a, brand_a)
    client.get("/coordination/")  # warm the theme cache
    with django_assert_num_queries(DASHBOARD_QUERIES):
        client.get("/coordination/")
    with in_brand(brand_a):  # more of everything: the same number of queries
        for i in range(5):
            lonely = build.person(f"Extra{i}", "Person")
            profile = build.volunteer(f"Extra{i} Volunteer")
            build.proposal(lonely, profile)
            build.visit(lonely, profile, mood="worried")
    with django_assert_num_queries(DASHBOARD_QUERIES):
        html = client.get("/coordination/").content.decode()
    assert counter(html, "concerns") == 6


def test_counters_selector_runs_a_fixed_number_of_queries(
    brand_a, in_brand, seeded, django_assert_num_queries
):
    from coordination.selectors import dashboard_counters

    with in_brand(brand_a):
        dashboard_counters()  # warm the brand's settings cache
        # the background-check look-up of `matchable_q`, then ONE statement for every counter
        with django_assert_num_queries(COUNTER_QUERIES):
            counts = dashboard_counters()
    assert counts["concerns"] == 1 and counts["people_without_volunteer"] == 2


COUNTER_QUERIES = 4  # the two above, each after a SET search_path from django-tenants


def test_acknowledge_a_concern(client_a, brand_a, staff_client, seeded, in_brand):
    from coordination.models import ConcernAcknowledgement

    client, user = staff_client(client_a, brand_a)
    visit = seeded["worried"]
    response = client.post(
        f"/coordination/concerns/{visit.public_id}/acknowledge/", {"note": "Called her daughter"}
    )
    assert response.status_code == 302
    with in_brand(brand_a):
        ack = ConcernAcknowledgement.objects.get(visit=visit)
        assert (ack.acknowledged_by_id, ack.note) == (user.pk, "Called her daughter")
    html = client.get("/coordination/").content.decode()
    assert counter(html, "concerns") == 0
    # twice: refused, still one row
    client.post(f"/coordination/concerns/{visit.public_id}/acknowledge/", {"note": "again"})
    with in_brand(brand_a):
        assert ConcernAcknowledgement.objects.filter(visit=visit).count() == 1
        assert ConcernAcknowledgement.objects.get(visit=visit).note == "Called her daughter"


def test_other_brand_cannot_acknowledge(client_b, brand_b, brand_a, staff_client, seeded, in_brand):
    from coordination.models import ConcernAcknowledgement

    client, _user = staff_client(client_b, brand_b)
    visit = seeded["worried"]
    response = client.post(f"/coordination/concerns/{visit.public_id}/acknowledge/", {"note": "x"})
    assert response.status_code == 404
    with in_brand(brand_a):
        assert not ConcernAcknowledgement.objects.filter(visit=visit).exists()
    html = client.get("/coordination/").content.decode()
    assert counter(html, "concerns") == 0
    assert "Seems very tired" not in html
    assert counter(html, "people_without_volunteer") == 0
    assert counter(html, "notifications_failed") == 0
