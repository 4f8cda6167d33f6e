"""The demo seeder of the engagement core (`make run`): realistic and idempotent."""

from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.django_db


def test_demo_seeder_creates_validated_volunteers_people_and_circles_once(
    brand_a, make_user, in_brand
):
    from people.demo import seed_engagement

    spec = {
        "coordinator": ("animatrice@alpha.example", "Claire Animatrice"),
        "volunteers": [
            ("lea@alpha.example", "Léa Martin"),
            ("karim@alpha.example", "Karim Benali"),
            ("sophie@alpha.example", "Sophie Durand"),
        ],
    }
    make_user(
        brand_a, email=spec["coordinator"][0], full_name=spec["coordinator"][1], role="coordinator"
    )
    for email, name in spec["volunteers"]:
        make_user(brand_a, email=email, full_name=name, role="volunteer")

    def snapshot():
        from matching.models import Circle, CircleMembership, Proposal
        from people.models import ConsentRecord, Person
        from volunteers.models import VolunteerProfile

        return {
            "people": Person.objects.count(),
            "consents": ConsentRecord.objects.count(),
            "validated": VolunteerProfile.objects.filter(
                status="validated", latitude__isnull=False
            ).count(),
            "in_progress": VolunteerProfile.objects.filter(status="in_progress").count(),
            "circles": Circle.objects.count(),
            "members": CircleMembership.objects.filter(left_at__isnull=True).count(),
            "open_proposals": Proposal.objects.filter(status="pending").count(),
        }

    with in_brand(brand_a):
        seed_engagement(brand=brand_a, spec=spec, stdout=io.StringIO())
        first = snapshot()
        seed_engagement(brand=brand_a, spec=spec, stdout=io.StringIO())
        assert snapshot() == first
        from matching.models import Circle

        titles = sorted(Circle.objects.values_list("title", flat=True))
    assert first == {
        "people": 6,
        "consents": 6,
        "validated": 8,
        "in_progress": 1,
        "circles": 2,
        "members": 2,
        "open_proposals": 1,
    }
    assert titles == ["Les amis de Jeanne", "Les amis de Marcel"]
