#!/usr/bin/env python
"""Provisioning benchmark: our path next to stock django-tenants, measured in the same run.

* ours:  `tenants.services.provision_brand` as the product runs it: claim a pre-cloned spare
         schema by renaming it. The pool is topped up between runs, untimed, as the background
         refill task does in production.
* clone: the same service with the pool bypassed (clone the migrated template); informative.
* stock: django-tenants' migration-based creation (TENANT_CREATION_FAKES_MIGRATIONS off:
         CREATE SCHEMA, then every tenant migration), plus the same tenant and domain rows.

Every brand it creates is dropped at the end. Usage: bench/provision.py [N] (default 20).
Ends with exactly one line:
    provision: ours_median_s=<x> stock_median_s=<y> speedup=<y/x>
"""

import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
os.environ.setdefault("ENTRAIDE_QUIET_EMBEDDED", "1")
# A benchmark is not a deployment: it needs no real secret (DEBUG stays off, as in production).
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import override_settings

    from tenants import schemas
    from tenants.models import Association, Domain
    from tenants.services import ensure_public_tenant, provision_brand

    call_command("migrate_schemas", interactive=False, verbosity=0, no_pool=True)
    ensure_public_tenant()
    run_id = uuid.uuid4().hex[:6]
    created: list[str] = []

    def ours(i: int, *, pool: bool) -> float:
        slug = f"bench-{'p' if pool else 'c'}{run_id}-{i}"
        result = provision_brand(
            slug=slug,
            name=f"Bench {i}",
            admin_email=f"admin{i}@bench.example",
            send_invitation=False,
            use_pool=pool,
        )
        created.append(result.association.schema_name)
        if pool and result.method != "pool":
            raise SystemExit(f"expected a pool claim, got {result.method}")
        return result.duration_s

    def stock(i: int) -> float:
        slug = f"bench-s{run_id}-{i}"
        schema = slug.replace("-", "_")
        started = time.perf_counter()
        with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False):
            with transaction.atomic():
                tenant = Association.objects.create(
                    schema_name=schema, slug=slug, name=f"Stock {i}", status="active"
                )
                Domain.objects.create(
                    domain=f"{slug}.bench.invalid", tenant=tenant, is_primary=True
                )
            tenant.create_schema(check_if_exists=True, verbosity=0)
        elapsed = time.perf_counter() - started
        created.append(schema)
        return elapsed

    try:
        # Warm-up (not timed): loads the migration graph once per process, as a web worker would.
        schemas.fill_spare_pool(1)
        ours(0, pool=True)
        ours_times, clone_times, stock_times = [], [], []
        for i in range(1, n + 1):
            schemas.fill_spare_pool(1)  # the background refill, untimed
            ours_times.append(ours(i, pool=True))
            clone_times.append(ours(i, pool=False))
            stock_times.append(stock(i))
            log(
                f"[{i}/{n}] ours={ours_times[-1]:.3f}s clone={clone_times[-1]:.3f}s stock={stock_times[-1]:.3f}s"
            )
    finally:
        connection.set_schema_to_public()
        for schema in created:
            schemas.drop_schema(schema)
        Association.objects.filter(schema_name__in=created).delete()
        log(f"cleaned up {len(created)} bench brands")

    ours_median = statistics.median(ours_times)
    clone_median = statistics.median(clone_times)
    stock_median = statistics.median(stock_times)
    log(
        f"clone-only path (no spare pool): median {clone_median:.3f}s, speedup vs stock {stock_median / clone_median:.1f}x"
    )
    print(
        f"provision: ours_median_s={ours_median:.4f} stock_median_s={stock_median:.4f} "
        f"speedup={stock_median / ours_median:.1f}"
    )


if __name__ == "__main__":
    main()
