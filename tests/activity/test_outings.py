"""Outings: creation by coordinators, sign-ups (volunteers and registered people), capacity,
cancellation, the ICS file, reminders, two-brand isolation, feature flag, query counts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _outing_body(**overrides):
    starts = (timezone.now() + dt.timedelta(days=5)).replace(microsecond=0)
    body = {
        "title": "Concert, au parc; en plein air",
        "place": "Kiosque du parc, allée 3",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
        "capacity": 2,
        "accessibility_notes": "Accès en fauteuil\npar l'entrée nord.",
        "description": "Musique classique.",
    }
    body.update(overrides)
    return body


def _create(client, **overrides):
    return client.post(
        "/api/outings/", data=json.dumps(_outing_body(**overrides)), content_type="application/json"
    )


def _post(client, path, body=None):
    return client.post(path, data=json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def coordinator_a(brand_a, make_user):
    return make_user(
        brand_a, email="coord@alpha.example", role="coordinator", full_name="Claire Coord"
    )


@pytest.fixture
def outing_a(client_a, brand_a, coordinator_a, login):
    login(client_a, coordinator_a, brand_a)
    response = _create(client_a)
    assert response.status_code == 201, response.content
    return response.json()


def test_coordinator_creates_an_outing(client_a, brand_a, coordinator_a, login, in_brand):
    login(client_a, coordinator_a, brand_a)
    response = _create(client_a)

    assert response.status_code == 201
    data = response.json()
    assert (
        data["title"],
        data["capacity"],
        data["places_taken"],
        data["places_left"],
        data["signed_up"],
    ) == (
        "Concert, au parc; en plein air",
        2,
        0,
        2,
        False,
    )
    assert data["calendar_url"] == f"/api/outings/{data['id']}/calendar.ics"
    with in_brand(brand_a):
        from outings.models import Outing

        assert Outing.objects.get(public_id=data["id"]).created_by == coordinator_a


def test_volunteers_cannot_create_outings(client_a, brand_a, make_user, login, in_brand):
    login(client_a, make_user(brand_a, email="v@alpha.example"), brand_a)
    assert _create(client_a).status_code == 403
    with in_brand(brand_a):
        from outings.models import Outing

        assert Outing.objects.count() == 0


def test_invalid_outings_are_refused(client_a, brand_a, coordinator_a, login):
    login(client_a, coordinator_a, brand_a)
    starts = timezone.now() + dt.timedelta(days=1)
    response = _create(
        client_a, ends_at=(starts - dt.timedelta(hours=1)).isoformat(), starts_at=starts.isoformat()
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "ends_at": ["La sortie doit finir après son début."]
    }
    past = _create(client_a, starts_at=(timezone.now() - dt.timedelta(days=1)).isoformat())
    assert list(past.json()["error"]["fields"]) == ["starts_at"]


def test_sign_up_capacity_and_cancellation(client_a, brand_a, outing_a, make_user, login, in_brand):
    v1, v2, v3 = (make_user(brand_a, email=f"v{i}@alpha.example") for i in range(1, 4))
    url = f"/api/outings/{outing_a['id']}/signups/"

    login(client_a, v1, brand_a)
    first = _post(client_a, url)
    assert first.status_code == 201
    assert (first.json()["volunteer"], first.json()["person"]) == (str(v1.public_id), None)
    again = _post(client_a, url)
    assert again.status_code == 400
    assert again.json()["error"]["fields"] == {
        "non_field_errors": ["Déjà inscrit·e à cette sortie."]
    }
    detail = client_a.get(f"/api/outings/{outing_a['id']}/").json()
    assert (detail["places_taken"], detail["signed_up"]) == (1, True)

    login(client_a, v2, brand_a)
    assert _post(client_a, url).status_code == 201

    login(client_a, v3, brand_a)
    full = _post(client_a, url)
    assert full.status_code == 409
    assert full.json()["error"]["code"] == "full"

    # v1 cancels: the place is free again and v3 takes it.
    login(client_a, v1, brand_a)
    cancelled = _post(client_a, f"/api/outing-signups/{first.json()['id']}/cancel/")
    assert cancelled.status_code == 200
    assert cancelled.json()["cancelled_at"] is not None
    assert _post(client_a, f"/api/outing-signups/{first.json()['id']}/cancel/").status_code == 400
    login(client_a, v3, brand_a)
    assert _post(client_a, url).status_code == 201
    # v3 can't cancel someone else's sign-up (nor see it).
    assert _post(client_a, f"/api/outing-signups/{first.json()['id']}/cancel/").status_code == 404
    assert [s["volunteer"] for s in client_a.get(url).json()["results"]] == [str(v3.public_id)]

    with in_brand(brand_a):
        from outings.models import OutingSignup

        active = OutingSignup.objects.filter(cancelled_at__isnull=True)
        assert sorted(active.values_list("volunteer__email", flat=True)) == [
            "v2@alpha.example",
            "v3@alpha.example",
        ]
        assert OutingSignup.objects.count() == 3


def test_coordinator_registers_a_person(
    client_a, brand_a, outing_a, coordinator_a, make_circle, make_user, login
):
    c = make_circle(brand_a, coordinator=coordinator_a)
    url = f"/api/outings/{outing_a['id']}/signups/"
    login(client_a, coordinator_a, brand_a)

    response = _post(client_a, url, {"person": str(c.person.public_id)})

    assert response.status_code == 201
    assert (response.json()["person"], response.json()["volunteer"], response.json()["name"]) == (
        str(c.person.public_id),
        None,
        "Jeanne M.",
    )
    assert _post(client_a, url, {"person": str(c.person.public_id)}).status_code == 400
    # A volunteer can't register a person.
    login(client_a, c.volunteers[0], brand_a)
    assert _post(client_a, url, {"person": str(c.person.public_id)}).status_code == 403
    # Coordinators see every sign-up.
    login(client_a, coordinator_a, brand_a)
    assert [s["name"] for s in client_a.get(url).json()["results"]] == ["Jeanne M."]


def test_the_calendar_file(client_a, brand_a, outing_a, login, make_user):
    from icalendar import Calendar

    login(client_a, make_user(brand_a, email="v@alpha.example"), brand_a)
    response = client_a.get(f"/api/outings/{outing_a['id']}/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content.decode()
    assert "SUMMARY:Concert\\, au parc\\; en plein air" in raw
    assert "LOCATION:Kiosque du parc\\, allée 3" in raw
    assert "DTSTART;TZID=Europe/Paris:" in raw
    assert "BEGIN:VTIMEZONE" in raw and "TZID:Europe/Paris" in raw
    cal = Calendar.from_ical(response.content)
    [event] = cal.walk("VEVENT")
    starts = dt.datetime.fromisoformat(outing_a["starts_at"])
    assert event.decoded("dtstart") == starts
    assert str(event.decoded("dtstart").tzinfo) == "Europe/Paris"
    assert event.decoded("dtend") == starts + dt.timedelta(hours=2)
    assert str(event["uid"]) == f"outing-{outing_a['id']}@alpha.localhost"
    assert (
        str(event["description"])
        == "Musique classique.\n\nAccessibilité : Accès en fauteuil\npar l'entrée nord."
    )
    # Stable UID: the same on the next download.
    again = Calendar.from_ical(client_a.get(f"/api/outings/{outing_a['id']}/calendar.ics").content)
    assert str(again.walk("VEVENT")[0]["uid"]) == str(event["uid"])


def test_reminders_go_once_to_each_participant_the_day_before(
    brand_a, coordinator_a, make_circle, make_user, in_brand, notifications
):
    c = make_circle(brand_a, coordinator=coordinator_a)
    v = make_user(brand_a, email="v@alpha.example", full_name="Vera")
    with in_brand(brand_a):
        from outings import services, tasks
        from visits.services import brand_timezone

        tz = brand_timezone()
        tomorrow = timezone.now().astimezone(tz).date() + dt.timedelta(days=1)
        starts = dt.datetime.combine(tomorrow, dt.time(15), tzinfo=tz)
        soon = services.create_outing(
            acting_user=coordinator_a,
            title="Musée",
            place="Musée",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            capacity=5,
        )
        later = services.create_outing(
            acting_user=coordinator_a,
            title="Plus tard",
            place="Parc",
            starts_at=starts + dt.timedelta(days=2),
            ends_at=starts + dt.timedelta(days=2, hours=1),
            capacity=5,
        )
        signup = services.sign_up(acting_user=v, outing=soon)
        services.sign_up(acting_user=coordinator_a, outing=soon, person=c.person)
        services.sign_up(acting_user=v, outing=later)
        cancelled = services.sign_up(acting_user=c.volunteers[0], outing=soon)
        services.cancel_signup(acting_user=c.volunteers[0], signup=cancelled)

        assert tasks.send_outing_reminders.run() == 2
    expected = sorted(
        [
            (v.email, f"outing_reminder:{soon.public_id}:{v.public_id}"),
            (coordinator_a.email, f"outing_reminder:{soon.public_id}:{c.person.public_id}"),
        ]
    )
    assert notifications(brand_a, "outing_reminder") == expected

    # Again (the job is hourly), and after cancelling and signing up again: nothing new.
    with in_brand(brand_a):
        services.cancel_signup(acting_user=v, signup=signup)
        services.sign_up(acting_user=v, outing=soon)
        tasks.send_outing_reminders.run()
        from worker.models import Notification

        row = Notification.objects.get(kind="outing_reminder", recipient=v)
        assert (row.context["title"], row.context["place"], row.context["for_person"]) == (
            "Musée",
            "Musée",
            "",
        )
        assert row.context["starts_at_local"].endswith("15:00")
    assert notifications(brand_a, "outing_reminder") == expected


def test_brand_b_gets_404_for_brand_a_outings_and_nothing_changes(
    client_a, client_b, brand_a, brand_b, outing_a, make_user, login, in_brand
):
    volunteer = make_user(brand_a, email="v@alpha.example")
    login(client_a, volunteer, brand_a)
    signup = _post(client_a, f"/api/outings/{outing_a['id']}/signups/").json()
    for role in ("volunteer", "coordinator", "brand_admin"):
        login(client_b, make_user(brand_b, email=f"{role}@beta.example", role=role), brand_b)
        oid = outing_a["id"]
        assert client_b.get("/api/outings/").json()["results"] == []
        assert client_b.get(f"/api/outings/{oid}/").status_code == 404
        assert (
            client_b.patch(
                f"/api/outings/{oid}/",
                data=json.dumps({"capacity": 9}),
                content_type="application/json",
            ).status_code
            == 404
        )
        assert client_b.get(f"/api/outings/{oid}/signups/").status_code == 404
        assert _post(client_b, f"/api/outings/{oid}/signups/").status_code == 404
        assert client_b.get(f"/api/outings/{oid}/calendar.ics").status_code == 404
        assert _post(client_b, f"/api/outing-signups/{signup['id']}/cancel/").status_code == 404
        assert _post(client_b, f"/api/outings/{oid}/cancel/").status_code == 404
    with in_brand(brand_a):
        from outings.models import Outing, OutingSignup

        assert Outing.objects.get(public_id=outing_a["id"]).capacity == 2
        assert Outing.objects.get(public_id=outing_a["id"]).cancelled_at is None
        assert list(OutingSignup.objects.values_list("cancelled_at", flat=True)) == [None]
    with in_brand(brand_b):
        assert Outing.objects.count() == 0
        assert OutingSignup.objects.count() == 0


def test_coordinator_updates_an_outing_but_not_below_the_places_taken(
    client_a, brand_a, outing_a, coordinator_a, make_user, login
):
    for i in range(2):
        login(client_a, make_user(brand_a, email=f"v{i}@alpha.example"), brand_a)
        assert _post(client_a, f"/api/outings/{outing_a['id']}/signups/").status_code == 201
    volunteer_patch = client_a.patch(
        f"/api/outings/{outing_a['id']}/",
        data=json.dumps({"capacity": 5}),
        content_type="application/json",
    )
    assert volunteer_patch.status_code == 403

    login(client_a, coordinator_a, brand_a)
    low = client_a.patch(
        f"/api/outings/{outing_a['id']}/",
        data=json.dumps({"capacity": 1}),
        content_type="application/json",
    )
    assert low.status_code == 400
    assert list(low.json()["error"]["fields"]) == ["capacity"]
    ok = client_a.patch(
        f"/api/outings/{outing_a['id']}/",
        data=json.dumps({"capacity": 3, "title": "Concert"}),
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert (ok.json()["capacity"], ok.json()["title"], ok.json()["places_left"]) == (
        3,
        "Concert",
        1,
    )


def test_outings_flag_off_hides_everything(
    client_a, brand_a, outing_a, coordinator_a, login, set_flags
):
    set_flags(brand_a, outings=False)
    oid = outing_a["id"]
    assert client_a.get("/api/outings/").status_code == 404
    assert _create(client_a).status_code == 404
    assert client_a.get(f"/api/outings/{oid}/").status_code == 404
    assert _post(client_a, f"/api/outings/{oid}/signups/").status_code == 404
    assert client_a.get(f"/api/outings/{oid}/calendar.ics").status_code == 404
    assert _post(client_a, f"/api/outings/{oid}/cancel/").status_code == 404


def test_outing_lists_query_counts_are_pinned(
    client_a,
    brand_a,
    coordinator_a,
    make_circle,
    make_user,
    login,
    in_brand,
    django_assert_num_queries,
):
    c = make_circle(brand_a, coordinator=coordinator_a, volunteers=3)
    with in_brand(brand_a):
        from outings import services

        start = timezone.now() + dt.timedelta(days=3)
        outings = [
            services.create_outing(
                acting_user=coordinator_a,
                title=f"Sortie {i}",
                place="Parc",
                starts_at=start + dt.timedelta(days=i),
                ends_at=start + dt.timedelta(days=i, hours=2),
                capacity=10,
            )
            for i in range(4)
        ]
        for outing in outings:
            for volunteer in c.volunteers:
                services.sign_up(acting_user=volunteer, outing=outing)
            services.sign_up(acting_user=coordinator_a, outing=outing, person=c.person)
    login(client_a, c.volunteers[0], brand_a)
    client_a.get("/api/outings/")  # warm the per-process theme cache (feature flags)
    with django_assert_num_queries(QUERIES_OUTING_LIST):
        response = client_a.get("/api/outings/?upcoming=true")
    assert [(o["places_taken"], o["signed_up"]) for o in response.json()["results"]] == [
        (4, True)
    ] * 4

    login(client_a, coordinator_a, brand_a)
    with django_assert_num_queries(QUERIES_SIGNUP_LIST):
        response = client_a.get(f"/api/outings/{outings[0].public_id}/signups/")
    assert response.json()["count"] == 4


# (SET search_path + query) x (domain, session, user, [outing], count, page): constant in the
# number of outings and sign-ups.
QUERIES_OUTING_LIST = 10
QUERIES_SIGNUP_LIST = 12


def test_the_reminder_job_stays_in_its_brand(
    brand_a, brand_b, coordinator_a, make_user, in_brand, notifications
):
    volunteer = make_user(brand_a, email="v@alpha.example")
    with in_brand(brand_a):
        from outings import services, tasks
        from visits.services import brand_timezone

        tz = brand_timezone()
        starts = dt.datetime.combine(
            timezone.now().astimezone(tz).date() + dt.timedelta(days=1), dt.time(10), tzinfo=tz
        )
        outing = services.create_outing(
            acting_user=coordinator_a,
            title="Marché",
            place="Place du marché",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            capacity=3,
        )
        services.sign_up(acting_user=volunteer, outing=outing)
    with in_brand(brand_b):
        assert tasks.send_outing_reminders.run() == 0
    assert notifications(brand_a, "outing_reminder") == []
    assert notifications(brand_b, "outing_reminder") == []


def test_no_reminders_when_outings_are_off(
    brand_a, coordinator_a, make_user, in_brand, notifications, set_flags
):
    volunteer = make_user(brand_a, email="v@alpha.example")
    with in_brand(brand_a):
        from outings import services, tasks
        from visits.services import brand_timezone

        tz = brand_timezone()
        starts = dt.datetime.combine(
            timezone.now().astimezone(tz).date() + dt.timedelta(days=1), dt.time(10), tzinfo=tz
        )
        outing = services.create_outing(
            acting_user=coordinator_a,
            title="Marché",
            place="Place du marché",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            capacity=3,
        )
        services.sign_up(acting_user=volunteer, outing=outing)
    set_flags(brand_a, outings=False)
    with in_brand(brand_a):
        assert tasks.send_outing_reminders.run() == 0
    assert notifications(brand_a, "outing_reminder") == []


def test_coordinator_cancels_an_outing_and_participants_are_told_once(
    client_a,
    brand_a,
    outing_a,
    coordinator_a,
    make_circle,
    make_user,
    login,
    in_brand,
    notifications,
):
    c = make_circle(brand_a, coordinator=coordinator_a)
    volunteer = make_user(brand_a, email="v@alpha.example")
    url = f"/api/outings/{outing_a['id']}/"
    login(client_a, volunteer, brand_a)
    assert _post(client_a, url + "signups/").status_code == 201
    assert _post(client_a, url + "cancel/", {"reason": "Pluie"}).status_code == 403

    login(client_a, coordinator_a, brand_a)
    assert _post(client_a, url + "signups/", {"person": str(c.person.public_id)}).status_code == 201
    other = make_user(brand_a, email="other-coord@alpha.example", role="coordinator")
    login(client_a, other, brand_a)
    response = _post(client_a, url + "cancel/", {"reason": "Alerte orage"})

    assert response.status_code == 200
    data = response.json()
    assert (data["cancellation_reason"], data["places_left"]) == ("Alerte orage", 0)
    assert data["cancelled_at"] is not None
    assert notifications(brand_a, "outing_cancelled") == sorted(
        [
            (volunteer.email, f"outing_cancelled:{outing_a['id']}:{volunteer.public_id}"),
            (coordinator_a.email, f"outing_cancelled:{outing_a['id']}:{c.person.public_id}"),
        ]
    )
    # Twice is refused and tells nobody again; nobody can sign up or change it any more.
    assert _post(client_a, url + "cancel/").status_code == 400
    assert len(notifications(brand_a, "outing_cancelled")) == 2
    login(client_a, make_user(brand_a, email="late@alpha.example"), brand_a)
    late = _post(client_a, url + "signups/")
    assert (late.status_code, late.json()["error"]["fields"]) == (
        400,
        {"non_field_errors": ["Cette sortie a été annulée."]},
    )
    assert [o["id"] for o in client_a.get("/api/outings/?cancelled=false").json()["results"]] == []
    assert [o["id"] for o in client_a.get("/api/outings/?cancelled=true").json()["results"]] == [
        outing_a["id"]
    ]


def test_no_reminder_for_a_cancelled_outing(
    brand_a, coordinator_a, make_user, in_brand, notifications
):
    volunteer = make_user(brand_a, email="v@alpha.example")
    with in_brand(brand_a):
        from outings import services, tasks
        from visits.services import brand_timezone

        tz = brand_timezone()
        starts = dt.datetime.combine(
            timezone.now().astimezone(tz).date() + dt.timedelta(days=1), dt.time(10), tzinfo=tz
        )
        outing = services.create_outing(
            acting_user=coordinator_a,
            title="Marché",
            place="Place du marché",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            capacity=3,
        )
        services.sign_up(acting_user=volunteer, outing=outing)
        services.cancel_outing(acting_user=coordinator_a, outing=outing)
        assert tasks.send_outing_reminders.run() == 0
    assert notifications(brand_a, "outing_reminder") == []
    assert [email for email, _ in notifications(brand_a, "outing_cancelled")] == [volunteer.email]


def test_date_filters_accept_any_iso_offset(client_a, brand_a, outing_a):
    # ISO 8601 allows offsets that PostgreSQL refuses (found by fuzzing the schema).
    response = client_a.get("/api/outings/", {"starts_after": "2000-01-01T00:00:00+17:18"})
    assert response.status_code == 200
    assert [o["id"] for o in response.json()["results"]] == [outing_a["id"]]
    before = client_a.get("/api/outings/", {"starts_before": "2000-01-01T00:00:00-17:18"})
    assert before.json()["results"] == []


def test_a_new_date_or_place_is_news_for_participants_and_calendars(
    client_a, brand_a, outing_a, coordinator_a, make_user, login, notifications
):
    from icalendar import Calendar

    volunteer = make_user(brand_a, email="v@alpha.example")
    url = f"/api/outings/{outing_a['id']}/"
    login(client_a, volunteer, brand_a)
    assert _post(client_a, url + "signups/").status_code == 201
    login(client_a, coordinator_a, brand_a)

    def patch(**body):
        response = client_a.patch(url, data=json.dumps(body), content_type="application/json")
        assert response.status_code == 200, response.content
        return response

    def sequence():
        event = Calendar.from_ical(client_a.get(url + "calendar.ics").content).walk("VEVENT")[0]
        return event.decoded("sequence")

    patch(capacity=5, title="Concert")  # not a change of date or place
    assert notifications(brand_a, "outing_changed") == []
    assert sequence() == 0

    later = dt.datetime.fromisoformat(outing_a["starts_at"]) + dt.timedelta(days=1)
    patch(starts_at=later.isoformat(), ends_at=(later + dt.timedelta(hours=2)).isoformat())
    patch(starts_at=later.isoformat())  # the same date again: nothing new
    assert notifications(brand_a, "outing_changed") == [
        (volunteer.email, f"outing_changed:{outing_a['id']}:{volunteer.public_id}:1")
    ]
    assert sequence() == 1

    patch(place="Salle des fêtes")
    assert [key for _, key in notifications(brand_a, "outing_changed")] == [
        f"outing_changed:{outing_a['id']}:{volunteer.public_id}:1",
        f"outing_changed:{outing_a['id']}:{volunteer.public_id}:2",
    ]
    assert sequence() == 2

    assert _post(client_a, url + "cancel/").status_code == 200
    event = Calendar.from_ical(client_a.get(url + "calendar.ics").content).walk("VEVENT")[0]
    assert str(event["status"]) == "CANCELLED"
