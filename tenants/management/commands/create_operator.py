import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.operators import create_operator


class Command(BaseCommand):
    help = (
        "Create (or update) a platform operator, who signs in at /accounts/login/ on the bare base "
        "domain. The password is read from an environment variable, never from the command line."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="")
        parser.add_argument(
            "--password-from-env",
            default="ENTRAIDE_OPERATOR_PASSWORD",
            metavar="VARIABLE",
            help="environment variable holding the password (default: %(default)s)",
        )

    def handle(self, *args, email, name, password_from_env, **options):
        password = os.environ.get(password_from_env, "")
        if not password:
            raise CommandError(f"set the password in the environment variable {password_from_env}")
        try:
            user, created = create_operator(email=email, password=password, full_name=name)
        except ValidationError as exc:
            lines = [f"  {f}: {m}" for f, ms in exc.message_dict.items() for m in ms]
            raise CommandError("the operator could not be created:\n" + "\n".join(lines)) from None
        self.stdout.write(f"operator {user.email} {'created' if created else 'updated'}")
