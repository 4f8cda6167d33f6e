import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.management.commands._util import validation_to_command_error
from tenants.services import provision_brand


class Command(BaseCommand):
    help = "Provision a new brand in one step: schema, domains, first admin and invitation."

    def add_arguments(self, parser):
        parser.add_argument(
            "slug",
            help="DNS-safe identifier, e.g. petits-freres (gives petits-freres.<BASE_DOMAIN>)",
        )
        parser.add_argument("--name", required=True, help="The association's display name")
        parser.add_argument(
            "--admin-email", required=True, help="E-mail of the brand's first administrator"
        )
        parser.add_argument("--admin-name", default="", help="Full name of the first administrator")
        parser.add_argument(
            "--domain",
            action="append",
            default=[],
            dest="domains",
            help="A custom domain (repeatable)",
        )
        parser.add_argument("--theme-file", help="JSON file with the brand's theme tokens")
        parser.add_argument(
            "--no-pool",
            action="store_true",
            help="Clone the template even if a spare schema is ready",
        )
        parser.add_argument(
            "--no-email", action="store_true", help="Do not send the invitation e-mail"
        )

    def handle(self, *args, **options):
        extra = {}
        if options["theme_file"]:
            path = Path(options["theme_file"])
            try:
                extra["theme"] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"cannot read the theme file {path}: {exc}") from exc
        try:
            result = provision_brand(
                slug=options["slug"],
                name=options["name"],
                admin_email=options["admin_email"],
                admin_name=options["admin_name"],
                domains=options["domains"],
                use_pool=not options["no_pool"],
                send_invitation=not options["no_email"],
                **extra,
            )
        except ValidationError as exc:
            raise validation_to_command_error(exc) from exc
        brand = result.association
        self.stdout.write(
            self.style.SUCCESS(
                f"Brand '{brand.slug}' is ready ({result.method}, {result.duration_s:.3f}s)."
            )
        )
        self.stdout.write(f"  name:        {brand.name}")
        self.stdout.write(f"  schema:      {brand.schema_name}")
        self.stdout.write(f"  url:         {brand.url('/')}")
        self.stdout.write(f"  domains:     {', '.join(d.domain for d in brand.domains.all())}")
        self.stdout.write(f"  admin:       {result.admin_email}")
        self.stdout.write(f"  invitation:  {result.invitation_url}")
