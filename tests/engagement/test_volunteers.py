"""Volunteer profiles: location by geocoded address (local fake of the address API) or map point,
availability, interests, languages; roles, invitations and self-signup."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PROFILE = "/api/volunteers/me/"


def test_address_is_geocoded_through_the_address_api(
    brand_a, client_a, make_user, login, in_brand, _geocoder
):
    volunteer = make_user(brand_a, role="volunteer")
    login(client_a, volunteer, brand_a)

    response = client_a.patch(
        PROFILE,
        {
            "address": "8 bd du Port Amiens",
            "radius_km": 7.5,
            "availability": ["tue_afternoon", "sat_morning"],
            "interests": ["chess"],
            "languages": ["fr", "ar"],
            "max_people": 3,
        },
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["address"] == "8 Boulevard du Port 80000 Amiens"
    assert (body["latitude"], body["longitude"]) == (49.897443, 2.290084)
    assert body["district"] == "Amiens (80000)"
    assert body["location_source"] == "address"
    assert body["radius_km"] == 7.5
    assert body["availability"] == ["tue_afternoon", "sat_morning"]
    assert body["languages"] == ["fr", "ar"]
    assert body["max_people"] == 3
    assert body["status"] == "in_progress"
    assert _geocoder.requests_seen == [("/search/", "8 bd du Port Amiens")]


def test_unknown_or_doubtful_address_is_a_field_error_and_changes_nothing(
    brand_a, client_a, make_user, login, in_brand
):
    volunteer = make_user(brand_a, role="volunteer")
    login(client_a, volunteer, brand_a)
    client_a.patch(PROFILE, {"latitude": 48.85, "longitude": 2.35}, content_type="application/json")

    for address in ("nowhere at all", "vaguement quelque part"):
        response = client_a.patch(PROFILE, {"address": address}, content_type="application/json")
        assert response.status_code == 400
        assert list(response.json()["error"]["fields"]) == ["address"]
    with in_brand(brand_a):
        volunteer.volunteer_profile.refresh_from_db()
        assert (volunteer.volunteer_profile.latitude, volunteer.volunteer_profile.address) == (
            48.85,
            "",
        )


def test_address_api_down_gives_a_clear_field_error(brand_a, client_a, make_user, login):
    login(client_a, make_user(brand_a, role="volunteer"), brand_a)
    response = client_a.patch(PROFILE, {"address": "boom"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "address": [
            "Le service d’adresses est injoignable pour le moment. Placez-vous plutôt sur la carte."
        ]
    }


def test_point_picked_on_a_map_needs_no_geocoding(brand_a, client_a, make_user, login, _geocoder):
    login(client_a, make_user(brand_a, role="volunteer"), brand_a)
    response = client_a.patch(
        PROFILE,
        {"latitude": 45.76, "longitude": 4.84, "address": "près de la gare"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["location_source"] == "map"
    assert response.json()["address"] == "près de la gare"
    assert _geocoder.requests_seen == []


def test_one_coordinate_alone_and_unknown_codes_are_refused(brand_a, client_a, make_user, login):
    login(client_a, make_user(brand_a, role="volunteer"), brand_a)
    assert client_a.patch(PROFILE, {"latitude": 45.0}, content_type="application/json").json()[
        "error"
    ]["fields"] == {"latitude": ["Indiquez la latitude et la longitude."]}
    response = client_a.patch(
        PROFILE, {"availability": ["someday"], "radius_km": 500}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"availability.0", "radius_km"}


def test_volunteer_cannot_list_or_read_other_volunteers(brand_a, client_a, make_volunteer, login):
    me = make_volunteer(brand_a)
    other = make_volunteer(brand_a)
    login(client_a, me, brand_a)
    assert client_a.get("/api/volunteers/").status_code == 403
    assert client_a.get(f"/api/volunteers/{other.public_id}/").status_code == 404
    assert client_a.get(f"/api/volunteers/{me.public_id}/").status_code == 200


def test_staff_list_filters_and_pins_its_queries(
    brand_a, client_a, coordinator_a, make_volunteer, login, django_assert_num_queries
):
    make_volunteer(brand_a, interests=["chess"], full_name="Alice Échecs")
    make_volunteer(brand_a, interests=["music"], full_name="Bob Musique")
    make_volunteer(brand_a, validated=False, full_name="Carl Nouveau")
    login(client_a, coordinator_a, brand_a)
    with django_assert_num_queries(10):
        response = client_a.get("/api/volunteers/?status=validated&interest=chess")
    assert [v["full_name"] for v in response.json()["results"]] == ["Alice Échecs"]
    names = [
        v["full_name"]
        for v in client_a.get("/api/volunteers/?ordering=user__full_name").json()["results"]
    ]
    assert names == ["Alice Échecs", "Bob Musique", "Carl Nouveau"]


def test_brand_b_gets_404_for_a_volunteer_of_brand_a(
    brand_a, brand_b, client_b, coordinator_b, make_volunteer, login, in_brand
):
    volunteer = make_volunteer(brand_a)
    login(client_b, coordinator_b, brand_b)
    for method, path, data in (
        ("get", f"/api/volunteers/{volunteer.public_id}/", None),
        ("patch", f"/api/volunteers/{volunteer.public_id}/", {"radius_km": 2}),
        ("get", f"/api/volunteers/{volunteer.public_id}/vetting/", None),
        ("post", f"/api/volunteers/{volunteer.public_id}/vetting/", {"step": "interview"}),
        ("post", f"/api/volunteers/{volunteer.public_id}/status/", {"status": "suspended"}),
    ):
        response = getattr(client_b, method)(path, data, content_type="application/json")
        assert response.status_code == 404, (method, path)
        assert response.json()["error"]["code"] == "not_found"
    with in_brand(brand_a):
        volunteer.volunteer_profile.refresh_from_db()
        assert (volunteer.volunteer_profile.radius_km, volunteer.volunteer_profile.status) == (
            5.0,
            "validated",
        )


# --- Roles: invitations, self-signup, tokens -----------------------------------------------------


def test_coordinator_invites_a_volunteer_who_gets_an_email(
    brand_a,
    client_a,
    coordinator_a,
    login,
    in_brand,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    login(client_a, coordinator_a, brand_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            "/api/invitations/",
            {"email": "New@Example.org", "full_name": "Nina Neuve"},
            content_type="application/json",
        )
    assert response.status_code == 201
    assert response.json()["member"]["role"] == "volunteer"
    assert "://alpha.localhost/accounts/invitation/" in response.json()["url"]
    assert [m.to for m in mailoutbox] == [["new@example.org"]]
    with in_brand(brand_a):
        from accounts.models import User

        assert not User.objects.get(email="new@example.org").has_usable_password()


def test_coordinator_cannot_invite_a_brand_admin_but_a_brand_admin_can(
    brand_a, client_a, coordinator_a, make_user, login, in_brand
):
    login(client_a, coordinator_a, brand_a)
    response = client_a.post(
        "/api/invitations/",
        {"email": "boss2@example.org", "role": "brand_admin"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["role"]
    admin = make_user(brand_a, role="brand_admin")
    login(client_a, admin, brand_a)
    response = client_a.post(
        "/api/invitations/",
        {"email": "boss2@example.org", "role": "brand_admin"},
        content_type="application/json",
    )
    assert response.status_code == 201


def test_volunteer_cannot_invite(brand_a, client_a, make_user, login, in_brand):
    login(client_a, make_user(brand_a, role="volunteer"), brand_a)
    response = client_a.post(
        "/api/invitations/", {"email": "x@example.org"}, content_type="application/json"
    )
    assert response.status_code == 403
    with in_brand(brand_a):
        from accounts.models import User

        assert not User.objects.filter(email="x@example.org").exists()


def _flag(brand, name, value, in_brand=None):
    from themes.services import set_theme

    set_theme(association=brand, tokens={"flags": {name: value}})


def test_self_signup_only_where_the_brand_allows_it(brand_a, client_a, in_brand):
    payload = {
        "email": "solo@example.org",
        "password": "a long enough password 42",
        "full_name": "Solo",
    }
    _flag(brand_a, "self_signup", False, in_brand)
    response = client_a.post("/api/signup/", payload, content_type="application/json")
    assert response.status_code == 404
    with in_brand(brand_a):
        from accounts.models import User

        assert not User.objects.filter(email="solo@example.org").exists()

    _flag(brand_a, "self_signup", True, in_brand)
    response = client_a.post("/api/signup/", payload, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["role"] == "volunteer"
    again = client_a.post("/api/signup/", payload, content_type="application/json")
    assert again.status_code == 400
    assert list(again.json()["error"]["fields"]) == ["email"]


def test_token_authentication_is_per_brand(brand_a, brand_b, client_a, client_b, make_user, login):
    user = make_user(brand_a, role="volunteer")
    login(client_a, user, brand_a)
    key = client_a.post("/api/tokens/", {"name": "cli"}, content_type="application/json").json()[
        "key"
    ]
    from django.test import Client

    fresh_a = Client(HTTP_HOST="alpha.localhost")
    fresh_b = Client(HTTP_HOST="beta.localhost")
    assert fresh_a.get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}").json()["email"] == user.email
    # Brand A's token is unknown in brand B: 401 with the token challenge, like a bad token.
    for client, header in ((fresh_b, f"Token {key}"), (fresh_a, "Token nope")):
        response = client.get("/api/me/", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert response.json()["error"]["code"] == "authentication_failed"
    anonymous = fresh_a.get("/api/me/")
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "not_authenticated"
    # A signed-in browser still uses its session.
    assert client_a.get("/api/me/").json()["email"] == user.email


def test_members_and_tokens_are_per_brand(
    brand_a, brand_b, client_a, client_b, coordinator_a, coordinator_b, make_user, login, in_brand
):
    member = make_user(brand_a, role="volunteer", full_name="Ana")
    login(client_a, member, brand_a)
    token_id = client_a.post("/api/tokens/", {"name": "x"}, content_type="application/json").json()[
        "id"
    ]
    login(client_b, coordinator_b, brand_b)
    assert client_b.get(f"/api/members/{member.public_id}/").status_code == 404
    assert (
        client_b.post(
            f"/api/members/{member.public_id}/role/",
            {"role": "coordinator"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert client_b.delete(f"/api/tokens/{token_id}/").status_code == 404
    emails = [m["email"] for m in client_b.get("/api/members/").json()["results"]]
    assert "coord@beta.example" in emails
    assert not [e for e in emails if e.endswith("alpha.example")]
    with in_brand(brand_a):
        member.refresh_from_db()
        assert member.role == "volunteer"
        assert member.api_tokens.count() == 1


def test_only_brand_admins_change_roles(
    brand_a, client_a, coordinator_a, make_user, login, in_brand
):
    member = make_user(brand_a, role="volunteer")
    login(client_a, coordinator_a, brand_a)
    url = f"/api/members/{member.public_id}/role/"
    assert (
        client_a.post(url, {"role": "coordinator"}, content_type="application/json").status_code
        == 403
    )
    login(client_a, make_user(brand_a, role="brand_admin"), brand_a)
    response = client_a.post(url, {"role": "coordinator"}, content_type="application/json")
    assert response.json()["role"] == "coordinator"
    with in_brand(brand_a):
        member.refresh_from_db()
        assert (member.role, member.is_staff) == ("coordinator", True)


def test_admin_permissions_follow_roles(
    brand_a, client_a, coordinator_a, make_user, login, in_brand
):
    member = make_user(brand_a, role="volunteer")
    with in_brand(brand_a):
        pk = member.pk
    login(client_a, coordinator_a, brand_a)
    assert client_a.get("/admin/volunteers/volunteerprofile/").status_code == 200
    assert client_a.get("/admin/accounts/user/").status_code == 200
    # a coordinator sees members but cannot change them (roles are the brand admin's)
    response = client_a.post(
        f"/admin/accounts/user/{pk}/change/", {"email": member.email, "role": "brand_admin"}
    )
    assert response.status_code == 403
    with in_brand(brand_a):
        member.refresh_from_db()
        assert member.role == "volunteer"
    assert client_a.get("/admin/volunteers/vettingstep/add/").status_code == 403
    login(client_a, make_user(brand_a, role="brand_admin"), brand_a)
    assert client_a.get("/admin/volunteers/vettingstep/add/").status_code == 200
