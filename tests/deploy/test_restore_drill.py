"""Restore drill: back up one brand's schema with pg_dump, drop the schema, restore it with psql,
and the brand serves the same data as before (docs/operations.md "Back up and restore").

The brand is committed for real (pg_dump is another process and only sees committed data), so it
is provisioned inside `django_db_blocker.unblock()` and removed again at the end.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from tests.deploy.conftest import REPO

SLUG = "restoredrill"
PASSWORD = "restore drill password"


def _major(binary: str) -> int:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"\(PostgreSQL\)\s+(\d+)", out).group(1))


def client_binaries(server_major: int) -> tuple[str, str]:
    """pg_dump and psql whose version is at least the server's (pg_dump refuses older servers'
    newer formats): the system's, any /usr/lib/postgresql/*/bin, or pgserver's bundled ones."""
    candidates = [os.path.dirname(p) for p in filter(None, [shutil.which("pg_dump")])]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    candidates += glob.glob(str(REPO / ".venv/lib/python3*/site-packages/pgserver/pginstall/bin"))
    for directory in candidates:
        pg_dump, psql = Path(directory, "pg_dump"), Path(directory, "psql")
        if pg_dump.exists() and psql.exists() and _major(str(pg_dump)) >= server_major:
            return str(pg_dump), str(psql)
    pytest.skip(f"no pg_dump >= {server_major} on this machine")


def libpq_env() -> dict[str, str]:
    # Django's own connection parameters: they also carry a unix-socket host given in the URL's
    # query string (the embedded pgserver), which settings_dict["HOST"] does not.
    params = connection.get_connection_params()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PGDATABASE": connection.settings_dict["NAME"],
    }
    for key, var in (
        ("host", "PGHOST"),
        ("port", "PGPORT"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
    ):
        if params.get(key):
            env[var] = str(params[key])
    return env


def table_checksums(schema: str) -> dict[str, tuple[int, str]]:
    """Row count and an md5 of every row of every table in the schema: equal means same data."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema]
        )
        tables = [row[0] for row in cursor.fetchall()]
        sums = {}
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                f'FROM "{schema}"."{table}" t'
            )
            sums[table] = cursor.fetchone()
    return sums


def log_in(client: Client, email: str) -> None:
    response = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]


def is_signed_in(client: Client) -> bool:
    """The login page sends a signed-in member on (302) and shows the form to anyone else (200):
    the answer comes from the brand's session and user tables."""
    response = client.get("/accounts/login/")
    assert response.status_code in (200, 302)
    return response.status_code == 302


def server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def test_client_tools_at_least_as_new_as_the_server_are_found(db):
    # (Also makes pytest-django create the test database when this file runs on its own.)
    major = server_major()
    pg_dump, psql = client_binaries(major)
    assert _major(pg_dump) >= major and _major(psql) >= major


@pytest.fixture
def committed_brand(django_db_setup, django_db_blocker):
    from accounts.models import User
    from django_tenants.utils import schema_context

    from tenants import schemas
    from tenants.models import Association
    from tenants.services import provision_brand

    with django_db_blocker.unblock():
        result = provision_brand(
            slug=SLUG,
            name="Restore Drill",
            admin_email=f"admin@{SLUG}.example",
            send_invitation=False,
            use_pool=False,
        )
        brand = result.association
        with schema_context(brand.schema_name):
            User.objects.create_user(
                email=f"boss@{SLUG}.example",
                password=PASSWORD,
                role="brand_admin",
                full_name="Zoé Boss",
            )
            User.objects.create_user(
                email=f"vol@{SLUG}.example",
                password=PASSWORD,
                role="volunteer",
                full_name="Élie Volunteer",
            )
        connection.set_schema_to_public()
        try:
            yield brand
        finally:
            connection.set_schema_to_public()
            schemas.drop_schema(brand.schema_name)
            Association.objects.filter(pk=brand.pk).delete()
            assert not Association.objects.filter(slug=SLUG).exists()


def test_one_brand_survives_dump_drop_and_restore(committed_brand, django_db_blocker, tmp_path):
    from django_tenants.utils import schema_exists

    brand = committed_brand
    host = brand.get_primary_domain().domain
    with django_db_blocker.unblock():
        # A member signs in before the incident: session and last_login are brand data too.
        member = Client(HTTP_HOST=host)
        log_in(member, f"vol@{SLUG}.example")
        assert is_signed_in(member)
        assert not is_signed_in(Client(HTTP_HOST=host))
        before = table_checksums(brand.schema_name)
        assert before["accounts_user"][0] == 3
        assert before["django_session"][0] == 1

        pg_dump, psql = client_binaries(server_major())
        dump = tmp_path / f"{brand.schema_name}.sql"
        env = libpq_env()

        # 1. back up exactly this brand's schema (docs/operations.md has the same commands)
        subprocess.run(
            [pg_dump, "--schema", brand.schema_name, "--no-owner", "--file", str(dump)],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        text = dump.read_text()
        assert f"CREATE SCHEMA {brand.schema_name};" in text
        assert "template_brand" not in text and "alpha." not in text  # nothing from other schemas

        # 2. lose it: the brand no longer serves
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{brand.schema_name}" CASCADE')
        assert not schema_exists(brand.schema_name)

        # 3. restore it
        subprocess.run(
            [psql, "--no-psqlrc", "--quiet", "-v", "ON_ERROR_STOP=1", "--file", str(dump)],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        connection.set_schema_to_public()
        assert schema_exists(brand.schema_name)

        # 4. the same data, served: every row identical, the member is still signed in, the
        # passwords still work, and new rows get fresh ids (sequences restored too).
        assert table_checksums(brand.schema_name) == before
        assert is_signed_in(member)
        log_in(Client(HTTP_HOST=host), f"boss@{SLUG}.example")
        from accounts.models import User
        from django_tenants.utils import schema_context

        with schema_context(brand.schema_name):
            newcomer = User.objects.create_user(email=f"new@{SLUG}.example", password=PASSWORD)
            assert newcomer.pk > max(u.pk for u in User.objects.exclude(pk=newcomer.pk))
        connection.set_schema_to_public()
