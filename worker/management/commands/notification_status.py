"""Operators: the outbox of every brand at a glance (pending, sent, failed, skipped)."""

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Show notification counts per brand (failed ones need attention: see the brand's admin)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--failed-only", action="store_true", help="List only brands with failed notifications."
        )

    def handle(self, *args, **options):
        from django_tenants.utils import tenant_context

        from tenants.models import Association
        from worker.selectors import status_counts

        rows = []
        for brand in Association.objects.brands().exclude(status=Association.Status.ARCHIVED):
            with tenant_context(brand):
                counts = status_counts()
            if options["failed_only"] and not counts["failed"]:
                continue
            rows.append((brand.slug, brand.status, counts))
        connection.set_schema_to_public()
        self.stdout.write(
            f"{'brand':<30} {'status':<12} {'pending':>8} {'sent':>8} {'failed':>8} {'skipped':>8}"
        )
        for slug, status, c in rows:
            self.stdout.write(
                f"{slug:<30} {status:<12} {c['pending']:>8} {c['sent']:>8} {c['failed']:>8} {c['skipped']:>8}"
            )
