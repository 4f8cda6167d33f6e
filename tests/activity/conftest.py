"""Fixtures of the activity tests (visits, outings, messaging): a person with a circle and its
volunteers, made directly with the ORM inside a brand's schema (test data, not behaviour)."""

from __future__ import annotations

import itertools

import pytest

_seq = itertools.count(1)


@pytest.fixture
def make_circle(make_user):
    """`make_circle(brand, volunteers=1, coordinator=None)` -> SimpleNamespace(person, circle,
    volunteers, coordinator). The person's coordinator is created unless given."""
    from types import SimpleNamespace

    from django_tenants.utils import tenant_context

    def factory(
        brand,
        *,
        volunteers=1,
        coordinator=None,
        first_name="Jeanne",
        last_name="Martin",
        **person_fields,
    ):
        n = next(_seq)
        if coordinator is None:
            coordinator = make_user(
                brand,
                email=f"coord{n}@{brand.slug}.example",
                role="coordinator",
                full_name=f"Coordinatrice {n}",
            )
        members = [
            make_user(
                brand,
                email=f"vol{n}-{i}@{brand.slug}.example",
                role="volunteer",
                full_name=f"Bénévole {n}-{i}",
            )
            for i in range(volunteers)
        ]
        with tenant_context(brand):
            from matching.models import Circle, CircleMembership
            from people.models import Person

            person = Person.objects.create(
                first_name=first_name,
                last_name=last_name,
                coordinator=coordinator,
                district="Centre",
                **person_fields,
            )
            circle = Circle.objects.create(person=person, title=f"Les amis de {first_name}")
            for member in members:
                CircleMembership.objects.create(circle=circle, volunteer=member)
        return SimpleNamespace(
            person=person, circle=circle, volunteers=members, coordinator=coordinator
        )

    return factory


@pytest.fixture
def set_flags():
    """`set_flags(brand, visit_log=False, ...)`: change the brand's feature flags (rolled back)."""

    def do(brand, **flags):
        from themes.services import set_theme

        set_theme(association=brand, tokens={"flags": flags})

    return do


@pytest.fixture
def notifications():
    """`notifications(brand, kind)`: the outbox rows of that kind in the brand, as
    (recipient email, idempotency key) pairs of the e-mail channel, sorted."""
    from django_tenants.utils import tenant_context

    def rows(brand, kind):
        with tenant_context(brand):
            from worker.models import Notification

            return sorted(
                Notification.objects.filter(kind=kind, channel="email").values_list(
                    "recipient__email", "idempotency_key"
                )
            )

    return rows
