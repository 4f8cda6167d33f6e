"""Quality bars of the volunteer pages: pinned SQL query counts (they include django-tenants'
`SET search_path` statements) and at most 100 KB transferred on first load (the page, its CSS
and its JS; the brand's logo and icons excluded)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.webapp import factories

PAGE_BUDGET_BYTES = 100 * 1024


@pytest.fixture
def pages(world, in_brand):
    from outings.services import create_outing

    with in_brand(world.brand):
        start = timezone.now() + dt.timedelta(days=3)
        outing = create_outing(
            acting_user=world.coord,
            title="Concert",
            place="Salle des fêtes",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            capacity=10,
        )
    return {
        "home": "/",
        "person_full": f"/people/{world.jeanne.public_id}/",
        "person_reduced": f"/people/{world.paul.public_id}/",
        "visit_form": f"/people/{world.jeanne.public_id}/visit/",
        "proposal": f"/proposals/{world.proposal.public_id}/",
        "outings": "/outings/",
        "outing": f"/outings/{outing.public_id}/",
        "messages": f"/circles/{world.circle.public_id}/messages/",
        "settings": "/settings/",
        "my_data": "/my-data/",
        "charter": "/welcome/charter/",
        "profile": "/welcome/profile/",
        "offline": "/offline/",
    }


QUERY_COUNTS = {
    "home": 16,
    "person_full": 16,
    "person_reduced": 10,
    "visit_form": 8,
    "proposal": 10,
    "outings": 8,
    "outing": 8,
    "messages": 10,
    "settings": 14,
    "my_data": 6,
    "charter": 12,
    "profile": 8,
    "offline": 6,
}


def test_query_count_is_pinned(pages, vol_client):
    """One world for every page (building it is the slow part); each count is exact."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    vol_client.get("/")  # warm the per-process theme cache like any running server
    counts = {}
    for name in sorted(QUERY_COUNTS):
        with CaptureQueriesContext(connection) as queries:
            response = vol_client.get(pages[name])
        assert response.status_code == 200, name
        counts[name] = len(queries.captured_queries)
    assert counts == QUERY_COUNTS


def test_home_query_count_does_not_grow_with_data(
    pages, vol_client, world, in_brand, django_assert_num_queries
):
    from volunteers.models import VolunteerProfile

    with in_brand(world.brand):
        VolunteerProfile.objects.filter(user=world.vol).update(max_people=10)
        for first, last in (("Louise", "Petit"), ("Marcel", "Roux"), ("Odette", "Blanc")):
            someone = factories.person(by=world.coord, first_name=first, last_name=last)
            factories.matched(
                by=world.coord, person=someone, volunteer=world.vol
            ) if first != "Odette" else factories.proposal(
                by=world.coord, person=someone, volunteer=world.vol
            )
        from visits.services import log_visit

        for _ in range(3):
            log_visit(
                acting_user=world.vol,
                person=world.jeanne,
                kind="visit",
                occurred_on=timezone.localdate(),
                duration_minutes=30,
                mood="good",
            )
    vol_client.get("/")
    with django_assert_num_queries(QUERY_COUNTS["home"]):
        response = vol_client.get("/")
    html = response.content.decode()
    assert "Louise Petit" in html and "Marcel Roux" in html and "Odette B." in html


_ASSET = re.compile(
    r'<(?:link[^>]+rel="(?:stylesheet|manifest)"[^>]*href|script[^>]+src)="([^"]+)"'
)


def _first_load_bytes(client, url) -> tuple[int, list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    total = len(response.content)
    assets = sorted(set(_ASSET.findall(response.content.decode())))
    for asset in assets:
        got = client.get(asset)
        assert got.status_code == 200, asset
        total += len(b"".join(got.streaming_content) if got.streaming else got.content)
    return total, assets


def test_first_load_is_under_100_kb(pages, vol_client):
    for name in sorted(QUERY_COUNTS):
        total, assets = _first_load_bytes(vol_client, pages[name])
        assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets), (
            name
        )
        assert total <= PAGE_BUDGET_BYTES, (name, total, assets)


def test_signed_out_pages_are_under_budget(client_a, brand_a):
    for url in ("/", "/accounts/login/", "/offline/"):
        total, _assets = _first_load_bytes(client_a, url)
        assert total <= PAGE_BUDGET_BYTES, (url, total)


@pytest.mark.parametrize(
    "url,expected", [("/", 2), ("/signup/", 2), ("/offline/", 2), ("/accounts/login/", 2)]
)
def test_signed_out_query_counts_are_pinned(
    url, expected, client_a, brand_a, django_assert_num_queries
):
    client_a.get("/")
    with django_assert_num_queries(expected):
        assert client_a.get(url).status_code == 200
