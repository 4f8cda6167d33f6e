from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants.services import ensure_public_tenant


class Command(BaseCommand):
    help = "Prepare the database: migrate public, the template and every brand; create the public site."

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("migrate_schemas", interactive=False, verbosity=max(0, verbosity - 1))
        public = ensure_public_tenant()
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(f"database ready; public site on {public.domains.first()}")
            )
