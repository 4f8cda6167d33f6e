"""Low-level schema operations behind provisioning: the template schema, cloning, and the pool of
spare schemas.

How a brand's schema comes to exist, fastest first (docs/adr/0003-provisioning.md):

1. **Claim a spare.** A spare is a clone of the template made ahead of time. Claiming it is
   `ALTER SCHEMA spare_x RENAME TO brand`: a catalogue update, milliseconds.
2. **Clone the template.** django-tenants' bundled PL/pgSQL `clone_schema` copies the template's
   tables, indexes, sequences and rows. The template is migrated by `migrate_schemas` and holds no
   data but what migrations put there (`django_migrations`, content types, permissions), so the
   clone arrives fully migrated and nothing needs faking.
3. **Run the migrations** (stock django-tenants). Only when the template is missing: that is a
   deployment fault, so it is said loudly.
"""

from __future__ import annotations

import functools
import logging
import sys
import uuid

from django.conf import settings
from django.db import connection, transaction
from django_tenants.clone import CLONE_SCHEMA_FUNCTION
from django_tenants.utils import schema_exists

logger = logging.getLogger("entraide.provisioning")

# One key for every operation that creates or renames brand schemas: provisioning, pool refills,
# template migration. `clone_schema` must not be redefined while another session runs it.
PROVISIONING_LOCK_KEY = 0x656E7472  # "entr"


def template_schema() -> str:
    return settings.TENANT_BASE_SCHEMA


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def take_provisioning_lock() -> None:
    """Serialise schema-creating work across processes, until the surrounding transaction ends."""
    if not connection.in_atomic_block:
        raise RuntimeError("take_provisioning_lock() must be called inside transaction.atomic()")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PROVISIONING_LOCK_KEY])


def install_clone_function() -> None:
    db_user = settings.DATABASES["default"].get("USER") or "postgres"
    with connection.cursor() as cursor:
        cursor.execute(CLONE_SCHEMA_FUNCTION.format(db_user=db_user))


def _clone_function_installed() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE p.proname = 'clone_schema' AND n.nspname = 'public'"
        )
        return cursor.fetchone() is not None


@functools.lru_cache(maxsize=1)
def expected_migrations() -> frozenset[tuple[str, str]]:
    """Every migration on disk: a current brand schema has recorded all of them."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.disk_migrations.keys())


def applied_migrations(schema: str) -> frozenset[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {quote(schema)}.django_migrations")
        return frozenset(cursor.fetchall())


def missing_migrations(schema: str) -> frozenset[tuple[str, str]]:
    return expected_migrations() - applied_migrations(schema)


def schema_is_current(schema: str) -> bool:
    return schema_exists(schema) and not missing_migrations(schema)


def clone_from_template(new_schema: str) -> None:
    if not _clone_function_installed():
        install_clone_function()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT public.clone_schema(%s, %s, 'DATA')", [template_schema(), new_schema]
        )


def migrate_schema(schema: str, *, verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command(
        "migrate_schemas", tenant=True, schema_name=schema, interactive=False, verbosity=verbosity
    )
    connection.set_schema_to_public()


def drop_schema(schema: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {quote(schema)} CASCADE")


def rename_schema(old: str, new: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER SCHEMA {quote(old)} RENAME TO {quote(new)}")


def list_spares() -> list[str]:
    prefix = settings.SPARE_SCHEMA_PREFIX
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s) ORDER BY nspname",
            [prefix],
        )
        return [row[0] for row in cursor.fetchall()]


def claim_spare(new_schema: str) -> str | None:
    """Rename a current spare to `new_schema`; drop stale ones on the way. Caller holds the lock.

    A spare is current when it has recorded every migration on disk (spares are not tenants, so
    `migrate_schemas` does not visit them; a deploy that adds a migration makes them stale).
    """
    for spare in list_spares():
        if missing_migrations(spare):
            logger.info("dropping stale spare schema %s", spare)
            drop_schema(spare)
            continue
        rename_schema(spare, new_schema)
        return spare
    return None


def create_schema_for_brand(new_schema: str, *, use_pool: bool = True) -> str:
    """Make `new_schema` exist and be fully migrated. Returns the method used: "pool", "clone" or
    "migrations". Must run inside the provisioning transaction (caller holds the lock), so that a
    later failure rolls the schema back with everything else."""
    if use_pool and claim_spare(new_schema):
        return "pool"
    template = template_schema()
    if schema_exists(template):
        clone_from_template(new_schema)
        if missing_migrations(template):
            _loud(
                f"the template schema '{template}' is behind the code; brand schema "
                f"'{new_schema}' is being migrated after cloning. Run `entraide migrate_schemas`."
            )
            migrate_schema(new_schema)
            return "clone+migrations"
        return "clone"
    _loud(
        f"the template schema '{template}' does not exist; FALLING BACK to running every "
        f"migration for '{new_schema}' (seconds instead of milliseconds). "
        "Run `entraide migrate_schemas` to create the template."
    )
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {quote(new_schema)}")
    migrate_schema(new_schema)
    return "migrations"


def _loud(message: str) -> None:
    logger.warning("PROVISIONING FALLBACK: %s", message)
    print(f"WARNING: provisioning fallback: {message}", file=sys.stderr, flush=True)


def ensure_template(*, verbosity: int = 1) -> None:
    """Create (if needed) and migrate the template schema, then install the clone function."""
    template = template_schema()
    if not schema_exists(template):
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {quote(template)}")
    migrate_schema(template, verbosity=verbosity)
    install_clone_function()


def fill_spare_pool(size: int | None = None) -> int:
    """Top the pool up to `size` current spares (default SPARE_POOL_SIZE). Returns how many were
    created. Each spare is made in its own short transaction so provisioning is never blocked for
    long."""
    size = settings.SPARE_POOL_SIZE if size is None else size
    created = 0
    if not schema_exists(template_schema()) or missing_migrations(template_schema()):
        logger.warning("spare pool not filled: the template schema is missing or behind")
        return 0
    while True:
        with transaction.atomic():
            take_provisioning_lock()
            current = []
            for spare in list_spares():
                if missing_migrations(spare):
                    drop_schema(spare)
                else:
                    current.append(spare)
            if len(current) >= size:
                return created
            clone_from_template(f"{settings.SPARE_SCHEMA_PREFIX}{uuid.uuid4().hex[:16]}")
            created += 1
