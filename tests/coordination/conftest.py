"""Fixtures of the coordinator-workspace tests: staff clients per brand and small builders of
domain rows (created with the ORM inside the brand's schema; behaviour is tested through HTTP)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation


@pytest.fixture(autouse=True)
def english():
    """These tests assert the English wording (test_i18n.py checks the French default)."""
    with translation.override("en"):
        yield


@pytest.fixture
def staff_client(make_user, login):
    """`staff_client(client, brand, role="coordinator")` -> (client, user), signed in."""

    def build(client, brand, role="coordinator", **extra):
        user = make_user(
            brand, role=role, full_name=extra.pop("full_name", f"{role.title()} One"), **extra
        )
        login(client, user, brand)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client, user

    return build


@pytest.fixture
def build():
    return Builders()


class Builders:
    """Rows of the domain apps; call inside `in_brand(brand)`."""

    def volunteer(
        self,
        name="Vera Volunteer",
        *,
        status="validated",
        active=True,
        lat=48.85,
        lon=2.35,
        radius_km=5,
        availability=("tue_afternoon",),
        interests=("chess",),
        languages=("fr",),
        max_people=2,
        email=None,
    ):
        from accounts.models import User
        from volunteers.models import VolunteerProfile

        email = email or f"{name.split()[0].lower()}-{User.objects.count() + 1}@example.org"
        user = User.objects.create_user(
            email=email,
            password="correct horse battery",
            role="volunteer",
            full_name=name,
            is_active=active,
        )
        profile = VolunteerProfile.objects.create(
            user=user,
            status=status,
            latitude=lat,
            longitude=lon,
            radius_km=radius_km,
            availability=list(availability),
            interests=list(interests),
            languages=list(languages),
            max_people=max_people,
            district="11e",
            validated_at=timezone.now() if status == "validated" else None,
        )
        return profile

    def person(
        self,
        first="Paulette",
        last="Durand",
        *,
        status="active",
        lat=48.851,
        lon=2.351,
        last_contact_at=None,
        created_at=None,
        coordinator=None,
        **extra,
    ):
        from people.models import Person

        return Person.objects.create(
            first_name=first,
            last_name=last,
            status=status,
            latitude=lat,
            longitude=lon,
            district="11e",
            last_contact_at=last_contact_at,
            created_at=created_at or timezone.now(),
            coordinator=coordinator,
            preferred_times=extra.pop("preferred_times", ["tue_afternoon"]),
            interests=extra.pop("interests", ["chess"]),
            languages=extra.pop("languages", ["fr"]),
            **extra,
        )

    def circle(self, person, *volunteers, created_at=None):
        from matching.models import Circle, CircleMembership
        from volunteers.models import VolunteerProfile

        circle = Circle.objects.create(
            person=person,
            title=f"Les amis de {person.first_name}",
            created_at=created_at or timezone.now(),
        )
        for profile in volunteers:
            CircleMembership.objects.create(circle=circle, volunteer=profile.user)
            VolunteerProfile.objects.filter(pk=profile.pk).update(
                current_load=profile.current_load + 1
            )
        return circle

    def proposal(self, person, profile, *, status="pending", proposed_by=None):
        from matching.models import Proposal

        return Proposal.objects.create(
            person=person,
            volunteer=profile.user,
            status=status,
            proposed_by=proposed_by,
            expires_at=timezone.now() + dt.timedelta(days=7),
        )

    def visit(self, person, profile, *, mood="good", kind="visit", days_ago=0, minutes=60, note=""):
        from visits.models import Visit

        return Visit.objects.create(
            person=person,
            volunteer=profile.user if profile else None,
            kind=kind,
            mood=mood,
            occurred_on=timezone.localdate() - dt.timedelta(days=days_ago),
            duration_minutes=minutes,
            note=note,
        )

    def outing(self, title="Musée", *, starts_at, hours=2, capacity=10):
        from outings.models import Outing

        return Outing.objects.create(
            title=title,
            place="Paris",
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=hours),
            capacity=capacity,
        )
