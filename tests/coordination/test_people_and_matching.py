"""Register a person with consent, the person page (audited), matching and proposals, through
HTTP; two-brand isolation on every object URL."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PERSON_FORM = {
    "first_name": "Germaine",
    "last_name": "Lefort",
    "phone": "0102030405",
    "email": "",
    "address": "3 rue de la Paix",
    "district": "2e",
    "latitude": "48.869",
    "longitude": "2.331",
    "needs": ["visits", "calls"],
    "preferred_times": ["tue_afternoon"],
    "interests": ["chess"],
    "languages": ["fr"],
    "max_volunteers": "2",
    "notes": "Hard of hearing",
    "consent_method": "in_person",
    "consent_purpose": "Visits by volunteers",
    "consent_given_by": "",
}


def test_register_a_person_with_consent(client_a, brand_a, staff_client, in_brand):
    from people.models import ConsentRecord, Person, PersonAccessLog

    client, user = staff_client(client_a, brand_a)
    assert client.get("/coordination/people/new/").status_code == 200
    response = client.post("/coordination/people/new/", PERSON_FORM)
    assert response.status_code == 302
    with in_brand(brand_a):
        person = Person.objects.get(first_name="Germaine")
        assert response["Location"] == f"/coordination/people/{person.public_id}/"
        assert (person.last_name, person.needs, person.coordinator_id) == (
            "Lefort",
            ["visits", "calls"],
            user.pk,
        )
        consent = ConsentRecord.objects.get(person=person)
        assert (consent.method, consent.purpose, consent.recorded_by_id) == (
            "in_person",
            "Visits by volunteers",
            user.pk,
        )
        assert PersonAccessLog.objects.filter(person=person, action="create").count() == 1
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"Germaine Lefort" in page.content and b"Hard of hearing" in page.content
    with in_brand(brand_a):  # the staff read of the full record is audited, channel web
        assert (
            PersonAccessLog.objects.filter(
                person=person, action="view", channel="web", user=user
            ).count()
            == 1
        )


def test_register_errors_are_shown_field_by_field(client_a, brand_a, staff_client, in_brand):
    from people.models import Person

    client, _user = staff_client(client_a, brand_a)
    data = {
        **PERSON_FORM,
        "first_name": "",
        "consent_purpose": "",
        "latitude": "48.8",
        "longitude": "",
    }
    response = client.post("/coordination/people/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"first_name", "consent_purpose", "longitude"}
    assert b'id="id_first_name-errors"' in response.content
    with in_brand(brand_a):
        assert Person.objects.count() == 0


def test_matching_ranks_with_reasons_and_proposes(client_a, brand_a, staff_client, in_brand, build):
    from matching.models import Proposal

    client, user = staff_client(client_a, brand_a)
    with in_brand(brand_a):
        person = build.person("Marcel", "Match", coordinator=user)
        near = build.volunteer("Nina Near", lat=48.852, lon=2.352)
        build.volunteer("Farah Far", lat=48.95, lon=2.6, radius_km=2)  # out of her radius
        build.volunteer("Ivan Invalid", status="in_progress")
    page = client.get(f"/coordination/people/{person.public_id}/match/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nina Near" in html and "Farah Far" not in html and "Ivan Invalid" not in html
    assert "both like chess" in html
    response = client.post(
        f"/coordination/people/{person.public_id}/match/",
        {"volunteers": [str(near.user.public_id)], "message": "Elle aime les échecs"},
    )
    assert response.status_code == 302 and response["Location"] == "/coordination/proposals/"
    with in_brand(brand_a):
        proposal = Proposal.objects.get(person=person)
        assert (proposal.volunteer_id, proposal.status, proposal.proposed_by_id) == (
            near.user_id,
            "pending",
            user.pk,
        )
    listing = client.get("/coordination/proposals/").content.decode()
    assert "Marcel Match" in listing and "Nina Near" in listing


def test_confirm_an_accepted_proposal(client_a, brand_a, staff_client, in_brand, build):
    from matching.models import CircleMembership

    client, user = staff_client(client_a, brand_a)
    with in_brand(brand_a):
        person = build.person("Odette", "Ok")
        profile = build.volunteer("Victor Yes")
        proposal = build.proposal(person, profile, status="accepted", proposed_by=user)
    listing = client.get("/coordination/proposals/").content.decode()
    assert f"/coordination/proposals/{proposal.public_id}/confirm/" in listing
    response = client.post(f"/coordination/proposals/{proposal.public_id}/confirm/")
    assert response.status_code == 302
    with in_brand(brand_a):
        proposal.refresh_from_db()
        assert proposal.status == "confirmed"
        assert (
            CircleMembership.objects.filter(
                circle__person=person, volunteer=profile.user, left_at__isnull=True
            ).count()
            == 1
        )


def test_other_brand_gets_404_and_nothing_changes(
    client_b, brand_b, brand_a, staff_client, in_brand, build
):
    import datetime as dt

    from django.utils import timezone
    from matching.models import Proposal
    from outings.models import OutingSignup
    from people.models import PersonAccessLog

    with in_brand(brand_a):
        person = build.person("Secret", "Person")
        profile = build.volunteer("Alpha Volunteer")
        proposal = build.proposal(person, profile, status="accepted")
        outing = build.outing(starts_at=timezone.now() + dt.timedelta(days=3))
    client, _user = staff_client(client_b, brand_b)
    for url in (
        f"/coordination/people/{person.public_id}/",
        f"/coordination/people/{person.public_id}/match/",
        f"/coordination/outings/{outing.public_id}/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            f"/coordination/people/{person.public_id}/match/",
            {"volunteers": [str(profile.user.public_id)]},
        ).status_code
        == 404
    )
    for action in ("confirm", "withdraw"):
        assert (
            client.post(f"/coordination/proposals/{proposal.public_id}/{action}/").status_code
            == 404
        )
    assert (
        client.post(
            f"/coordination/outings/{outing.public_id}/participants/",
            {"person": str(person.public_id)},
        ).status_code
        == 404
    )
    assert "Secret Person" not in client.get("/coordination/people/").content.decode()
    with in_brand(brand_a):
        proposal.refresh_from_db()
        assert proposal.status == "accepted"
        assert Proposal.objects.filter(person=person).count() == 1
        assert PersonAccessLog.objects.filter(person=person).count() == 0
        assert OutingSignup.objects.count() == 0


@pytest.mark.parametrize(
    "url,expected",
    [
        ("/coordination/people/", 8),
        ("/coordination/proposals/", 8),
        ("/coordination/vetting/", 12),
        ("/coordination/impact/", 10),
        ("/coordination/people/new/", 6),
        ("/coordination/volunteers/", 8),
    ],
)
def test_list_pages_have_a_fixed_query_count(
    client_a, brand_a, staff_client, in_brand, build, url, expected, django_assert_num_queries
):
    client, _user = staff_client(client_a, brand_a)
    client.get(url)

    def add_rows(n):
        with in_brand(brand_a):
            for i in range(n):
                person = build.person(f"P{i}", "Row")
                profile = build.volunteer(f"V{i} Row")
                build.volunteer(f"W{i} Waiting", status="in_progress")
                build.proposal(person, profile, status="accepted")
                build.circle(person, profile)
                build.visit(person, profile)

    add_rows(2)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    add_rows(3)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_object_pages_have_a_fixed_query_count(
    client_a, brand_a, staff_client, in_brand, build, django_assert_num_queries
):
    """The person page, the matching screen, the outings pages and the CSV: the same number of
    queries with more circle members, proposals, visits, candidates and sign-ups."""
    import datetime as dt

    from django.utils import timezone
    from outings.models import OutingSignup

    client, user = staff_client(client_a, brand_a)
    with in_brand(brand_a):
        person = build.person("Pinned", "Person", max_volunteers=10)
        outing = build.outing(starts_at=timezone.now() + dt.timedelta(days=3), capacity=50)
    urls = {
        f"/coordination/people/{person.public_id}/": PAGE_QUERIES["person"],
        f"/coordination/people/{person.public_id}/match/": PAGE_QUERIES["match"],
        "/coordination/outings/": PAGE_QUERIES["outings"],
        f"/coordination/outings/{outing.public_id}/": PAGE_QUERIES["outing"],
        "/coordination/impact.csv": PAGE_QUERIES["csv"],
    }

    def grow(n, start):
        with in_brand(brand_a):
            for i in range(start, start + n):
                member = build.volunteer(f"Member{i} Pinned")
                from matching.models import Circle, CircleMembership

                circle = Circle.objects.filter(person=person).first() or build.circle(person)
                CircleMembership.objects.create(circle=circle, volunteer=member.user)
                build.volunteer(f"Candidate{i} Pinned")
                build.proposal(person, build.volunteer(f"Proposed{i} Pinned"))
                build.visit(person, member, mood="worried" if i % 2 else "good")
                other = build.person(f"Guest{i}", "Pinned")
                OutingSignup.objects.create(outing=outing, person=other, registered_by=user)
                OutingSignup.objects.create(
                    outing=outing, volunteer=member.user, registered_by=user
                )

    for url in urls:
        client.get(url)
    grow(1, 0)
    for url, expected in urls.items():
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200
    grow(3, 1)
    for url, expected in urls.items():
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200


# (each count includes the SET search_path django-tenants issues before some statements)
PAGE_QUERIES = {"person": 20, "match": 12, "outings": 8, "outing": 12, "csv": 10}
