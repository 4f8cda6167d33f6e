from django.core.management.base import BaseCommand

from tenants import schemas


class Command(BaseCommand):
    help = "Top up the pool of pre-cloned spare schemas (provisioning claims one by renaming it)."

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=None)

    def handle(self, *args, **options):
        created = schemas.fill_spare_pool(options["size"])
        self.stdout.write(f"spare pool: {len(schemas.list_spares())} ready ({created} created)")
