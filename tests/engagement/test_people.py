"""Isolated people: registration with consent, the reduced view before a match and the full view
after, the audit log of staff reads (API and admin), two brands."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "first_name": "Jeanne",
    "last_name": "Dubois",
    "phone": "06 12 34 56 78",
    "address": "10 rue de la Roquette Paris",
    "needs": ["visits", "calls"],
    "preferred_times": ["tue_afternoon"],
    "interests": ["chess"],
    "languages": ["fr"],
    "notes": "Malentendante",
    "max_volunteers": 2,
    "consent": {
        "method": "in_person",
        "purpose": "Recevoir des visites de bénévoles",
        "given_by": "",
    },
}


def audit(brand, in_brand):
    from people.models import PersonAccessLog

    with in_brand(brand):
        return list(
            PersonAccessLog.objects.order_by("id").values_list("user_email", "channel", "action")
        )


def test_coordinator_registers_a_person_with_consent_and_geocoded_address(
    brand_a, client_a, coordinator_a, login, in_brand
):
    login(client_a, coordinator_a, brand_a)
    response = client_a.post("/api/people/", NEW_PERSON, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["first_name"], body["address"], body["latitude"], body["longitude"]) == (
        "Jeanne",
        "10 Rue de la Roquette 75011 Paris",
        48.853,
        2.372,
    )
    assert body["district"] == "Paris (75011)"
    assert body["coordinator"] == str(coordinator_a.public_id)
    consents = client_a.get(f"/api/people/{body['id']}/consents/").json()
    assert [(c["method"], c["purpose"], c["recorded_by"]) for c in consents] == [
        ("in_person", "Recevoir des visites de bénévoles", "Claire Coord")
    ]
    assert consents[0]["given_at"]
    assert audit(brand_a, in_brand) == [
        ("coord@alpha.example", "api", "create"),
        ("coord@alpha.example", "api", "view"),
    ]


def test_a_person_cannot_be_registered_without_consent(
    brand_a, client_a, coordinator_a, login, in_brand
):
    login(client_a, coordinator_a, brand_a)
    data = {k: v for k, v in NEW_PERSON.items() if k != "consent"}
    response = client_a.post("/api/people/", data, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["consent"]
    bad = dict(NEW_PERSON, consent={"method": "telepathy", "purpose": ""})
    fields = client_a.post("/api/people/", bad, content_type="application/json").json()["error"][
        "fields"
    ]
    assert set(fields) == {"consent.method", "consent.purpose"}
    from people.models import Person

    with in_brand(brand_a):
        assert Person.objects.count() == 0


def test_volunteers_cannot_register_people(brand_a, client_a, make_volunteer, login, in_brand):
    login(client_a, make_volunteer(brand_a), brand_a)
    assert (
        client_a.post("/api/people/", NEW_PERSON, content_type="application/json").status_code
        == 403
    )


def test_each_staff_read_of_a_full_record_is_audited(
    brand_a, client_a, coordinator_a, make_person, login, in_brand
):
    person = make_person(brand_a, coordinator=coordinator_a)
    login(client_a, coordinator_a, brand_a)
    client_a.get("/api/people/")  # the list shows no full record: not audited
    assert audit(brand_a, in_brand) == []
    client_a.get(f"/api/people/{person.public_id}/")
    client_a.get(f"/api/people/{person.public_id}/")
    client_a.patch(
        f"/api/people/{person.public_id}/",
        {"notes": "Aime le thé"},
        content_type="application/json",
    )
    assert audit(brand_a, in_brand) == [("coord@alpha.example", "api", "view")] * 3 + [
        ("coord@alpha.example", "api", "update")
    ]
    log = client_a.get("/api/person-access-log/").json()["results"]
    assert [(e["person"], e["action"]) for e in log][0] == (str(person.public_id), "update")


def test_volunteer_sees_the_reduced_view_before_the_match_and_the_full_view_after(
    brand_a, client_a, coordinator_a, make_volunteer, make_person, login, in_brand
):
    from matching.services import confirm, propose, respond

    person = make_person(
        brand_a,
        coordinator=coordinator_a,
        first_name="Jeanne",
        last_name="dubois",
        phone="06 11 22 33 44",
        address="3 rue Secrète",
        district="Paris 4e",
        notes="Code 1234B",
        latitude=48.8566,
        longitude=2.3522,
    )
    volunteer = make_volunteer(brand_a, latitude=48.8566 + 2.3 / 111.2, longitude=2.3522)
    login(client_a, volunteer, brand_a)
    url = f"/api/people/{person.public_id}/"
    assert client_a.get(url).status_code == 404  # not proposed: nothing at all

    with in_brand(brand_a):
        [proposal] = propose(acting_user=coordinator_a, person=person, volunteers=[volunteer])
    reduced = client_a.get(url).json()
    assert reduced == {
        "id": str(person.public_id),
        "first_name": "Jeanne",
        "last_initial": "D",
        "district": "Paris 4e",
        "approximate_distance_km": 2.5,
        "view": "reduced",
    }
    listed = client_a.get("/api/people/").json()["results"]
    assert listed == [reduced]
    mine = client_a.get(f"/api/proposals/{proposal.public_id}/").json()
    assert mine["person"] == {
        "id": str(person.public_id),
        "name": "Jeanne D.",
        "district": "Paris 4e",
        "approximate_distance_km": 2.5,
    }
    assert "06 11" not in str(client_a.get("/api/proposals/").content)

    with in_brand(brand_a):
        respond(proposal=proposal, acting_user=volunteer, accept=True)
        confirm(proposal=proposal, acting_user=coordinator_a)
    full = client_a.get(url).json()
    assert (full["view"], full["last_name"], full["phone"], full["address"], full["notes"]) == (
        "full",
        "dubois",
        "06 11 22 33 44",
        "3 rue Secrète",
        "Code 1234B",
    )
    assert audit(brand_a, in_brand) == []  # volunteers' reads are not staff reads
    assert client_a.patch(url, {"notes": "x"}, content_type="application/json").status_code == 403


def test_staff_list_pins_its_queries(
    brand_a, client_a, coordinator_a, make_person, login, django_assert_num_queries
):
    for i in range(3):
        make_person(brand_a, first_name=f"P{i}", coordinator=coordinator_a)
    login(client_a, coordinator_a, brand_a)
    with django_assert_num_queries(10):
        response = client_a.get("/api/people/?status=active&need=")
    assert len(response.json()["results"]) == 3
    assert client_a.get("/api/people/?search=P1").json()["count"] == 1


def test_brand_b_gets_404_for_a_person_of_brand_a_and_changes_nothing(
    brand_a, brand_b, client_b, coordinator_a, coordinator_b, make_person, login, in_brand
):
    person = make_person(brand_a, coordinator=coordinator_a, notes="original")
    login(client_b, coordinator_b, brand_b)
    for method, path, data in (
        ("get", f"/api/people/{person.public_id}/", None),
        ("patch", f"/api/people/{person.public_id}/", {"notes": "hacked"}),
        ("get", f"/api/people/{person.public_id}/consents/", None),
        ("post", f"/api/people/{person.public_id}/consents/", {"method": "phone", "purpose": "x"}),
        ("get", f"/api/people/{person.public_id}/candidates/", None),
    ):
        response = getattr(client_b, method)(path, data, content_type="application/json")
        assert response.status_code == 404, (method, path)
    assert client_b.get("/api/people/").json()["count"] == 0
    with in_brand(brand_a):
        person.refresh_from_db()
        assert person.notes == "original"
        assert person.consents.count() == 1
    assert audit(brand_a, in_brand) == []
    assert audit(brand_b, in_brand) == []


def test_person_admin_change_view_is_audited(
    brand_a, client_a, coordinator_a, make_person, login, in_brand
):
    person = make_person(brand_a, coordinator=coordinator_a)
    login(client_a, coordinator_a, brand_a)
    with in_brand(brand_a):
        pk = person.pk
    assert client_a.get("/admin/people/person/").status_code == 200
    assert audit(brand_a, in_brand) == []
    response = client_a.get(f"/admin/people/person/{pk}/change/")
    assert response.status_code == 200
    assert audit(brand_a, in_brand) == [("coord@alpha.example", "admin", "view")]


def test_volunteers_have_no_admin(brand_a, client_a, make_volunteer, login):
    volunteer = make_volunteer(brand_a)
    login(client_a, volunteer, brand_a)
    response = client_a.get("/admin/people/person/")
    assert response.status_code == 302
