"""Proposals and circles: propose, accept/decline with a reason, confirm (or auto-confirm), the
circle "Les amis de {prénom}", expiry, leaving/closing with a reason, notifications once each,
two brands, and the last-place race under real concurrency."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from tests.engagement.helpers import set_flag


@pytest.fixture
def setup_a(brand_a, coordinator_a, make_volunteer, make_person):
    person = make_person(
        brand_a,
        coordinator=coordinator_a,
        first_name="Jeanne",
        last_name="Dubois",
        phone="06 11 22 33 44",
        address="3 rue Secrète",
        max_volunteers=2,
    )
    alice = make_volunteer(brand_a, full_name="Alice", latitude=48.87)
    bob = make_volunteer(brand_a, full_name="Bob", latitude=48.86)
    return person, alice, bob


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


@pytest.mark.django_db
def test_full_flow_with_each_notification_once(
    brand_a, client_a, coordinator_a, setup_a, login, in_brand, notifications
):
    person, alice, bob = setup_a
    login(client_a, coordinator_a, brand_a)
    response = post(
        client_a,
        "/api/proposals/",
        {
            "person": str(person.public_id),
            "volunteers": [str(alice.public_id), str(bob.public_id)],
            "message": "Elle adore les échecs",
        },
    )
    assert response.status_code == 201, response.content
    by_name = {p["volunteer"]["name"]: p for p in response.json()}
    assert set(by_name) == {"Alice", "Bob"}
    assert all(p["status"] == "pending" and p["reasons"] for p in by_name.values())
    again = post(
        client_a,
        "/api/proposals/",
        {"person": str(person.public_id), "volunteers": [str(alice.public_id)]},
    )
    assert again.status_code == 400
    created = notifications(brand_a, kind="proposal_created")
    assert sorted(n.recipient_id for n in created) == sorted([alice.pk, bob.pk])
    assert created[0].context["person_name"] == "Jeanne D."
    assert "phone" not in created[0].context

    # Bob declines (a reason is required), Alice accepts
    login(client_a, bob, brand_a)
    bob_id = by_name["Bob"]["id"]
    assert post(client_a, f"/api/proposals/{bob_id}/decline/").status_code == 400
    declined = post(client_a, f"/api/proposals/{bob_id}/decline/", {"reason": "Trop loin pour moi"})
    assert declined.json()["status"] == "declined"
    assert declined.json()["response_reason"] == "Trop loin pour moi"
    assert (
        post(client_a, f"/api/proposals/{by_name['Alice']['id']}/accept/").status_code == 404
    )  # not Bob's
    login(client_a, alice, brand_a)
    alice_id = by_name["Alice"]["id"]
    accepted = post(client_a, f"/api/proposals/{alice_id}/accept/", {"reason": "Avec plaisir"})
    assert accepted.json()["status"] == "accepted"
    assert (
        post(client_a, f"/api/proposals/{alice_id}/accept/").status_code == 400
    )  # already answered
    answered = notifications(brand_a, kind="proposal_answered")
    assert [(n.recipient_id, n.context["accepted"]) for n in answered] == [
        (coordinator_a.pk, False),
        (coordinator_a.pk, True),
    ]
    assert (
        post(client_a, f"/api/proposals/{alice_id}/confirm/").status_code == 403
    )  # volunteers don't confirm

    login(client_a, coordinator_a, brand_a)
    confirmed = post(client_a, f"/api/proposals/{alice_id}/confirm/")
    assert confirmed.json()["status"] == "confirmed"
    assert post(client_a, f"/api/proposals/{alice_id}/confirm/").status_code == 400
    [match] = notifications(brand_a, kind="match_confirmed")
    assert match.recipient_id == alice.pk
    assert (match.context["person_name"], match.context["phone"], match.context["address"]) == (
        "Jeanne Dubois",
        "06 11 22 33 44",
        "3 rue Secrète",
    )
    [circle] = client_a.get("/api/circles/").json()["results"]
    assert circle["title"] == "Les amis de Jeanne"
    assert [m["volunteer"]["name"] for m in circle["members"]] == ["Alice"]
    assert circle["places"] == 1
    with in_brand(brand_a):
        alice.volunteer_profile.refresh_from_db()
        assert alice.volunteer_profile.current_load == 1
    # each kind exactly once per event
    assert len(notifications(brand_a, kind="proposal_created")) == 2
    assert len(notifications(brand_a, kind="proposal_answered")) == 2
    assert len(notifications(brand_a, kind="match_confirmed")) == 1


@pytest.mark.django_db
def test_auto_confirm_flag_confirms_on_acceptance(
    brand_a, client_a, coordinator_a, setup_a, login, in_brand, notifications
):
    from matching.services import propose

    person, alice, _bob = setup_a
    set_flag(brand_a, "auto_confirm_matches", True)
    with in_brand(brand_a):
        [proposal] = propose(acting_user=coordinator_a, person=person, volunteers=[alice])
    login(client_a, alice, brand_a)
    assert (
        post(client_a, f"/api/proposals/{proposal.public_id}/accept/").json()["status"]
        == "confirmed"
    )
    assert [c["title"] for c in client_a.get("/api/circles/").json()["results"]] == [
        "Les amis de Jeanne"
    ]
    assert len(notifications(brand_a, kind="match_confirmed")) == 1


@pytest.mark.django_db
def test_a_full_circle_refuses_with_a_clear_message(
    brand_a, client_a, coordinator_a, make_volunteer, make_person, login, in_brand
):
    from matching.models import CircleMembership
    from matching.services import confirm, propose, respond

    person = make_person(
        brand_a,
        coordinator=coordinator_a,
        first_name="Marcel",
        last_name="Lefèvre",
        max_volunteers=1,
    )
    first, second = make_volunteer(brand_a), make_volunteer(brand_a)
    with in_brand(brand_a):
        p1, p2 = propose(acting_user=coordinator_a, person=person, volunteers=[first, second])
        respond(proposal=p1, acting_user=first, accept=True)
        respond(proposal=p2, acting_user=second, accept=True)
        confirm(proposal=p1, acting_user=coordinator_a)
    login(client_a, coordinator_a, brand_a)
    response = post(client_a, f"/api/proposals/{p2.public_id}/confirm/")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["non_field_errors"][0].startswith(
        "Désolé, le cercle de Marcel L. est déjà complet"
    )
    with in_brand(brand_a):
        assert CircleMembership.objects.filter(circle__person=person).count() == 1
        p2.refresh_from_db()
        assert p2.status == "accepted"


@pytest.mark.django_db
def test_proposals_expire_after_the_brand_setting(
    brand_a, client_a, coordinator_a, setup_a, login, in_brand
):
    from django.utils import timezone
    from matching.models import Proposal
    from matching.services import propose
    from matching.tasks import expire_proposals

    from worker.periodic import BRAND_JOBS

    person, alice, bob = setup_a
    with in_brand(brand_a):
        p_alice, p_bob = propose(acting_user=coordinator_a, person=person, volunteers=[alice, bob])
        assert round((p_alice.expires_at - timezone.now()) / timedelta(days=1)) == 7
        Proposal.objects.filter(pk=p_alice.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        assert expire_proposals() == 1
        assert expire_proposals() == 0
        p_alice.refresh_from_db()
        p_bob.refresh_from_db()
        assert (p_alice.status, p_bob.status) == ("expired", "pending")
    assert BRAND_JOBS["matching.expire_proposals"].every_seconds == 86400
    login(client_a, alice, brand_a)
    response = post(client_a, f"/api/proposals/{p_alice.public_id}/accept/")
    assert response.status_code == 400


@pytest.mark.django_db
def test_leaving_and_closing_a_circle_record_a_reason(
    brand_a, client_a, coordinator_a, setup_a, login, in_brand
):
    from matching.models import CircleMembership
    from matching.services import confirm, propose, respond

    person, alice, bob = setup_a
    with in_brand(brand_a):
        for proposal, volunteer in zip(
            propose(acting_user=coordinator_a, person=person, volunteers=[alice, bob]),
            [alice, bob],
            strict=True,
        ):
            respond(proposal=proposal, acting_user=volunteer, accept=True)
            confirm(proposal=proposal, acting_user=coordinator_a)
        from matching.models import Circle

        circle_id = Circle.objects.get(person=person).public_id
    login(client_a, alice, brand_a)
    assert post(client_a, f"/api/circles/{circle_id}/leave/").status_code == 400
    assert (
        post(client_a, f"/api/circles/{circle_id}/leave/", {"reason": "Je déménage"}).status_code
        == 204
    )
    assert client_a.get(f"/api/circles/{circle_id}/").status_code == 404
    login(client_a, coordinator_a, brand_a)
    closed = post(client_a, f"/api/circles/{circle_id}/close/", {"reason": "Entrée en EHPAD"})
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_reason"] == "Entrée en EHPAD"
    with in_brand(brand_a):
        reasons = dict(CircleMembership.objects.values_list("volunteer__full_name", "left_reason"))
        assert reasons == {"Alice": "Je déménage", "Bob": "Entrée en EHPAD"}
        alice.volunteer_profile.refresh_from_db()
        bob.volunteer_profile.refresh_from_db()
        assert (alice.volunteer_profile.current_load, bob.volunteer_profile.current_load) == (0, 0)


@pytest.mark.django_db
def test_list_endpoints_pin_their_queries(
    brand_a,
    client_a,
    coordinator_a,
    make_volunteer,
    make_person,
    login,
    in_brand,
    django_assert_num_queries,
):
    from matching.services import confirm, propose, respond

    volunteer = make_volunteer(brand_a, max_people=5)
    with in_brand(brand_a):
        for i in range(3):
            person = make_person(brand_a, first_name=f"P{i}", coordinator=coordinator_a)
            [proposal] = propose(acting_user=coordinator_a, person=person, volunteers=[volunteer])
            if i < 2:
                respond(proposal=proposal, acting_user=volunteer, accept=True)
                confirm(proposal=proposal, acting_user=coordinator_a)
    # constant whatever the number of rows (checked with 1 and 3 rows when pinning)
    login(client_a, coordinator_a, brand_a)
    with django_assert_num_queries(10):
        assert client_a.get("/api/proposals/").json()["count"] == 3
    with django_assert_num_queries(12):
        assert client_a.get("/api/circles/").json()["count"] == 2
    login(client_a, volunteer, brand_a)
    with django_assert_num_queries(10):
        assert client_a.get("/api/proposals/").json()["count"] == 3
    with django_assert_num_queries(12):
        assert client_a.get("/api/circles/").json()["count"] == 2
    with django_assert_num_queries(12):  # + the volunteer's own profile, once, for the distances
        assert client_a.get("/api/people/").json()["count"] == 3


@pytest.mark.django_db
def test_brand_b_gets_404_for_brand_a_proposals_and_circles(
    brand_a, brand_b, client_b, coordinator_a, coordinator_b, setup_a, login, in_brand
):
    from matching.models import CircleMembership, Proposal
    from matching.services import confirm, propose, respond

    person, alice, bob = setup_a
    with in_brand(brand_a):
        p_alice, p_bob = propose(acting_user=coordinator_a, person=person, volunteers=[alice, bob])
        respond(proposal=p_alice, acting_user=alice, accept=True)
        confirm(proposal=p_alice, acting_user=coordinator_a)
        respond(proposal=p_bob, acting_user=bob, accept=True)
        from matching.models import Circle

        circle_id = Circle.objects.get(person=person).public_id
    login(client_b, coordinator_b, brand_b)
    for method, path, data in (
        ("get", f"/api/proposals/{p_bob.public_id}/", None),
        ("post", f"/api/proposals/{p_bob.public_id}/confirm/", {}),
        ("post", f"/api/proposals/{p_bob.public_id}/withdraw/", {}),
        ("post", f"/api/proposals/{p_bob.public_id}/accept/", {}),
        ("post", f"/api/proposals/{p_bob.public_id}/decline/", {"reason": "x"}),
        ("get", f"/api/circles/{circle_id}/", None),
        ("post", f"/api/circles/{circle_id}/close/", {"reason": "x"}),
        ("post", f"/api/circles/{circle_id}/leave/", {"reason": "x"}),
        (
            "post",
            f"/api/circles/{circle_id}/remove-member/",
            {"volunteer": str(alice.public_id), "reason": "x"},
        ),
    ):
        response = getattr(client_b, method)(path, data, content_type="application/json")
        assert response.status_code == 404, (method, path, response.status_code)
    proposing = post(
        client_b,
        "/api/proposals/",
        {"person": str(person.public_id), "volunteers": [str(alice.public_id)]},
    )
    assert proposing.status_code == 400
    assert client_b.get("/api/proposals/").json()["count"] == 0
    assert client_b.get("/api/circles/").json()["count"] == 0
    with in_brand(brand_a):
        assert sorted(Proposal.objects.values_list("status", flat=True)) == [
            "accepted",
            "confirmed",
        ]
        assert Circle.objects.get(person=person).status == "open"
        assert CircleMembership.objects.filter(left_at__isnull=True).count() == 1


# --- The last-place race: real threads, real connections, committed data -----------------------


@pytest.fixture
def race_brand(django_db_setup, django_db_blocker):
    """A brand of its own with committed data (threads on their own connections must see it):
    a person with ONE place, two validated volunteers with a pending proposal each, auto-confirm
    on. Dropped afterwards."""
    from django.db import connection
    from django_tenants.utils import tenant_context

    from tenants import schemas
    from tenants.models import Association
    from tenants.services import provision_brand

    with django_db_blocker.unblock():
        brand = provision_brand(
            slug="race-core",
            name="Race",
            admin_email="admin@race.example",
            send_invitation=False,
            use_pool=False,
        ).association
        try:
            set_flag(brand, "auto_confirm_matches", True)
            with tenant_context(brand):
                from accounts.models import User
                from matching.services import propose
                from people.models import Person
                from volunteers.models import VolunteerProfile

                coordinator = User.objects.create_user(email="c@race.example", role="coordinator")
                person = Person.objects.create(
                    first_name="Yvonne",
                    last_name="Martin",
                    max_volunteers=1,
                    latitude=48.85,
                    longitude=2.35,
                    coordinator=coordinator,
                )
                volunteers = []
                for name in ("Une", "Deux"):
                    user = User.objects.create_user(
                        email=f"{name.lower()}@race.example", full_name=name
                    )
                    VolunteerProfile.objects.create(
                        user=user, status="validated", latitude=48.85, longitude=2.35
                    )
                    volunteers.append(user)
                proposals = propose(acting_user=coordinator, person=person, volunteers=volunteers)
            yield brand, person, proposals
        finally:
            connection.set_schema_to_public()
            schemas.drop_schema(brand.schema_name)
            Association.objects.filter(pk=brand.pk).delete()


def test_two_volunteers_accept_the_last_place_one_wins(race_brand, django_db_blocker):
    from django.core.exceptions import ValidationError
    from django.db import connection

    brand, person, proposals = race_brand
    barrier = threading.Barrier(len(proposals))
    results: dict[str, str] = {}

    def accept(proposal):
        from matching.services import respond

        try:
            connection.set_tenant(brand)
            barrier.wait(timeout=10)
            respond(proposal=proposal, acting_user=proposal.volunteer, accept=True)
            results[proposal.volunteer.full_name] = "won"
        except ValidationError as exc:
            results[proposal.volunteer.full_name] = exc.messages[0]
        finally:
            connection.close()

    with django_db_blocker.unblock():
        threads = [threading.Thread(target=accept, args=(p,)) for p in proposals]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(results.values()) == [
            "Désolé, le cercle de Yvonne M. est déjà complet : un autre bénévole vient de prendre la dernière place. "
            "Votre coordinateur vous proposera quelqu’un d’autre.",
            "won",
        ]
        from django_tenants.utils import tenant_context
        from matching.models import CircleMembership, Proposal

        with tenant_context(brand):
            [membership] = CircleMembership.objects.all()
            winner = next(name for name, outcome in results.items() if outcome == "won")
            assert membership.volunteer.full_name == winner
            statuses = dict(Proposal.objects.values_list("volunteer__full_name", "status"))
            loser = next(name for name in statuses if name != winner)
            assert statuses == {winner: "confirmed", loser: "pending"}
