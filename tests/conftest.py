"""Session-wide test brands, created once by cloning (../shared/DESIGN.md "Code conventions" 7).

Two brands, `alpha` and `beta`, exist for the whole session; each test runs inside a transaction
that is rolled back, so anything a test creates (users, even whole brands) disappears after it.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

TEST_BRANDS = {"alpha": "Alpha Entraide", "beta": "Beta Solidarité"}
SESSION_SPARES = 2


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from tenants.services import ensure_public_tenant, provision_brand

    if not connection.settings_dict["NAME"].startswith("test"):
        # pytest-django creates the test database only when a collected test uses the database;
        # then it left us on the real DATABASE_URL database, which we must never write to.
        # (A fixture committing data with django_db_blocker.unblock() must depend on `db`.)
        yield
        return
    with django_db_blocker.unblock():
        ensure_public_tenant()
        for slug, name in TEST_BRANDS.items():
            provision_brand(
                slug=slug,
                name=name,
                admin_email=f"admin@{slug}.example",
                send_invitation=False,
                use_pool=False,
            )
        # Spare schemas, committed once: a test that provisions a brand claims one by renaming it,
        # and its rolled-back transaction gives it back. Tests stay fast however many tables the
        # template has; tests that need the clone path pass use_pool=False.
        from tenants.schemas import fill_spare_pool

        fill_spare_pool(SESSION_SPARES)
        connection.set_schema_to_public()
    yield


@pytest.fixture(autouse=True)
def _back_to_public():
    """Leave every test (and start the next) in the public schema."""
    yield
    connection.set_schema_to_public()


def _brand(slug):
    from tenants.models import Association

    return Association.objects.get(slug=slug)


@pytest.fixture
def brand_a(db):
    return _brand("alpha")


@pytest.fixture
def brand_b(db):
    return _brand("beta")


def host_of(brand) -> str:
    return brand.get_primary_domain().domain


@pytest.fixture
def client_a(brand_a):
    return Client(HTTP_HOST=host_of(brand_a))


@pytest.fixture
def client_b(brand_b):
    return Client(HTTP_HOST=host_of(brand_b))


@pytest.fixture
def public_client(db):
    from django.conf import settings

    return Client(HTTP_HOST=settings.BASE_DOMAIN)


@pytest.fixture
def in_brand():
    """Context manager to run ORM code inside a brand's schema: `with in_brand(brand_a): ...`."""
    from django_tenants.utils import tenant_context

    return tenant_context


@pytest.fixture
def login():
    """`login(client, user, brand)`: force_login inside the brand's schema (last_login is saved)."""
    from django_tenants.utils import schema_context

    def do(client, user, brand=None):
        with schema_context(brand.schema_name if brand is not None else "public"):
            client.force_login(user)
        return client

    return do


@pytest.fixture
def make_user():
    """Create a user in a brand's schema (or in public with brand=None)."""
    from django_tenants.utils import schema_context

    def factory(
        brand=None, *, email=None, password="correct horse battery", role="volunteer", **extra
    ):
        from accounts.models import User

        schema = brand.schema_name if brand is not None else "public"
        with schema_context(schema):
            email = email or f"{role}-{User.objects.count() + 1}@example.org"
            return User.objects.create_user(email=email, password=password, role=role, **extra)

    return factory
