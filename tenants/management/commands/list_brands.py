import json

from django.core.management.base import BaseCommand

from tenants.models import Association


class Command(BaseCommand):
    help = "List the brands with their status and domains."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Machine-readable output")

    def handle(self, *args, **options):
        brands = list(Association.objects.brands().prefetch_related("domains").order_by("slug"))
        rows = [
            {
                "slug": b.slug,
                "name": b.name,
                "status": b.status,
                "schema": b.schema_name,
                "domains": sorted(d.domain for d in b.domains.all()),
                "created_at": b.created_at.isoformat(),
            }
            for b in brands
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not rows:
            self.stdout.write(
                "No brand yet. Create one with: entraide provision_brand <slug> --name ... --admin-email ..."
            )
            return
        width = max(len(r["slug"]) for r in rows)
        self.stdout.write(f"{'SLUG'.ljust(width)}  {'STATUS':<12}  NAME / DOMAINS")
        for r in rows:
            self.stdout.write(
                f"{r['slug'].ljust(width)}  {r['status']:<12}  {r['name']} — {', '.join(r['domains'])}"
            )
        self.stdout.write(f"{len(rows)} brand(s)")
