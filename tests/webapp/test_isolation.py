"""Two brands: a member of brand B reaches none of brand A's objects through the web app, and
changes nothing by trying."""

import uuid

from django.utils import timezone


def test_brand_b_gets_404_for_every_brand_a_object(
    world, client_b, brand_b, in_brand, login, make_user
):
    from matching.models import Proposal
    from messaging.models import Message
    from visits.models import Visit

    intruder = make_user(
        brand_b, email=world.vol.email, role="volunteer"
    )  # same e-mail, other brand
    login(client_b, intruder, brand_b)
    urls = [
        f"/people/{world.jeanne.public_id}/",
        f"/people/{world.jeanne.public_id}/visit/",
        f"/people/{world.paul.public_id}/",
        f"/proposals/{world.proposal.public_id}/",
        f"/circles/{world.circle.public_id}/messages/",
    ]
    for url in urls:
        assert client_b.get(url).status_code == 404, url
    visit = {
        "kind": "visit",
        "occurred_on": timezone.localdate().isoformat(),
        "duration_minutes": "30",
        "mood": "worried",
        "idempotency_key": str(uuid.uuid4()),
    }
    assert client_b.post(f"/people/{world.jeanne.public_id}/visit/", visit).status_code == 404
    assert (
        client_b.post(f"/proposals/{world.proposal.public_id}/", {"answer": "accept"}).status_code
        == 404
    )
    assert (
        client_b.post(f"/circles/{world.circle.public_id}/messages/", {"body": "x"}).status_code
        == 404
    )
    home = client_b.get("/").content.decode()
    assert "Jeanne" not in home and "Paul" not in home
    with in_brand(world.brand):
        assert not Visit.objects.exists()
        assert Proposal.objects.get(pk=world.proposal.pk).status == "pending"
        assert not Message.objects.exists()


def test_a_brand_a_session_does_not_open_brand_b(world, vol_client, client_b, brand_b):
    client_b.cookies = vol_client.cookies  # the cookie is host-only; even if replayed...
    response = client_b.get("/settings/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_export_holds_nothing_of_the_other_brand(world, client_b, brand_b, login, make_user):
    import json

    other = make_user(brand_b, email=world.vol.email, role="volunteer")
    login(client_b, other, brand_b)
    data = json.loads(client_b.get("/my-data/export.json").content)
    assert (data["visits"], data["proposals"], data["circles"]) == ([], [], [])
    assert data["brand"] == brand_b.name
