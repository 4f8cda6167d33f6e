"""Vetting queue, outings management, members and roles, impact CSV: through HTTP, with the
negative cases asserting that nothing changed."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_vetting_queue_advances_steps_in_order(client_a, brand_a, staff_client, in_brand, build):
    from volunteers.models import VettingRecord, VettingStep

    client, user = staff_client(client_a, brand_a)
    with in_brand(brand_a):
        profile = build.volunteer("Quentin Queue", status="in_progress")
        steps = list(VettingStep.objects.filter(is_active=True).order_by("position", "id"))
        charter = steps[0]
        VettingRecord.objects.create(profile=profile, step=charter, completed_by=profile.user)
    html = client.get("/coordination/vetting/").content.decode()
    assert "Quentin Queue" in html
    second = steps[1]
    assert f"/coordination/vetting/{profile.user.public_id}/steps/{second.public_id}/" in html
    # a later step out of order: refused, nothing recorded
    last = steps[-1]
    client.post(
        f"/coordination/vetting/{profile.user.public_id}/steps/{last.public_id}/", {"note": ""}
    )
    with in_brand(brand_a):
        assert not VettingRecord.objects.filter(profile=profile, step=last).exists()
    response = client.post(
        f"/coordination/vetting/{profile.user.public_id}/steps/{second.public_id}/",
        {"note": "Met at the office"},
    )
    assert response.status_code == 302
    with in_brand(brand_a):
        record = VettingRecord.objects.get(profile=profile, step=second)
        assert (record.completed_by_id, record.note) == (user.pk, "Met at the office")


def test_vetting_other_brand_404(client_b, brand_b, brand_a, staff_client, in_brand, build):
    from volunteers.models import VettingRecord, VettingStep

    with in_brand(brand_a):
        profile = build.volunteer("Alpha Candidate", status="in_progress")
        step = VettingStep.objects.filter(is_active=True).order_by("position").first()
    client, _user = staff_client(client_b, brand_b)
    assert (
        client.post(
            f"/coordination/vetting/{profile.user.public_id}/steps/{step.public_id}/"
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/coordination/vetting/{profile.user.public_id}/status/", {"status": "rejected"}
        ).status_code
        == 404
    )
    assert "Alpha Candidate" not in client.get("/coordination/vetting/").content.decode()
    with in_brand(brand_a):
        profile.refresh_from_db()
        assert (
            profile.status == "in_progress"
            and VettingRecord.objects.filter(profile=profile).count() == 0
        )


def test_outings_create_register_and_cancel(client_a, brand_a, staff_client, in_brand, build):
    from outings.models import Outing, OutingSignup

    client, _user = staff_client(client_a, brand_a)
    start = (timezone.localtime() + dt.timedelta(days=5)).replace(second=0, microsecond=0)
    bad = client.post(
        "/coordination/outings/",
        {
            "title": "Picnic",
            "place": "",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "0",
        },
    )
    assert bad.status_code == 200
    assert set(bad.context["form"].errors) == {"place", "capacity"}
    response = client.post(
        "/coordination/outings/",
        {
            "title": "Picnic",
            "place": "Parc Montsouris",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "1",
            "accessibility_notes": "Step-free",
            "description": "",
        },
    )
    with in_brand(brand_a):
        outing = Outing.objects.get(title="Picnic")
        person = build.person("Irene", "Outing")
        other = build.person("Second", "Person")
    assert response["Location"] == f"/coordination/outings/{outing.public_id}/"
    assert (
        client.post(
            f"/coordination/outings/{outing.public_id}/participants/",
            {"person": str(person.public_id)},
        ).status_code
        == 302
    )
    # full: the second one is refused
    client.post(
        f"/coordination/outings/{outing.public_id}/participants/", {"person": str(other.public_id)}
    )
    with in_brand(brand_a):
        signups = list(OutingSignup.objects.filter(outing=outing, cancelled_at__isnull=True))
        assert [s.person_id for s in signups] == [person.pk]
    page = client.get(f"/coordination/outings/{outing.public_id}/").content.decode()
    assert "Irene O." in page and "1 of 1 places taken" in page
    client.post(f"/coordination/outings/{outing.public_id}/signups/{signups[0].public_id}/cancel/")
    with in_brand(brand_a):
        assert OutingSignup.objects.get(pk=signups[0].pk).cancelled_at is not None


def test_outings_hidden_when_the_flag_is_off(client_a, brand_a, staff_client, in_brand):
    from themes.services import set_theme

    client, _user = staff_client(client_a, brand_a)
    with in_brand(brand_a):
        set_theme(association=brand_a, tokens={"flags": {"outings": False}})
    assert client.get("/coordination/outings/").status_code == 404
    assert b"/coordination/outings/" not in client.get("/coordination/").content


def test_impact_csv(client_a, brand_a, staff_client, in_brand, build):
    client, _user = staff_client(client_a, brand_a)
    with in_brand(brand_a):
        person = build.person("Csv", "Person")
        profile = build.volunteer("Csv Volunteer")
        build.circle(person, profile)
        build.visit(person, profile, kind="visit", minutes=90)
        build.visit(person, profile, kind="call", minutes=30)
    response = client.get("/coordination/impact.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "month",
        "visits",
        "calls",
        "outings",
        "contacts",
        "volunteer_hours",
        "active_circles",
    ]
    assert len(rows) == 13
    this_month = timezone.localdate().strftime("%Y-%m")
    assert rows[-1] == [this_month, "1", "1", "0", "2", "2.0", "1"]
    assert all(r[1:] == ["0", "0", "0", "0", "0.0", "0"] for r in rows[1:-1])
    page = client.get("/coordination/impact/").content.decode()
    assert "<table" in page and "Volunteer hours per month" in page


def test_impact_csv_other_brand_sees_its_own_figures(
    client_b, brand_b, brand_a, staff_client, in_brand, build
):
    with in_brand(brand_a):
        person = build.person("Alpha", "Only")
        build.visit(person, build.volunteer("Alpha V"))
    client, _user = staff_client(client_b, brand_b)
    rows = list(csv.reader(io.StringIO(client.get("/coordination/impact.csv").content.decode())))
    assert rows[-1][1:] == ["0", "0", "0", "0", "0.0", "0"]


def test_members_invite_change_role_deactivate(
    client_a, brand_a, staff_client, in_brand, make_user
):
    from accounts.models import Invitation, User

    client, admin = staff_client(client_a, brand_a, role="brand_admin")
    assert (
        b'href="/settings/theme/"' in client.get("/coordination/members/").content
    )  # THEMES' editor
    response = client.post(
        "/coordination/members/",
        {"email": "New.Coord@Example.org", "full_name": "New Coord", "role": "coordinator"},
    )
    assert response.status_code == 302
    with in_brand(brand_a):
        invited = User.objects.get(email="new.coord@example.org")
        assert (
            invited.role == "coordinator" and Invitation.objects.filter(user=invited).count() == 1
        )
    dup = client.post(
        "/coordination/members/", {"email": "new.coord@example.org", "role": "volunteer"}
    )
    assert "already a member" in " ".join(dup.context["form"].errors["email"])
    client.post(f"/coordination/members/{invited.public_id}/role/", {"role": "volunteer"})
    client.post(f"/coordination/members/{invited.public_id}/active/", {"active": "0"})
    with in_brand(brand_a):
        invited.refresh_from_db()
        assert (invited.role, invited.is_active, invited.is_staff) == ("volunteer", False, False)
    # an admin cannot deactivate themself
    client.post(f"/coordination/members/{admin.public_id}/active/", {"active": "0"})
    with in_brand(brand_a):
        admin.refresh_from_db()
        assert admin.is_active


def test_members_is_for_brand_admins_only(client_a, brand_a, staff_client, in_brand, make_user):
    from accounts.models import User

    target = make_user(brand_a, role="volunteer", email="target@example.org")
    client, _coordinator = staff_client(client_a, brand_a, role="coordinator")
    assert client.get("/coordination/members/").status_code == 403
    assert (
        client.post(
            f"/coordination/members/{target.public_id}/role/", {"role": "brand_admin"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/coordination/members/{target.public_id}/active/", {"active": "0"}
        ).status_code
        == 403
    )
    with in_brand(brand_a):
        target.refresh_from_db()
        assert (target.role, target.is_active) == ("volunteer", True)
        assert not User.objects.filter(role="brand_admin", email="target@example.org").exists()


def test_members_other_brand_404(client_b, brand_b, brand_a, staff_client, in_brand, make_user):
    target = make_user(brand_a, role="volunteer", email="alpha-member@example.org")
    client, _admin = staff_client(client_b, brand_b, role="brand_admin")
    assert (
        client.post(
            f"/coordination/members/{target.public_id}/role/", {"role": "coordinator"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/coordination/members/{target.public_id}/active/", {"active": "0"}
        ).status_code
        == 404
    )
    assert "alpha-member@example.org" not in client.get("/coordination/members/").content.decode()
    with in_brand(brand_a):
        target.refresh_from_db()
        assert (target.role, target.is_active) == ("volunteer", True)


def test_members_page_query_count(
    client_a, brand_a, staff_client, make_user, django_assert_num_queries
):
    client, _admin = staff_client(client_a, brand_a, role="brand_admin")
    client.get("/coordination/members/")
    with django_assert_num_queries(MEMBERS_QUERIES):
        client.get("/coordination/members/")
    for i in range(4):
        make_user(brand_a, role="volunteer", email=f"m{i}@example.org")
    with django_assert_num_queries(MEMBERS_QUERIES):
        client.get("/coordination/members/")


MEMBERS_QUERIES = 8


def test_a_coordinator_calls_an_outing_off_and_participants_are_told(
    client_a, client_b, brand_a, brand_b, staff_client, in_brand, build
):
    from outings.models import Outing, OutingSignup

    from worker.models import Notification

    client, _user = staff_client(client_a, brand_a)
    start = timezone.now() + dt.timedelta(days=3)
    with in_brand(brand_a):
        from outings.services import sign_up

        outing = build.outing("Concert", starts_at=start)
        person = build.person("Paul", "Participant")
        volunteer = build.volunteer("Vivi Volunteer")
        sign_up(acting_user=volunteer.user, outing=outing)
    client.post(
        f"/coordination/outings/{outing.public_id}/participants/", {"person": str(person.public_id)}
    )
    page = client.get(f"/coordination/outings/{outing.public_id}/").content.decode()
    assert f"/coordination/outings/{outing.public_id}/cancel/" in page

    # another brand's coordinator cannot reach it; a GET changes nothing
    other, _ = staff_client(client_b, brand_b)
    assert other.post(f"/coordination/outings/{outing.public_id}/cancel/").status_code == 404
    assert client.get(f"/coordination/outings/{outing.public_id}/cancel/").status_code == 405
    with in_brand(brand_a):
        assert Outing.objects.get(pk=outing.pk).cancelled_at is None

    response = client.post(
        f"/coordination/outings/{outing.public_id}/cancel/", {"reason": "Salle indisponible"}
    )
    assert response.status_code == 302
    with in_brand(brand_a):
        cancelled = Outing.objects.get(pk=outing.pk)
        assert cancelled.cancelled_at is not None
        assert cancelled.cancellation_reason == "Salle indisponible"
        # the volunteer is told; the person was registered by this coordinator, who needs no
        # message about their own action
        told = list(
            Notification.objects.filter(kind="outing_cancelled").values_list(
                "recipient_id", flat=True
            )
        )
        assert set(told) == {volunteer.user_id}
        assert OutingSignup.objects.filter(outing=outing, cancelled_at__isnull=True).count() == 2
    page = client.get(f"/coordination/outings/{outing.public_id}/").content.decode()
    assert "Salle indisponible" in page
    assert f"/coordination/outings/{outing.public_id}/cancel/" not in page
    assert f"/coordination/outings/{outing.public_id}/participants/" not in page

    # twice: refused with a message, nobody told again
    again = client.post(f"/coordination/outings/{outing.public_id}/cancel/", follow=True)
    assert "This outing has already been cancelled." in again.content.decode()
    with in_brand(brand_a):
        assert Notification.objects.filter(kind="outing_cancelled").count() == len(told)


def test_a_volunteer_cannot_call_an_outing_off(client_a, brand_a, staff_client, in_brand, build):
    from outings.models import Outing

    with in_brand(brand_a):
        outing = build.outing("Balade", starts_at=timezone.now() + dt.timedelta(days=2))
    volunteer, _ = staff_client(client_a, brand_a, role="volunteer")
    assert volunteer.post(f"/coordination/outings/{outing.public_id}/cancel/").status_code == 403
    with in_brand(brand_a):
        assert Outing.objects.get(pk=outing.pk).cancelled_at is None
