"""The vetting pipeline: ordered steps (default charter -> interview -> validated), who and when,
optional background check with expiry, coordinators notified of steps awaiting them (once)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.django_db


def test_default_pipeline_is_charter_interview_validation(brand_a, client_a, coordinator_a, login):
    login(client_a, coordinator_a, brand_a)
    steps = client_a.get("/api/vetting-steps/").json()["results"]
    assert [(s["key"], s["kind"]) for s in steps] == [
        ("charter", "charter"),
        ("interview", "interview"),
        ("validated", "validation"),
    ]


def test_volunteer_signs_the_charter_then_coordinators_validate_in_order(
    brand_a, client_a, coordinator_a, make_user, login, in_brand, notifications
):
    volunteer = make_user(brand_a, role="volunteer", full_name="Vic Volontaire")
    login(client_a, volunteer, brand_a)
    url = f"/api/volunteers/{volunteer.public_id}/vetting/"
    assert (
        client_a.get("/api/volunteers/me/").json()["status"] == "in_progress"
    )  # creates the profile

    # a volunteer cannot skip to the interview nor do it themself
    response = client_a.post(url, {"step": "interview"}, content_type="application/json")
    assert response.status_code == 400
    signed = client_a.post("/api/volunteers/me/sign-charter/", content_type="application/json")
    assert signed.status_code == 201
    assert signed.json()["step"] == "charter"
    assert signed.json()["completed_by"] == "Vic Volontaire"
    assert client_a.post("/api/volunteers/me/sign-charter/").status_code == 400  # already done

    # the interview now awaits the coordinator: notified once
    [note] = notifications(brand_a, kind="vetting_step_pending")
    assert note.recipient_id == coordinator_a.pk
    assert note.context["step_key"] == "interview"

    login(client_a, coordinator_a, brand_a)
    skipped = client_a.post(url, {"step": "validated"}, content_type="application/json")
    assert skipped.status_code == 400
    assert skipped.json()["error"]["fields"] == {"step": ["Terminez d’abord « Entretien »."]}
    assert (
        client_a.post(
            url, {"step": "interview", "note": "Très motivé"}, content_type="application/json"
        ).status_code
        == 201
    )
    assert [n.context["step_key"] for n in notifications(brand_a, kind="vetting_step_pending")] == [
        "interview",
        "validated",
    ]
    assert (
        client_a.post(url, {"step": "validated"}, content_type="application/json").status_code
        == 201
    )

    progress = client_a.get(url).json()
    assert [(p["step"]["key"], p["record"]["completed_by"]) for p in progress] == [
        ("charter", "Vic Volontaire"),
        ("interview", "Claire Coord"),
        ("validated", "Claire Coord"),
    ]
    assert all(p["record"]["completed_at"] for p in progress)
    profile = client_a.get(f"/api/volunteers/{volunteer.public_id}/").json()
    assert profile["status"] == "validated"
    assert profile["validated_at"] is not None
    # nothing new awaits anyone: still the same two notifications
    assert len(notifications(brand_a, kind="vetting_step_pending")) == 2


def test_background_check_needs_an_expiry_in_the_future(
    brand_a, client_a, coordinator_a, make_user, login, in_brand
):
    from volunteers.models import VettingStep

    with in_brand(brand_a):
        VettingStep.objects.create(
            key="casier", name="Casier judiciaire", kind="background_check", position=25
        )
    volunteer = make_user(brand_a, role="volunteer")
    login(client_a, volunteer, brand_a)
    client_a.post("/api/volunteers/me/sign-charter/")
    login(client_a, coordinator_a, brand_a)
    url = f"/api/volunteers/{volunteer.public_id}/vetting/"
    client_a.post(url, {"step": "interview"}, content_type="application/json")

    missing = client_a.post(url, {"step": "casier"}, content_type="application/json")
    assert missing.status_code == 400
    assert list(missing.json()["error"]["fields"]) == ["expires_on"]
    past = client_a.post(
        url, {"step": "casier", "expires_on": "2000-01-01"}, content_type="application/json"
    )
    assert past.status_code == 400
    expires = (date.today() + timedelta(days=365)).isoformat()
    done = client_a.post(
        url, {"step": "casier", "expires_on": expires}, content_type="application/json"
    )
    assert done.status_code == 201
    assert done.json()["expires_on"] == expires
    assert (
        client_a.get(f"/api/volunteers/{volunteer.public_id}/").json()[
            "background_check_expires_on"
        ]
        == expires
    )


def test_only_brand_admins_change_the_pipeline(
    brand_a, client_a, coordinator_a, make_user, login, in_brand
):
    from volunteers.models import VettingStep

    login(client_a, coordinator_a, brand_a)
    payload = {"key": "formation", "name": "Formation", "kind": "training", "position": 15}
    assert (
        client_a.post("/api/vetting-steps/", payload, content_type="application/json").status_code
        == 403
    )
    with in_brand(brand_a):
        assert not VettingStep.objects.filter(key="formation").exists()
    login(client_a, make_user(brand_a, role="brand_admin"), brand_a)
    assert (
        client_a.post("/api/vetting-steps/", payload, content_type="application/json").status_code
        == 201
    )


def test_suspended_volunteer_is_no_longer_matchable(
    brand_a, client_a, coordinator_a, make_volunteer, login, in_brand
):
    from volunteers.selectors import is_matchable

    volunteer = make_volunteer(brand_a)
    login(client_a, coordinator_a, brand_a)
    response = client_a.post(
        f"/api/volunteers/{volunteer.public_id}/status/",
        {"status": "suspended"},
        content_type="application/json",
    )
    assert response.status_code == 200
    with in_brand(brand_a):
        volunteer.volunteer_profile.refresh_from_db()
        assert not is_matchable(volunteer.volunteer_profile)


def test_brand_b_gets_404_for_a_vetting_step_of_brand_a(
    brand_a, brand_b, client_b, make_user, login, in_brand
):
    from volunteers.models import VettingStep

    with in_brand(brand_a):
        step = VettingStep.objects.create(
            key="formation-a", name="Formation A", kind="training", position=15
        )
    login(client_b, make_user(brand_b, role="brand_admin"), brand_b)
    assert client_b.get(f"/api/vetting-steps/{step.public_id}/").status_code == 404
    assert (
        client_b.patch(
            f"/api/vetting-steps/{step.public_id}/", {"name": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    with in_brand(brand_a):
        step.refresh_from_db()
        assert step.name == "Formation A"
