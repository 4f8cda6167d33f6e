"""Visit log: logging through the API, last-contact date, worried alerts, the no-contact job,
two-brand isolation, feature flag, pinned query counts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _today(brand, in_brand):
    with in_brand(brand):
        from visits.services import brand_today

        return brand_today()


def _post(client, person, **overrides):
    body = {
        "person": str(person.public_id),
        "kind": "visit",
        "occurred_on": overrides.pop("occurred_on"),
        "duration_minutes": 45,
        "mood": "good",
        "note": "Thé et photos.",
    }
    body.update(overrides)
    return client.post("/api/visits/", data=json.dumps(body), content_type="application/json")


def _person(brand, person, in_brand):
    with in_brand(brand):
        person.refresh_from_db()
    return person


def test_member_logs_a_visit_and_last_contact_moves(
    client_a, brand_a, make_circle, login, in_brand
):
    c = make_circle(brand_a)
    login(client_a, c.volunteers[0], brand_a)
    today = _today(brand_a, in_brand)

    response = _post(client_a, c.person, occurred_on=(today - dt.timedelta(days=2)).isoformat())

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["person"] == str(c.person.public_id)
    assert data["person_name"] == "Jeanne M."
    assert data["volunteer"] == str(c.volunteers[0].public_id)
    assert (data["kind"], data["mood"], data["duration_minutes"], data["note"]) == (
        "visit",
        "good",
        45,
        "Thé et photos.",
    )
    person = _person(brand_a, c.person, in_brand)
    with in_brand(brand_a):
        from visits.services import brand_timezone

        local = person.last_contact_at.astimezone(brand_timezone())
    assert local.date() == today - dt.timedelta(days=2)
    assert (local.hour, local.minute) == (23, 59)

    # Today's visit: the contact is "now".
    before = timezone.now()
    assert _post(client_a, c.person, occurred_on=today.isoformat(), kind="call").status_code == 201
    person = _person(brand_a, c.person, in_brand)
    assert before <= person.last_contact_at <= timezone.now()


def test_an_older_visit_never_moves_last_contact_back(
    client_a, brand_a, make_circle, login, in_brand
):
    c = make_circle(brand_a)
    login(client_a, c.volunteers[0], brand_a)
    today = _today(brand_a, in_brand)
    assert _post(client_a, c.person, occurred_on=today.isoformat()).status_code == 201
    latest = _person(brand_a, c.person, in_brand).last_contact_at

    assert (
        _post(
            client_a, c.person, occurred_on=(today - dt.timedelta(days=10)).isoformat()
        ).status_code
        == 201
    )

    assert _person(brand_a, c.person, in_brand).last_contact_at == latest
    with in_brand(brand_a):
        from visits.models import Visit

        assert Visit.objects.filter(person=c.person).count() == 2


def test_a_volunteer_outside_the_circle_gets_404_and_nothing_changes(
    client_a, brand_a, make_circle, make_user, login, in_brand
):
    c = make_circle(brand_a)
    outsider = make_user(brand_a, email="outsider@alpha.example")
    login(client_a, outsider, brand_a)
    today = _today(brand_a, in_brand)

    response = _post(client_a, c.person, occurred_on=today.isoformat())

    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404
    with in_brand(brand_a):
        from visits.models import Visit

        assert Visit.objects.count() == 0
    assert _person(brand_a, c.person, in_brand).last_contact_at is None
    assert client_a.get("/api/visits/").json()["results"] == []


def test_a_volunteer_who_left_the_circle_can_no_longer_log(
    client_a, brand_a, make_circle, login, in_brand
):
    c = make_circle(brand_a)
    with in_brand(brand_a):
        from matching.models import CircleMembership

        CircleMembership.objects.filter(volunteer=c.volunteers[0]).update(left_at=timezone.now())
    login(client_a, c.volunteers[0], brand_a)

    assert (
        _post(client_a, c.person, occurred_on=_today(brand_a, in_brand).isoformat()).status_code
        == 404
    )


def test_invalid_visits_are_refused_with_field_errors(
    client_a, brand_a, make_circle, login, in_brand
):
    c = make_circle(brand_a)
    login(client_a, c.volunteers[0], brand_a)
    today = _today(brand_a, in_brand)

    future = _post(client_a, c.person, occurred_on=(today + dt.timedelta(days=1)).isoformat())
    assert future.status_code == 400
    assert future.json()["error"]["fields"] == {
        "occurred_on": ["Une visite ne peut pas être notée dans le futur."]
    }

    bad = _post(client_a, c.person, occurred_on=today.isoformat(), mood="sad", duration_minutes=0)
    assert bad.status_code == 400
    assert sorted(bad.json()["error"]["fields"]) == ["duration_minutes", "mood"]
    with in_brand(brand_a):
        from visits.models import Visit

        assert Visit.objects.count() == 0


def test_worried_visit_alerts_the_coordinator_once(
    client_a, brand_a, make_circle, login, in_brand, notifications
):
    c = make_circle(brand_a, volunteers=2)
    login(client_a, c.volunteers[0], brand_a)
    today = _today(brand_a, in_brand)

    good = _post(client_a, c.person, occurred_on=today.isoformat())
    assert good.status_code == 201
    assert notifications(brand_a, "visit_worried") == []

    worried = _post(client_a, c.person, occurred_on=today.isoformat(), mood="worried")
    assert worried.status_code == 201
    visit_id = worried.json()["id"]
    key = f"visit_worried:{visit_id}:{c.coordinator.public_id}"
    assert notifications(brand_a, "visit_worried") == [(c.coordinator.email, key)]
    with in_brand(brand_a):
        from worker.models import Notification

        row = Notification.objects.get(kind="visit_worried")
        assert row.urgent is True
        assert row.context["person_name"] == "Jeanne M."
        assert row.context["volunteer_name"] == c.volunteers[0].full_name


def test_worried_visit_without_a_coordinator_alerts_every_coordinator(
    client_a, brand_a, make_circle, make_user, login, in_brand, notifications
):
    c = make_circle(brand_a)
    other = make_user(brand_a, email="other-coord@alpha.example", role="coordinator")
    with in_brand(brand_a):
        from people.models import Person

        Person.objects.filter(pk=c.person.pk).update(coordinator=None)
    login(client_a, c.volunteers[0], brand_a)

    response = _post(
        client_a, c.person, occurred_on=_today(brand_a, in_brand).isoformat(), mood="worried"
    )

    assert response.status_code == 201
    assert [email for email, _ in notifications(brand_a, "visit_worried")] == sorted(
        [c.coordinator.email, other.email]
    )


def _run_no_contact_job(brand, in_brand, today=None):
    """The job as the worker runs it: the registered Celery task, in the brand's schema."""
    with in_brand(brand):
        from visits import services, tasks

        if today is None:
            return tasks.alert_people_without_contact.run()
        return services.alert_people_without_contact(today=today)


def test_no_contact_job_alerts_once_per_period(brand_a, make_circle, in_brand, notifications):
    quiet = make_circle(brand_a, first_name="Paulette")
    recent = make_circle(brand_a, first_name="Odette")
    today = _today(brand_a, in_brand)
    with in_brand(brand_a):
        from people.models import Person
        from visits.services import brand_timezone

        tz = brand_timezone()
        twenty_days_ago = dt.datetime.combine(today - dt.timedelta(days=20), dt.time(10), tzinfo=tz)
        Person.objects.filter(pk=quiet.person.pk).update(last_contact_at=twenty_days_ago)
        Person.objects.filter(pk=recent.person.pk).update(
            last_contact_at=timezone.now() - dt.timedelta(days=3)
        )
        # A closed record is not followed any more: never flagged.
        closed = Person.objects.create(
            first_name="Closed",
            last_name="X",
            status=Person.Status.CLOSED,
            coordinator=quiet.coordinator,
            last_contact_at=twenty_days_ago,
        )

    assert _run_no_contact_job(brand_a, in_brand) == 1
    since = (today - dt.timedelta(days=20)).isoformat()
    first = [
        (
            quiet.coordinator.email,
            f"person_no_contact:{quiet.person.public_id}:{since}:1:{quiet.coordinator.public_id}",
        )
    ]
    assert notifications(brand_a, "person_no_contact") == first

    # The next day (and the day after): still the same period, nothing new.
    assert _run_no_contact_job(brand_a, in_brand) == 1
    assert _run_no_contact_job(brand_a, in_brand, today + dt.timedelta(days=1)) == 1
    assert notifications(brand_a, "person_no_contact") == first

    # 28 days of silence: a second period, a second alert.
    _run_no_contact_job(brand_a, in_brand, today + dt.timedelta(days=8))
    assert len(notifications(brand_a, "person_no_contact")) == 2
    assert closed.public_id  # (never alerted: only two rows, both about `quiet`)
    assert all(
        str(quiet.person.public_id) in key for _, key in notifications(brand_a, "person_no_contact")
    )


def test_a_contact_resets_the_no_contact_period(
    client_a, brand_a, make_circle, login, in_brand, notifications
):
    c = make_circle(brand_a)
    today = _today(brand_a, in_brand)
    with in_brand(brand_a):
        from people.models import Person

        Person.objects.filter(pk=c.person.pk).update(
            created_at=timezone.now() - dt.timedelta(days=30), last_contact_at=None
        )
    assert _run_no_contact_job(brand_a, in_brand) == 1
    assert len(notifications(brand_a, "person_no_contact")) == 1

    login(client_a, c.volunteers[0], brand_a)
    assert _post(client_a, c.person, occurred_on=today.isoformat()).status_code == 201

    assert _run_no_contact_job(brand_a, in_brand) == 0
    assert len(notifications(brand_a, "person_no_contact")) == 1


def test_people_without_contact_endpoint_is_for_coordinators(
    client_a, brand_a, make_circle, login, in_brand
):
    c = make_circle(brand_a)
    with in_brand(brand_a):
        from people.models import Person

        Person.objects.filter(pk=c.person.pk).update(
            created_at=timezone.now() - dt.timedelta(days=40)
        )
    login(client_a, c.volunteers[0], brand_a)
    assert client_a.get("/api/visits/without-contact/").status_code == 403

    login(client_a, c.coordinator, brand_a)
    response = client_a.get("/api/visits/without-contact/")
    assert response.status_code == 200
    assert [(p["id"], p["name"], p["last_contact_at"]) for p in response.json()["results"]] == [
        (str(c.person.public_id), "Jeanne M.", None)
    ]
    assert client_a.get("/api/visits/without-contact/?days=60").json()["results"] == []


def test_brand_b_gets_404_for_brand_a_visits_and_nothing_changes(
    client_a, client_b, brand_a, brand_b, make_circle, make_user, login, in_brand
):
    c = make_circle(brand_a)
    login(client_a, c.volunteers[0], brand_a)
    visit_id = _post(client_a, c.person, occurred_on=_today(brand_a, in_brand).isoformat()).json()[
        "id"
    ]
    for role in ("volunteer", "coordinator", "brand_admin"):
        intruder = make_user(brand_b, email=f"{role}@beta.example", role=role)
        login(client_b, intruder, brand_b)

        assert client_b.get(f"/api/visits/{visit_id}/").status_code == 404
        assert client_b.get("/api/visits/").json()["results"] == []
        assert _post(
            client_b, c.person, occurred_on=_today(brand_b, in_brand).isoformat()
        ).status_code in (404, 400)
        assert client_b.get(f"/api/visits/?person={c.person.public_id}").json()["results"] == []
    with in_brand(brand_a):
        from visits.models import Visit

        assert Visit.objects.count() == 1
    with in_brand(brand_b):
        assert Visit.objects.count() == 0


def test_visit_log_flag_off_hides_everything(
    client_a, brand_a, make_circle, login, in_brand, set_flags
):
    c = make_circle(brand_a)
    login(client_a, c.coordinator, brand_a)
    visit_id = _post(client_a, c.person, occurred_on=_today(brand_a, in_brand).isoformat()).json()[
        "id"
    ]

    set_flags(brand_a, visit_log=False)

    assert client_a.get("/api/visits/").status_code == 404
    assert client_a.get(f"/api/visits/{visit_id}/").status_code == 404
    assert client_a.get("/api/visits/without-contact/").status_code == 404
    assert (
        _post(client_a, c.person, occurred_on=_today(brand_a, in_brand).isoformat()).status_code
        == 404
    )
    with in_brand(brand_a):
        from visits.models import Visit

        assert Visit.objects.count() == 1


def test_visit_list_query_count_is_pinned(
    client_a, brand_a, make_circle, login, in_brand, django_assert_num_queries
):
    c = make_circle(brand_a, volunteers=2)
    other = make_circle(brand_a, volunteers=1, coordinator=c.coordinator, first_name="Yvette")
    today = _today(brand_a, in_brand)
    with in_brand(brand_a):
        from visits.services import log_visit

        for circle in (c, other):
            for days in range(3):
                log_visit(
                    acting_user=circle.volunteers[0],
                    person=circle.person,
                    kind="call",
                    occurred_on=today - dt.timedelta(days=days),
                    duration_minutes=10,
                    mood="neutral",
                )
    login(client_a, c.volunteers[1], brand_a)
    client_a.get("/api/visits/")  # warm the per-process theme cache (feature flags)
    with django_assert_num_queries(QUERIES_VISIT_LIST):
        response = client_a.get("/api/visits/")
    assert response.json()["count"] == 3

    login(client_a, c.coordinator, brand_a)
    with django_assert_num_queries(QUERIES_VISIT_LIST):
        response = client_a.get("/api/visits/?kind=call")
    assert response.json()["count"] == 6


# (SET search_path + query) x (domain, session, user, count, page): constant in the number of
# visits, people and volunteers.
QUERIES_VISIT_LIST = 10


def test_people_without_contact_query_count_is_pinned(
    client_a, brand_a, make_circle, login, in_brand, django_assert_num_queries
):
    coordinator = make_circle(brand_a).coordinator
    for name in ("Alice", "Berthe", "Colette"):
        make_circle(brand_a, coordinator=coordinator, first_name=name)
    with in_brand(brand_a):
        from people.models import Person

        Person.objects.update(created_at=timezone.now() - dt.timedelta(days=30))
    login(client_a, coordinator, brand_a)
    client_a.get("/api/visits/without-contact/")  # warm the per-process theme cache
    with django_assert_num_queries(QUERIES_WITHOUT_CONTACT_LIST):
        response = client_a.get("/api/visits/without-contact/")
    assert response.json()["count"] == 4


# As the visit list; the coordinator of each person comes in the same query.
QUERIES_WITHOUT_CONTACT_LIST = 10


def test_the_no_contact_job_stays_in_its_brand(
    brand_a, brand_b, make_circle, in_brand, notifications
):
    c = make_circle(brand_a)
    with in_brand(brand_a):
        from people.models import Person

        Person.objects.filter(pk=c.person.pk).update(
            created_at=timezone.now() - dt.timedelta(days=30)
        )

    assert _run_no_contact_job(brand_b, in_brand) == 0
    assert notifications(brand_a, "person_no_contact") == []
    assert notifications(brand_b, "person_no_contact") == []

    assert _run_no_contact_job(brand_a, in_brand) == 1
    assert [email for email, _ in notifications(brand_a, "person_no_contact")] == [
        c.coordinator.email
    ]
    assert notifications(brand_b, "person_no_contact") == []


def test_no_contact_job_does_nothing_when_the_visit_log_is_off(
    brand_a, make_circle, in_brand, notifications, set_flags
):
    c = make_circle(brand_a)
    with in_brand(brand_a):
        from people.models import Person

        Person.objects.filter(pk=c.person.pk).update(
            created_at=timezone.now() - dt.timedelta(days=30)
        )
    set_flags(brand_a, visit_log=False)

    assert _run_no_contact_job(brand_a, in_brand) == 0
    assert notifications(brand_a, "person_no_contact") == []
