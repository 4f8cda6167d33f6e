from django.conf import settings
from django.core.management.base import BaseCommand

from entraide.demo import DEMO_PASSWORD, ensure_demo_operator, seed
from tenants.urls_util import host_url


class Command(BaseCommand):
    help = "Create (or complete) the demo brands voisinage and solidarite. Safe to run again."

    def handle(self, *args, **options):
        logins = seed(self.stdout)
        operator = ensure_demo_operator()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for row in logins:
            self.stdout.write(f"  {row['brand'].name}: {row['brand'].url('/')}")
            self.stdout.write(f"    brand admin:  {row['admin']}")
            self.stdout.write(f"    coordinator:  {row['coordinator']}")
            self.stdout.write(f"    volunteer:    {row['volunteer']}")
        self.stdout.write(f"  Operator console: {host_url(settings.BASE_DOMAIN, '/')}")
        self.stdout.write(f"    operator:     {operator}")
