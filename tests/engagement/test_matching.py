"""Ranking candidates for a person: distance within each volunteer's radius, availability,
interests, languages, load; score and readable reasons; the SQL ranking equals the Python
reference."""

from __future__ import annotations

import random

import pytest

pytestmark = pytest.mark.django_db

PARIS = (48.8566, 2.3522)


def km_north(km: float) -> tuple[float, float]:
    return PARIS[0] + km / 111.2, PARIS[1]


def test_candidates_are_ranked_with_scores_and_readable_reasons(
    brand_a, client_a, coordinator_a, make_volunteer, make_person, login
):
    person = make_person(
        brand_a,
        latitude=PARIS[0],
        longitude=PARIS[1],
        preferred_times=["tue_afternoon"],
        interests=["chess"],
        languages=["fr"],
        coordinator=coordinator_a,
    )
    best = make_volunteer(
        brand_a,
        full_name="Alice Proche",
        latitude=km_north(2.1)[0],
        longitude=PARIS[1],
        radius_km=5,
        availability=["tue_afternoon", "sat_morning"],
        interests=["chess", "music"],
    )
    second = make_volunteer(
        brand_a,
        full_name="Bruno Loin",
        latitude=km_north(4)[0],
        longitude=PARIS[1],
        radius_km=5,
        availability=["mon_morning"],
        interests=["music"],
    )
    make_volunteer(
        brand_a,
        full_name="Chloé Hors Rayon",
        latitude=km_north(6)[0],
        longitude=PARIS[1],
        radius_km=5,
    )
    make_volunteer(
        brand_a,
        full_name="Denis Non Validé",
        latitude=km_north(1)[0],
        longitude=PARIS[1],
        validated=False,
    )
    make_volunteer(
        brand_a,
        full_name="Emma Complète",
        latitude=km_north(1)[0],
        longitude=PARIS[1],
        max_people=1,
    )
    from django_tenants.utils import schema_context
    from volunteers.models import VolunteerProfile

    with schema_context(brand_a.schema_name):
        VolunteerProfile.objects.filter(user__full_name="Emma Complète").update(current_load=1)

    login(client_a, coordinator_a, brand_a)
    response = client_a.get(f"/api/people/{person.public_id}/candidates/")

    assert response.status_code == 200
    body = response.json()
    assert [c["name"] for c in body] == ["Alice Proche", "Bruno Loin"]
    assert [c["volunteer"] for c in body] == [str(best.public_id), str(second.public_id)]
    assert (
        body[0]["summary"]
        == "2,1 km · mardi après-midi · aiment tous deux les échecs · parlent tous deux français · ne suit encore personne"
    )
    assert body[0]["distance_km"] == 2.1
    # 40*(1-2.1/5) + 25*1/3 + 20*1/3 + 10 + 5
    assert body[0]["score"] == pytest.approx(
        40 * (1 - body[0]["distance_km"] / 5) + 25 / 3 + 20 / 3 + 15, abs=0.01
    )


def test_reasons_follow_the_users_language(
    brand_a, client_a, coordinator_a, make_volunteer, make_person, login
):
    person = make_person(brand_a, preferred_times=["tue_afternoon"], interests=["chess"])
    make_volunteer(
        brand_a, latitude=km_north(2.1)[0], availability=["tue_afternoon"], interests=["chess"]
    )
    login(client_a, coordinator_a, brand_a)
    body = client_a.get(
        f"/api/people/{person.public_id}/candidates/", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert body[0]["reasons"][:3] == ["2.1 km", "Tuesday afternoon", "both like chess"]


def test_sql_ranking_equals_the_python_reference(brand_a, make_volunteer, make_person, in_brand):
    """The indexed query and the naive scorer agree on a random population (including people at
    the edge of volunteers' radii and volunteers with an expired state)."""
    from matching.selectors import rank_candidates, rank_candidates_naive
    from volunteers.models import VolunteerProfile

    rng = random.Random(7)
    slots = ["mon_morning", "tue_afternoon", "wed_evening", "sat_morning", "sun_afternoon"]
    interests = ["chess", "music", "reading", "cooking"]
    with in_brand(brand_a):
        from accounts.models import User

        users = User.objects.bulk_create(
            [User(email=f"r{i}@example.org", full_name=f"R {i}", password="!") for i in range(300)]
        )
        VolunteerProfile.objects.bulk_create(
            [
                VolunteerProfile(
                    user=u,
                    latitude=PARIS[0] + rng.uniform(-0.15, 0.15),
                    longitude=PARIS[1] + rng.uniform(-0.2, 0.2),
                    radius_km=rng.choice([2, 5, 10, 15]),
                    availability=rng.sample(slots, 2),
                    interests=rng.sample(interests, 2),
                    languages=rng.choice([["fr"], ["fr", "ar"], ["en"]]),
                    max_people=rng.choice([1, 2, 3]),
                    current_load=rng.choice([0, 0, 1, 3]),
                    status=rng.choice(["validated"] * 4 + ["in_progress"]),
                )
                for u in users
            ]
        )
        for i in range(5):
            person = make_person(
                brand_a,
                first_name=f"P{i}",
                latitude=PARIS[0] + rng.uniform(-0.1, 0.1),
                longitude=PARIS[1] + rng.uniform(-0.1, 0.1),
                preferred_times=rng.sample(slots, 2),
                interests=rng.sample(interests, 1),
                languages=rng.choice([["fr"], ["ar"]]),
            )
            ours = rank_candidates(person)
            naive = rank_candidates_naive(person)
            assert len(ours) == 20
            assert [(c.profile_id, c.score) for c in ours] == [
                (c.profile_id, c.score) for c in naive
            ]


def test_background_check_gates_matching_when_the_brand_requires_it(
    brand_a, make_volunteer, make_person, in_brand
):
    from datetime import timedelta

    from django.utils import timezone
    from matching.selectors import rank_candidates
    from volunteers.models import VettingStep, VolunteerProfile

    person = make_person(brand_a)
    in_date = make_volunteer(brand_a, latitude=km_north(1)[0])
    expired = make_volunteer(brand_a, latitude=km_north(1.5)[0])
    with in_brand(brand_a):
        assert {c.user_id for c in rank_candidates(person)} == {in_date.pk, expired.pk}
        VettingStep.objects.create(
            key="casier",
            name="Extrait de casier judiciaire",
            kind="background_check",
            position=25,
            validity_days=365,
        )
        today = timezone.localdate()
        VolunteerProfile.objects.filter(user=in_date).update(
            background_check_expires_on=today + timedelta(days=30)
        )
        VolunteerProfile.objects.filter(user=expired).update(
            background_check_expires_on=today - timedelta(days=1)
        )
        assert [c.user_id for c in rank_candidates(person)] == [in_date.pk]


def test_people_without_coordinates_get_no_candidates(
    brand_a, make_volunteer, make_person, in_brand
):
    from matching.selectors import rank_candidates

    make_volunteer(brand_a)
    person = make_person(brand_a, latitude=None, longitude=None)
    with in_brand(brand_a):
        assert rank_candidates(person) == []


def test_candidates_are_staff_only_and_brand_scoped(
    brand_a, brand_b, client_a, client_b, coordinator_b, make_volunteer, make_person, login
):
    person = make_person(brand_a)
    volunteer = make_volunteer(brand_a)
    login(client_a, volunteer, brand_a)
    assert client_a.get(f"/api/people/{person.public_id}/candidates/").status_code == 403
    login(client_b, coordinator_b, brand_b)
    assert client_b.get(f"/api/people/{person.public_id}/candidates/").status_code == 404


def test_matching_never_reaches_another_brands_volunteers(
    brand_a, brand_b, make_volunteer, make_person, in_brand
):
    make_volunteer(brand_b, latitude=km_north(0.5)[0])
    person = make_person(brand_a)
    from matching.selectors import rank_candidates

    with in_brand(brand_a):
        assert rank_candidates(person) == []
