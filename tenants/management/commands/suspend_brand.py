from django.core.management.base import BaseCommand, CommandError

from tenants.models import Association
from tenants.services import reactivate_brand, suspend_brand


class Command(BaseCommand):
    help = "Suspend a brand (every page answers 503, no data shown), or reactivate it with --reactivate."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument(
            "--reactivate", action="store_true", help="Make a suspended brand active again"
        )

    def handle(self, *args, **options):
        try:
            brand = Association.objects.brands().get(slug=options["slug"])
        except Association.DoesNotExist:
            raise CommandError(
                f"no brand with the slug '{options['slug']}'. See `entraide list_brands`."
            ) from None
        if options["reactivate"]:
            brand = reactivate_brand(association=brand)
        else:
            brand = suspend_brand(association=brand)
        self.stdout.write(self.style.SUCCESS(f"Brand '{brand.slug}' is now {brand.status}."))
