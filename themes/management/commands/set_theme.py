import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.models import Association
from themes.selectors import get_theme
from themes.services import apply_theme_input


class Command(BaseCommand):
    help = (
        'Set a brand\'s theme from a JSON file (tokens, plus an optional "logo" path relative to '
        "the file). By default the file's tokens are merged into the current theme; --replace "
        "starts from the neutral default."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The brand's slug")
        parser.add_argument("--file", required=True, help="JSON file with the theme tokens")
        parser.add_argument(
            "--replace", action="store_true", help="Replace the whole theme instead of merging"
        )

    def handle(self, *args, **options):
        brand = Association.objects.brands().filter(slug=options["slug"]).first()
        if brand is None:
            raise CommandError(f"no brand with the slug '{options['slug']}'")
        path = Path(options["file"])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read the theme file {path}: {exc}") from exc
        try:
            apply_theme_input(
                association=brand, data=data, replace=options["replace"], base_dir=path.parent
            )
        except ValidationError as exc:
            lines = (
                [f"  {m}" for ms in exc.message_dict.values() for m in ms]
                if hasattr(exc, "message_dict")
                else [f"  {m}" for m in exc.messages]
            )
            raise CommandError("the theme was not changed:\n" + "\n".join(lines)) from exc
        theme = get_theme(brand)
        self.stdout.write(
            self.style.SUCCESS(f"Theme of '{brand.slug}' updated (version {theme.version}).")
        )
        self.stdout.write(f"  theme.css:  {brand.url(theme.css_path)}")
        self.stdout.write(f"  manifest:   {brand.url('/manifest.webmanifest')}")
