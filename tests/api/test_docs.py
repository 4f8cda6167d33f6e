"""The brand API publishes its OpenAPI schema and Swagger UI on brand hosts."""

import pytest

pytestmark = pytest.mark.django_db


def test_schema_and_swagger_ui_on_a_brand_host(brand_a, client_a, make_user, login):
    login(client_a, make_user(brand_a, role="coordinator"), brand_a)
    schema = client_a.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/people/{id}/",
        "/api/people/{id}/candidates/",
        "/api/proposals/{id}/accept/",
        "/api/circles/{id}/close/",
        "/api/volunteers/me/",
        "/api/volunteers/{id}/vetting/",
        "/api/invitations/",
        "/api/signup/",
        "/api/tokens/",
    ):
        assert path in paths, path
    assert "tokenAuth" in schema.json()["components"]["securitySchemes"]
    docs = client_a.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
