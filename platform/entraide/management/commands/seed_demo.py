from django.core.management.base import BaseCommand

from entraide.demo import DEMO_PASSWORD, seed


class Command(BaseCommand):
    help = "Create (or complete) the demo brands voisinage and solidarite. Safe to run again."

    def handle(self, *args, **options):
        logins = seed(self.stdout)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for row in logins:
            self.stdout.write(f"  {row['brand'].name}: {row['brand'].url('/')}")
            self.stdout.write(f"    brand admin:  {row['admin']}")
            self.stdout.write(f"    coordinator:  {row['coordinator']}")
            self.stdout.write(f"    volunteer:    {row['volunteer']}")
