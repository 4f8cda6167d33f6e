"""The brand admin for our models: coordinators use it (list pages with their columns, filters
and search), brand admins may also delete, volunteers never get in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

PAGES = [
    "/admin/visits/visit/?mood__exact=worried&q=Jeanne",
    "/admin/outings/outing/?q=Sortie",
    "/admin/outings/outingsignup/?cancelled_at__isempty=1",
    "/admin/messaging/thread/?q=Jeanne",
    "/admin/messaging/message/?q=Bonjour",
]


@pytest.fixture
def activity(brand_a, make_circle, in_brand):
    c = make_circle(brand_a)
    with in_brand(brand_a):
        from messaging.services import post_message
        from outings.services import create_outing, sign_up
        from visits.services import brand_today, log_visit

        visit = log_visit(
            acting_user=c.volunteers[0],
            person=c.person,
            kind="visit",
            occurred_on=brand_today(),
            duration_minutes=30,
            mood="worried",
        )
        starts = timezone.now() + dt.timedelta(days=3)
        outing = create_outing(
            acting_user=c.coordinator,
            title="Sortie au parc",
            place="Parc",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            capacity=3,
        )
        sign_up(acting_user=c.volunteers[0], outing=outing)
        post_message(acting_user=c.volunteers[0], circle=c.circle, body="Bonjour à tous")
    c.visit, c.outing = visit, outing
    return c


def test_coordinators_use_the_admin_lists(client_a, brand_a, activity, login):
    login(client_a, activity.coordinator, brand_a)
    for page in PAGES:
        response = client_a.get(page)
        assert response.status_code == 200, page
    visits = client_a.get(PAGES[0]).content.decode()
    assert "Jeanne M." in visits and "Inquiet" in visits
    assert "Sortie au parc" in client_a.get(PAGES[1]).content.decode()
    change = client_a.get(f"/admin/outings/outing/{activity.outing.pk}/change/")
    assert change.status_code == 200
    # Deleting is for brand admins.
    assert client_a.get(f"/admin/visits/visit/{activity.visit.pk}/delete/").status_code == 403


def test_brand_admins_may_delete(client_a, brand_a, activity, make_user, login, in_brand):
    login(client_a, make_user(brand_a, email="boss@alpha.example", role="brand_admin"), brand_a)
    response = client_a.post(f"/admin/visits/visit/{activity.visit.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    with in_brand(brand_a):
        from visits.models import Visit

        assert Visit.objects.count() == 0


def test_volunteers_never_get_in(client_a, brand_a, activity, login, in_brand):
    login(client_a, activity.volunteers[0], brand_a)
    for page in PAGES:
        response = client_a.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith("/admin/login/")
