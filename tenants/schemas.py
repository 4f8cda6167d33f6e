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


def clone_from_template(new_schema: str) -> str:
    """Copy the template into `new_schema`. Returns "lean" or "clone_schema" (the path taken)."""
    script = lean_clone_script(template_schema())
    if script is not None:
        with connection.cursor() as cursor:
            cursor.execute(script.replace(_NEW_SCHEMA_TOKEN, quote(new_schema)))
        return "lean"
    if not _clone_function_installed():
        install_clone_function()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT public.clone_schema(%s, %s, 'DATA')", [template_schema(), new_schema]
        )
    return "clone_schema"


# --- The lean clone -----------------------------------------------------------------------------
# django-tenants' bundled `clone_schema` is a general PL/pgSQL function (views, functions,
# triggers, sequences, ownership, ACLs, comments...) that walks information_schema object by
# object; on our template (35 tables) it took 1.0-3.6 s per clone on the 2-core machines. Our
# template only ever holds what Django migrations create: tables, identity columns, constraints,
# indexes and a few reference rows. For that shape we generate the DDL once from the catalogue,
# keeping every constraint and index NAME (later migrations drop them by name), and replay it in
# one round trip. Anything else in the template (views, functions, triggers, custom types,
# serial sequences, partitions) makes us use django-tenants' function instead.
_NEW_SCHEMA_TOKEN = "\x00NEW_SCHEMA\x00"
_lean_cache: dict[tuple[str, str, frozenset], str] = {}

_UNSUPPORTED_SQL = """
SELECT
  (SELECT md5(string_agg(c.relname || ':' || c.relkind::text, ',' ORDER BY c.relname)) FROM pg_class c
      WHERE c.relnamespace = %(ns)s::regnamespace),
  (SELECT count(*) FROM pg_class c WHERE c.relnamespace = %(ns)s::regnamespace
      AND c.relkind NOT IN ('r', 'i', 'S'))
+ (SELECT count(*) FROM pg_proc p WHERE p.pronamespace = %(ns)s::regnamespace)
+ (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE c.relnamespace = %(ns)s::regnamespace AND NOT t.tgisinternal)
+ (SELECT count(*) FROM pg_type t WHERE t.typnamespace = %(ns)s::regnamespace
      AND t.typtype IN ('e', 'd', 'r', 'm')
      OR (t.typnamespace = %(ns)s::regnamespace AND t.typtype = 'c'
          AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid)))
+ (SELECT count(*) FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid
      WHERE c.relnamespace = %(ns)s::regnamespace AND pg_get_expr(d.adbin, d.adrelid) LIKE '%%nextval(%%')
"""


def lean_clone_script(template: str) -> str | None:
    """The SQL that recreates `template` (structure and rows) in a schema named by a token, or
    None when the template holds objects the lean clone does not handle. Cached per process and
    per template state (its recorded migrations)."""
    q = quote(template)
    with connection.cursor() as cursor:
        cursor.execute(_UNSUPPORTED_SQL, {"ns": q})
        relations, unsupported = cursor.fetchone()
    if unsupported:
        return None
    key = (template, relations, applied_migrations(template))
    if key in _lean_cache:
        return _lean_cache[key]
    with connection.cursor() as cursor:
        # With only the template on the search path, catalogue functions print names unqualified,
        # so the definitions resolve to the new schema's tables when replayed.
        cursor.execute(f"SET search_path TO {q}")
        cursor.execute(
            "SELECT c.oid, c.relname FROM pg_class c WHERE c.relnamespace = %s::regnamespace "
            "AND c.relkind = 'r' ORDER BY c.relname",
            [q],
        )
        tables = cursor.fetchall()
        cursor.execute(
            "SELECT a.attrelid, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) "
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'r' AND a.attnum > 0 "
            "AND NOT a.attisdropped AND a.attgenerated = '' GROUP BY a.attrelid",
            [q],
        )
        columns = dict(cursor.fetchall())
        cursor.execute(
            "SELECT k.conrelid, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
            "WHERE k.connamespace = %s::regnamespace AND k.contype IN ('p', 'u', 'c', 'x', 'f') "
            "ORDER BY (k.contype = 'f'), k.conname",
            [q],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indrelid, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = %s::regnamespace "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
            "AND k.contype IN ('p', 'u', 'x')) ORDER BY c.relname",
            [q],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT a.attrelid, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "WHERE c.relnamespace = %s::regnamespace AND a.attidentity <> '' AND NOT a.attisdropped",
            [q],
        )
        identities = cursor.fetchall()
    names = dict(tables)
    new = _NEW_SCHEMA_TOKEN
    statements = [f"CREATE SCHEMA {new}", f"SET LOCAL search_path TO {new}"]
    for oid, name in tables:
        source, target = f"{q}.{quote(name)}", f"{new}.{quote(name)}"
        statements.append(
            f"CREATE TABLE {target} (LIKE {source} INCLUDING DEFAULTS INCLUDING IDENTITY "
            "INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS)"
        )
        cols = columns[oid]
        statements.append(
            f"INSERT INTO {target} ({cols}) OVERRIDING SYSTEM VALUE SELECT {cols} FROM {source}"
        )
    for relid, conname, definition in constraints:
        statements.append(
            f"ALTER TABLE {new}.{quote(names[relid])} ADD CONSTRAINT {quote(conname)} {definition}"
        )
    for relid, definition in indexes:
        table = names[relid]
        for prefix in (f" ON {q}.", f" ON {template}.", f" ON ONLY {q}.", f" ON ONLY {template}."):
            definition = definition.replace(
                prefix, prefix.replace(q, new).replace(template, new), 1
            )
        if new not in definition:  # printed unqualified: qualify it ourselves
            definition = definition.replace(
                f" ON {quote(table)} ", f" ON {new}.{quote(table)} ", 1
            ).replace(f" ON {table} ", f" ON {new}.{quote(table)} ", 1)
        statements.append(definition)
    for relid, column in identities:
        target = f"{new}.{quote(names[relid])}"
        col = quote(column)
        statements.append(
            f"SELECT setval(pg_get_serial_sequence('{target}', '{column}'), "
            f"COALESCE((SELECT max({col}) FROM {target}), 1), "
            f"(SELECT count(*) > 0 FROM {target}))"
        )
    script = ";\n".join(statements) + ";"
    _lean_cache[key] = script
    return script


def schema_signature(schema: str) -> dict:
    """Tables, columns, constraints and indexes of a schema, with the schema name taken out:
    two schemas with the same signature have the same structure (used to check clones)."""
    q = quote(schema)
    with connection.cursor() as cursor:
        cursor.execute(f"SET search_path TO {q}")
        cursor.execute(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
            "a.attidentity, COALESCE(pg_get_expr(d.adbin, d.adrelid), '') FROM pg_attribute a "
            "JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d "
            "ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE c.relnamespace = %s::regnamespace "
            "AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, 2",
            [q],
        )
        columns = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE connamespace = %s::regnamespace ORDER BY 1, 2",
            [q],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT c.relname, replace(replace(pg_get_indexdef(c.oid), %s, ''), %s, '') FROM pg_class c "
            "WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'i' ORDER BY 1",
            [f"{q}.", f"{schema}.", q],
        )
        indexes = cursor.fetchall()
    return {"columns": columns, "constraints": constraints, "indexes": indexes}


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
