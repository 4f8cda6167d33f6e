#!/usr/bin/env python
"""How one PostgreSQL copes with many brand schemas (docs/operations.md "Limits of one PostgreSQL").

Creates N brands (clones of the template, as provisioning does), then measures, each figure next
to a baseline taken in the same run:

1. a no-op `migrate_schemas` (every migration already applied: the cost every deploy pays)
   over all brands, standard and multiprocessing executors, against the public-schema-only run;
2. the system catalogue: relations in pg_class and bytes of pg_catalog, before and after;
3. backend memory (CacheMemoryContext, PostgreSQL 14+) of one connection that has served one
   brand, then every brand: the relation cache a long-lived connection (CONN_MAX_AGE, PgBouncer)
   accumulates as it visits schemas.

Every brand it creates is dropped at the end. Usage: bench/schema_scale.py [N] (default 40).
Run it against a scratch database (DATABASE_URL). Ends with exactly one line:
    schema_scale: brands=<n> noop_migrate_s_per_brand=<x> baseline_public_s=<y> catalogue_kb_per_brand=<z> relcache_kb_per_brand=<w>
"""

import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
os.environ.setdefault("ENTRAIDE_QUIET_EMBEDDED", "1")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("SPARE_POOL_SIZE", "0")
os.environ.setdefault("LOG_FORMAT", "plain")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tenants import schemas
    from tenants.models import Association
    from tenants.services import ensure_public_tenant, provision_brand

    call_command("migrate_schemas", interactive=False, verbosity=0, no_pool=True)
    ensure_public_tenant()

    def catalogue() -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'pg_catalog') "
                "FROM pg_class"
            )
            return cursor.fetchone()

    def brand_tables(schema: str) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
            return [row[0] for row in cursor.fetchall()]

    def cache_memory() -> int | None:
        with connection.cursor() as cursor:
            try:
                cursor.execute(
                    "SELECT coalesce(sum(total_bytes), 0) FROM pg_backend_memory_contexts "
                    "WHERE name = 'CacheMemoryContext' OR parent = 'CacheMemoryContext'"
                )
            except Exception:
                return None
            return int(cursor.fetchone()[0])

    def touch(schema: str, tables: list[str]) -> None:
        """What serving a page does to the relation cache: open every table of the brand."""
        with connection.cursor() as cursor:
            cursor.execute(f'SET search_path = "{schema}", public')
            for table in tables:
                cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')
            cursor.execute("SET search_path = public")

    existing = Association.objects.brands().count()
    rels_before, catalogue_before = catalogue()
    run_id = uuid.uuid4().hex[:6]
    created: list[str] = []
    try:
        started = time.perf_counter()
        for i in range(n):
            result = provision_brand(
                slug=f"scale-{run_id}-{i}",
                name=f"Scale {i}",
                admin_email=f"admin{i}@scale.example",
                send_invitation=False,
                use_pool=False,
            )
            created.append(result.association.schema_name)
        log(f"provisioned {n} brands by cloning in {time.perf_counter() - started:.1f}s")
        connection.set_schema_to_public()
        rels_after, catalogue_after = catalogue()
        total = existing + n
        per_brand_relations = (rels_after - rels_before) / n
        catalogue_kb = (catalogue_after - catalogue_before) / n / 1024
        log(
            f"catalogue: {rels_before} -> {rels_after} relations ({per_brand_relations:.0f} per brand), "
            f"pg_catalog {catalogue_before / 2**20:.1f} -> {catalogue_after / 2**20:.1f} MiB "
            f"({catalogue_kb:.0f} KiB per brand)"
        )

        # 1. no-op migrations (warm-up once: the first call loads the migration graph)
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        public_s = timed(
            lambda: call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        )
        standard_s = timed(
            lambda: call_command(
                "migrate_schemas", interactive=False, verbosity=0, no_pool=True, executor="standard"
            )
        )
        connection.set_schema_to_public()
        parallel_s = timed(
            lambda: call_command(
                "migrate_schemas",
                interactive=False,
                verbosity=0,
                no_pool=True,
                executor="multiprocessing",
            )
        )
        connection.set_schema_to_public()
        per_brand = (standard_s - public_s) / (total + 1)  # brands + the template
        log(
            f"no-op migrate_schemas: public only {public_s:.2f}s (baseline); all {total} brands + "
            f"template: standard {standard_s:.2f}s ({per_brand * 1000:.0f} ms per brand), "
            f"multiprocessing {parallel_s:.2f}s"
        )
        per_brand_parallel = max(parallel_s - public_s, 0) / (total + 1)
        for brands in (1_000, 10_000):
            log(
                f"  extrapolated no-op deploy for {brands} brands: standard "
                f"{per_brand * brands / 60:.1f} min, multiprocessing {per_brand_parallel * brands / 60:.1f} min"
            )

        # 3. relation cache of one connection
        connection.close()
        connection.ensure_connection()
        tables = brand_tables(created[0])
        baseline_memory = cache_memory()
        touch(created[0], tables)
        one_brand = cache_memory()
        for schema in created[1:]:
            touch(schema, tables)
        all_brands = cache_memory()
        if baseline_memory is None:
            relcache_kb = float("nan")
            log("backend memory contexts: not available (PostgreSQL < 14)")
        else:
            relcache_kb = (all_brands - one_brand) / max(n - 1, 1) / 1024
            log(
                f"relation cache of one connection: fresh {baseline_memory / 1024:.0f} KiB (baseline), "
                f"after 1 brand {one_brand / 1024:.0f} KiB, after {n} brands {all_brands / 1024:.0f} KiB "
                f"({relcache_kb:.0f} KiB per extra brand visited, {len(tables)} tables each)"
            )
    finally:
        connection.set_schema_to_public()
        for schema in created:
            schemas.drop_schema(schema)
        Association.objects.filter(schema_name__in=created).delete()
        log(f"cleaned up {len(created)} bench brands")

    print(
        f"schema_scale: brands={total} noop_migrate_s_per_brand={per_brand:.4f} "
        f"baseline_public_s={public_s:.3f} catalogue_kb_per_brand={catalogue_kb:.0f} "
        f"relcache_kb_per_brand={relcache_kb:.0f}"
    )


if __name__ == "__main__":
    main()
