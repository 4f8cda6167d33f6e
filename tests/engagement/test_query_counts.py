"""The remaining list endpoints of the engagement core keep a fixed number of queries, whatever
the number of rows (counts pinned with 3 rows of each; checked equal with 1 row)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_other_list_endpoints_pin_their_queries(
    brand_a,
    client_a,
    coordinator_a,
    make_volunteer,
    make_person,
    make_user,
    login,
    django_assert_num_queries,
):
    person = make_person(brand_a, coordinator=coordinator_a)
    for _ in range(3):
        make_volunteer(brand_a)
    login(client_a, coordinator_a, brand_a)
    for i in range(3):
        client_a.post("/api/tokens/", {"name": f"t{i}"}, content_type="application/json")
        client_a.get(f"/api/people/{person.public_id}/")  # audited reads
        client_a.post(
            f"/api/people/{person.public_id}/consents/",
            {"method": "phone", "purpose": "Appels"},
            content_type="application/json",
        )
    expected = {
        "/api/members/": 10,
        "/api/tokens/": 10,
        "/api/vetting-steps/": 10,
        "/api/person-access-log/": 10,
        # + the audited read of the person (one INSERT)
        f"/api/people/{person.public_id}/consents/": 12,
        f"/api/people/{person.public_id}/candidates/": 12,
    }
    for url, count in expected.items():
        with django_assert_num_queries(count):
            response = client_a.get(url)
        assert response.status_code == 200, url
    assert len(client_a.get(f"/api/people/{person.public_id}/candidates/").json()) == 3
    assert len(client_a.get(f"/api/people/{person.public_id}/consents/").json()) == 4
