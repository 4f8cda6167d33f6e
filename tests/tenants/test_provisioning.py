"""Provisioning: one service, atomic, validated, serialised, and fast by cloning."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context

from tenants import schemas, services
from tenants.models import Association, Domain


def schema_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {row[0] for row in cursor.fetchall()}


def snapshot():
    return (
        schema_names(),
        set(Association.objects.values_list("slug", flat=True)),
        set(Domain.objects.values_list("domain", flat=True)),
    )


def provision(**overrides):
    kwargs = dict(
        slug="gamma", name="Gamma Asso", admin_email="Admin@Gamma.example", send_invitation=False
    )
    kwargs.update(overrides)
    return services.provision_brand(**kwargs)


@pytest.mark.parametrize("use_pool", [True, False])
def test_provision_creates_schema_tenant_domains_admin_and_invitation(
    db, django_capture_on_commit_callbacks, use_pool
):
    with django_capture_on_commit_callbacks(execute=True):
        result = provision(domains=["benevoles.gamma.org"], send_invitation=True, use_pool=use_pool)
    brand = result.association
    assert result.method == ("pool" if use_pool else "clone")
    assert brand.slug == "gamma" and brand.schema_name == "gamma" and brand.status == "active"
    assert "gamma" in schema_names()
    assert sorted(Domain.objects.filter(tenant=brand).values_list("domain", "is_primary")) == [
        ("benevoles.gamma.org", False),
        ("gamma.localhost", True),
    ]
    from accounts.models import Invitation, User

    with schema_context("gamma"):
        admin = User.objects.get()
        assert admin.email == "admin@gamma.example"
        assert admin.role == "brand_admin" and admin.is_staff and not admin.has_usable_password()
        assert Invitation.objects.filter(user=admin, accepted_at=None).count() == 1
        # the clone arrived fully migrated: nothing left to apply
        assert not schemas.missing_migrations("gamma")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["admin@gamma.example"]
    assert result.invitation_url in mail.outbox[0].body
    assert result.invitation_url.startswith("http")


def test_the_invitation_link_lets_the_admin_set_a_password_and_sign_in(db):
    from django.test import Client

    result = provision()
    client = Client(HTTP_HOST="gamma.localhost")
    path = result.invitation_url.split("gamma.localhost", 1)[1].lstrip(":0123456789")
    assert client.get(path).status_code == 200
    response = client.post(
        path, {"password1": "a good long passphrase", "password2": "a good long passphrase"}
    )
    assert response.status_code == 302
    assert client.get(path).status_code == 404  # used once
    assert Client(HTTP_HOST="gamma.localhost").login(
        username="admin@gamma.example", password="a good long passphrase"
    )


def test_cloned_sequences_do_not_collide(db, make_user):
    result = provision(use_pool=False)
    first = make_user(result.association, email="one@example.org")
    second = make_user(result.association, email="two@example.org")
    assert second.pk == first.pk + 1


def test_provision_from_the_spare_pool_is_a_rename(db):
    schemas.fill_spare_pool(1)
    spares = schemas.list_spares()
    result = provision()
    assert result.method == "pool"
    assert spares[0] not in schema_names() and "gamma" in schema_names()
    assert schemas.list_spares() == spares[1:]
    assert not schemas.missing_migrations("gamma")


def test_fill_spare_pool_tops_up_to_the_size(db):
    existing = len(schemas.list_spares())
    assert schemas.fill_spare_pool(existing + 1) == 1
    assert len(schemas.list_spares()) == existing + 1
    assert schemas.fill_spare_pool(existing + 1) == 0


def test_a_stale_spare_is_dropped_not_used(db):
    schemas.fill_spare_pool(1)
    spares = schemas.list_spares()
    with connection.cursor() as cursor:
        for spare in spares:  # as after a deploy that added a migration
            cursor.execute(f'DELETE FROM "{spare}".django_migrations WHERE app = %s', ["accounts"])
    result = provision()
    assert result.method == "clone"
    assert not set(spares) & schema_names()


def test_missing_template_falls_back_to_migrations_loudly(db, capsys):
    template = schemas.template_schema()
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER SCHEMA "{template}" RENAME TO "hidden_template"')
    result = provision(use_pool=False)
    assert result.method == "migrations"
    assert "FALLING BACK" in capsys.readouterr().err
    assert not schemas.missing_migrations("gamma")


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"slug": ""}, "slug", "required"),
        ({"slug": "Has Spaces"}, "slug", "not valid"),
        ({"slug": "-gamma"}, "slug", "not valid"),
        ({"slug": "gamma-"}, "slug", "not valid"),
        ({"slug": "ga--mma"}, "slug", "not valid"),
        ({"slug": "9lives"}, "slug", "not valid"),
        ({"slug": "g"}, "slug", "between"),
        ({"slug": "x" * 41}, "slug", "between"),
        ({"slug": "www"}, "slug", "reserved"),
        ({"slug": "api"}, "slug", "reserved"),
        ({"slug": "admin"}, "slug", "reserved"),
        ({"slug": "public"}, "slug", "reserved"),
        ({"slug": "static"}, "slug", "reserved"),
        ({"slug": "pg-catalog"}, "slug", "reserved"),
        ({"name": "  "}, "name", "required"),
        ({"admin_email": "not-an-email"}, "admin_email", "not a valid e-mail"),
        ({"admin_email": ""}, "admin_email", "required"),
        ({"domains": ["bad_host!.org"]}, "domains", "not a valid host name"),
        ({"domains": ["-lead.example.org"]}, "domains", "not a valid host name"),
        ({"domains": ["nodot"]}, "domains", "not a full domain name"),
        ({"domains": ["beta.localhost"]}, "domains", "belongs to the platform"),
    ],
)
def test_validation_failures_have_clear_messages_and_create_nothing(db, overrides, field, fragment):
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        provision(**overrides)
    messages = excinfo.value.message_dict[field]
    assert any(fragment in m for m in messages), messages
    assert snapshot() == before


def test_existing_slug_is_a_clear_error(db):
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        provision(slug="alpha")
    assert excinfo.value.message_dict["slug"] == ["A brand with the slug “alpha” already exists."]
    assert snapshot() == before


def test_domain_already_in_use_is_a_clear_error(brand_a):
    services.add_domain(association=brand_a, domain="shared.example.org")
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        provision(domains=["shared.example.org"])
    assert excinfo.value.message_dict["domains"] == [
        "The domain “shared.example.org” is already in use by another brand."
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("failing_step", "use_pool"),
    # every step on the spare-pool path (the default), and the clone path once its schema exists
    [(name, True) for name, _ in services.PROVISIONING_STEPS] + [("create_admin", False)],
)
def test_a_failure_at_any_step_leaves_nothing_behind(db, monkeypatch, failing_step, use_pool):
    if use_pool:
        schemas.fill_spare_pool(1)
    before = snapshot()

    def boom(ctx):
        raise RuntimeError(f"injected failure in {failing_step}")

    steps = tuple(
        (name, boom if name == failing_step else fn) for name, fn in services.PROVISIONING_STEPS
    )
    monkeypatch.setattr(services, "PROVISIONING_STEPS", steps)
    with pytest.raises(RuntimeError, match="injected"):
        provision(use_pool=use_pool)
    assert snapshot() == before  # no schema, no tenant row, no domain row; the spare is back
    assert "gamma" not in schema_names()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'gamma'"
        )
        assert cursor.fetchone()[0] == 0


def test_provisioning_is_serialised_by_an_advisory_lock(db, django_db_blocker):
    """While another session holds the provisioning lock, provisioning waits (here: times out)."""
    import psycopg

    params = {
        k: v
        for k, v in connection.get_connection_params().items()
        if k in ("dbname", "user", "password", "host", "port")
    }
    before = snapshot()
    with psycopg.connect(**params) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [schemas.PROVISIONING_LOCK_KEY])
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '300ms'")
        with pytest.raises(Exception, match="lock timeout"):
            provision()
        other.execute("SELECT pg_advisory_unlock(%s)", [schemas.PROVISIONING_LOCK_KEY])
    assert snapshot()[1:] == before[1:]


def test_suspend_and_reactivate(brand_a):
    services.suspend_brand(association=brand_a)
    assert Association.objects.get(pk=brand_a.pk).status == "suspended"
    services.reactivate_brand(association=brand_a)
    assert Association.objects.get(pk=brand_a.pk).status == "active"


def test_public_site_cannot_be_suspended(db):
    public = Association.objects.get(schema_name="public")
    with pytest.raises(ValidationError):
        services.suspend_brand(association=public)


def test_the_lean_clone_reproduces_the_template_exactly(db):
    """Same tables, columns, defaults, constraint and index names and definitions as the template
    (later migrations drop constraints and indexes by name), and the template's reference rows."""
    assert schemas.lean_clone_script(schemas.template_schema()) is not None
    with connection.cursor() as cursor:
        cursor.execute("SAVEPOINT lean")
    assert schemas.clone_from_template("lean_copy") == "lean"
    copy, template = (
        schemas.schema_signature("lean_copy"),
        schemas.schema_signature(schemas.template_schema()),
    )
    assert copy["columns"] == template["columns"]
    assert copy["constraints"] == template["constraints"]

    def index_heads(signature):
        # A partial index's predicate is re-parsed on replay and may print with casts moved
        # (ARRAY[...]::text[] vs ARRAY[...::text]); its name, table and columns must not change.
        return [(name, definition.split(" WHERE ")[0]) for name, definition in signature["indexes"]]

    assert index_heads(copy) == index_heads(template)
    assert schemas.applied_migrations("lean_copy") == schemas.applied_migrations(
        schemas.template_schema()
    )
    with connection.cursor() as cursor:
        cursor.execute('SELECT count(*) FROM "lean_copy".django_content_type')
        copied = cursor.fetchone()[0]
        cursor.execute(f'SELECT count(*) FROM "{schemas.template_schema()}".django_content_type')
        assert copied == cursor.fetchone()[0] > 0


def test_a_template_with_objects_the_lean_clone_does_not_know_uses_django_tenants_clone(db):
    template = schemas.template_schema()
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE VIEW "{template}".some_view AS SELECT 1 AS one')
    assert schemas.lean_clone_script(template) is None
    assert schemas.clone_from_template("full_copy") == "clone_schema"
    with connection.cursor() as cursor:
        cursor.execute('SELECT one FROM "full_copy".some_view')
        assert cursor.fetchone() == (1,)
