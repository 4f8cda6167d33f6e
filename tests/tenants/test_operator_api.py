"""Operator API: public schema, authenticated operators only."""

import base64

import pytest

from tenants.models import Association

URL = "/api/operator/brands/"


def basic(email, password):
    return {
        "HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{email}:{password}".encode()).decode()
    }


@pytest.fixture
def operator(make_user):
    return make_user(None, email="op@entraide.example", role="operator")


@pytest.fixture
def operator_client(public_client, operator):
    public_client.force_login(operator)
    return public_client


def test_anonymous_gets_401(public_client):
    response = public_client.get(URL)
    assert response.status_code == 401
    assert public_client.post(URL, {}, content_type="application/json").status_code == 401


def test_public_non_operator_gets_403(public_client, make_user):
    user = make_user(None, email="staff@entraide.example", role="volunteer")
    public_client.force_login(user)
    assert public_client.get(URL).status_code == 403


def test_brand_admin_gets_403_on_their_brand_host(brand_a, client_a, make_user, login):
    admin = make_user(brand_a, email="boss@alpha.example", role="brand_admin")
    login(client_a, admin, brand_a)
    assert client_a.get(URL).status_code == 403
    assert client_a.post(URL, {"slug": "x"}, content_type="application/json").status_code == 403


def test_brand_user_credentials_do_not_work_on_the_public_host(brand_a, public_client, make_user):
    make_user(
        brand_a, email="boss@alpha.example", password="correct horse battery", role="brand_admin"
    )
    assert (
        public_client.get(URL, **basic("boss@alpha.example", "correct horse battery")).status_code
        == 401
    )


def test_operator_lists_brands(operator_client, django_assert_num_queries):
    # 5 queries (domain→tenant, session, user, brands, prefetched domains), each preceded by the
    # `SET search_path` that django-tenants issues per cursor; independent of the number of brands.
    with django_assert_num_queries(10):
        response = operator_client.get(URL)
    assert response.status_code == 200
    slugs = [b["slug"] for b in response.json()]
    assert slugs == ["alpha", "beta"]


def test_operator_with_basic_auth(public_client, operator):
    assert (
        public_client.get(URL, **basic("op@entraide.example", "correct horse battery")).status_code
        == 200
    )


def test_operator_provisions_a_brand(operator_client):
    response = operator_client.post(
        URL,
        {"slug": "zeta", "name": "Zeta", "admin_email": "z@zeta.example"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["brand"]["slug"] == "zeta" and body["brand"]["status"] == "active"
    assert body["brand"]["domains"] == ["zeta.localhost"]
    assert "/accounts/invitation/" in body["invitation_url"]
    assert Association.objects.filter(slug="zeta").exists()


def test_operator_gets_field_errors(operator_client):
    response = operator_client.post(
        URL,
        {"slug": "admin", "name": "Bad", "admin_email": "bad"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert "reserved" in body["slug"][0]
    assert "not a valid e-mail" in body["admin_email"][0]
    assert not Association.objects.filter(slug="admin").exists()


def test_operator_suspends_reactivates_and_adds_domain(operator_client, brand_a):
    assert operator_client.post(f"{URL}alpha/suspend/").json()["status"] == "suspended"
    assert operator_client.post(f"{URL}alpha/reactivate/").json()["status"] == "active"
    response = operator_client.post(
        f"{URL}alpha/domains/", {"domain": "alpha-asso.org"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert "alpha-asso.org" in response.json()["domains"]
    again = operator_client.post(
        f"{URL}beta/domains/", {"domain": "alpha-asso.org"}, content_type="application/json"
    )
    assert again.status_code == 400
    assert operator_client.get(f"{URL}nope/").status_code == 404


def test_accounts_are_deactivated_not_deleted_in_the_admin(public_client, operator, login):
    """Deleting a public user would cascade into brand-only tables; the admin offers no delete."""
    operator.is_superuser = True
    operator.is_staff = True
    operator.save(update_fields=["is_superuser", "is_staff"])
    login(public_client, operator)
    url = f"/admin/accounts/user/{operator.pk}/delete/"
    assert public_client.get(url).status_code == 403
