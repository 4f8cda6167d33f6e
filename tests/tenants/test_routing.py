"""Routing by host: each brand sees only its own data; unknown hosts 404; suspended brands 503."""

import pytest

from tenants.services import set_brand_status, suspend_brand


def test_each_brand_serves_its_own_name(client_a, client_b):
    page_a = client_a.get("/").content.decode()
    page_b = client_b.get("/").content.decode()
    assert "Alpha Entraide" in page_a and "Beta Solidarité" not in page_a
    assert "Beta Solidarité" in page_b and "Alpha Entraide" not in page_b


def test_a_user_of_one_brand_cannot_sign_in_on_the_other(brand_a, client_a, client_b, make_user):
    make_user(brand_a, email="vol@example.org", password="correct horse battery")
    ok = client_a.post(
        "/accounts/login/", {"username": "vol@example.org", "password": "correct horse battery"}
    )
    assert ok.status_code == 302
    refused = client_b.post(
        "/accounts/login/", {"username": "vol@example.org", "password": "correct horse battery"}
    )
    assert refused.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client_b.session


def test_same_email_is_two_accounts_in_two_brands(brand_a, brand_b, make_user, in_brand):
    from accounts.models import User

    a = make_user(brand_a, email="same@example.org", full_name="In A")
    b = make_user(brand_b, email="same@example.org", full_name="In B")
    assert a.public_id != b.public_id
    with in_brand(brand_a):
        assert User.objects.get(email="same@example.org").full_name == "In A"
    with in_brand(brand_b):
        assert User.objects.get(email="same@example.org").full_name == "In B"


def test_session_cookie_is_host_only(brand_a, client_a, make_user):
    make_user(brand_a, email="c@example.org", password="correct horse battery")
    response = client_a.post(
        "/accounts/login/", {"username": "c@example.org", "password": "correct horse battery"}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["domain"] == ""


@pytest.mark.parametrize("host", ["nowhere.localhost", "example.com", "alpha.example.com"])
def test_unknown_host_gets_a_404_that_names_no_brand(db, host):
    from django.test import Client

    response = Client(HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="en").get("/")
    assert response.status_code == 404
    body = response.content.decode()
    assert (
        "Alpha" not in body and "Beta" not in body and "alpha" not in body.lower().replace(host, "")
    )
    assert "Check the address you typed" in body


def test_unknown_host_404_on_every_path(db):
    from django.test import Client

    for path in ("/admin/", "/api/operator/brands/", "/accounts/login/"):
        assert Client(HTTP_HOST="ghost.localhost").get(path).status_code == 404


def test_suspended_brand_answers_every_path_with_503_and_no_data(brand_a, client_a, make_user):
    make_user(brand_a, email="secret-volunteer@example.org", full_name="Secret Volunteer")
    suspend_brand(association=brand_a)
    for path in ("/", "/accounts/login/", "/admin/", "/api/operator/brands/", "/does-not-exist/"):
        response = client_a.get(path)
        assert response.status_code == 503, path
        body = response.content.decode()
        assert "Secret Volunteer" not in body and "secret-volunteer" not in body
        assert response["Retry-After"]


def test_suspension_does_not_touch_the_other_brand(brand_a, client_a, client_b):
    suspend_brand(association=brand_a)
    assert client_a.get("/").status_code == 503
    assert client_b.get("/").status_code == 200


def test_archived_brand_is_gone(brand_a, client_a):
    set_brand_status(association=brand_a, status="archived")
    assert client_a.get("/").status_code == 404


def test_public_site_is_the_bare_base_domain(public_client):
    response = public_client.get("/")
    assert response.status_code == 200
    assert "Alpha Entraide" not in response.content.decode()  # anonymous: no brand list


def test_www_prefix_is_the_same_brand(brand_a):
    from django.test import Client

    response = Client(HTTP_HOST=f"www.{brand_a.get_primary_domain().domain}").get("/")
    assert response.status_code == 200
    assert "Alpha Entraide" in response.content.decode()


def test_custom_domain_serves_the_brand(brand_a):
    from django.test import Client

    from tenants.services import add_domain

    add_domain(association=brand_a, domain="benevoles.alpha-asso.org")
    response = Client(HTTP_HOST="benevoles.alpha-asso.org").get("/")
    assert "Alpha Entraide" in response.content.decode()
