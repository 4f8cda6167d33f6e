from types import SimpleNamespace

import pytest

from tests.webapp import factories


@pytest.fixture
def world(brand_a, in_brand):
    """Brand A: a coordinator, a validated volunteer with one person in their circle (Jeanne)
    and one pending proposal (Paul)."""
    with in_brand(brand_a):
        coord = factories.coordinator()
        vol = factories.volunteer(by=coord)
        jeanne = factories.person(by=coord)
        circle = factories.matched(by=coord, person=jeanne, volunteer=vol)
        paul = factories.person(
            by=coord, first_name="Paul", last_name="Durand", latitude=48.86, longitude=2.36
        )
        pending = factories.proposal(by=coord, person=paul, volunteer=vol)
    return SimpleNamespace(
        brand=brand_a,
        coord=coord,
        vol=vol,
        jeanne=jeanne,
        circle=circle,
        paul=paul,
        proposal=pending,
    )


@pytest.fixture
def vol_client(client_a, world, login):
    return login(client_a, world.vol, world.brand)
