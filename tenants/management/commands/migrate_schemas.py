"""`migrate_schemas` that also keeps the template schema current.

Order on a full run: public, then the template (so that brands provisioned during the rest of the
run are cloned from an up-to-date template), then every brand, then the spare pool is refreshed
(stale spares dropped, fresh ones cloned).
"""

from django.db import connection
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

from tenants import schemas


class Command(MigrateSchemasCommand):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-pool", action="store_true", help="Do not refill the pool of spare brand schemas."
        )

    def handle(self, *args, **options):
        whole_run = not options.get("schema_name")
        wants_tenants = options.get("tenant") or not options.get("shared")
        wants_public = options.get("shared") or not options.get("tenant")
        if not (whole_run and wants_tenants):
            return super().handle(*args, **options)
        if wants_public:
            super().handle(*args, **{**options, "shared": True, "tenant": False})
            connection.set_schema_to_public()
        verbosity = int(options.get("verbosity", 1))
        if verbosity:
            self.stdout.write(f"=== Template schema {schemas.template_schema()}")
        schemas.ensure_template(verbosity=verbosity)
        connection.set_schema_to_public()
        super().handle(*args, **{**options, "shared": False, "tenant": True})
        connection.set_schema_to_public()
        if not options.get("no_pool"):
            created = schemas.fill_spare_pool()
            if verbosity:
                self.stdout.write(
                    f"=== Spare pool: {len(schemas.list_spares())} ready ({created} new)"
                )
