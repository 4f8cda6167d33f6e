"""`entraide readyz`: the /readyz checks from the command line, for processes that serve no HTTP.

Worker and beat containers use it as their readiness probe (deploy/compose.yaml, deploy/k8s/):
prints the same JSON as /readyz and exits 1 when a dependency is not ready.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from entraide.health import readiness


class Command(BaseCommand):
    help = (
        "Check that PostgreSQL and Redis answer and the template schema is current (exit 1 if not)."
    )

    requires_system_checks = []

    def handle(self, *args, **options):
        ready, detail = readiness()
        body = {"status": "ready" if ready else "unavailable", **detail}
        self.stdout.write(json.dumps(body))
        if not ready:
            raise CommandError("not ready: " + "; ".join(detail["reasons"]), returncode=1)
