"""Demo seeding: apply the "theme" of each demo brand spec (entraide/demo.py) idempotently."""

from django.db import connection


def seed_theme(*, brand, spec, stdout) -> None:
    from django.core.exceptions import ValidationError

    from themes.selectors import get_theme
    from themes.services import apply_theme_input
    from themes.tokens import validate_tokens

    theme = spec.get("theme")
    if not theme:
        return
    connection.set_schema_to_public()
    try:
        data = dict(theme)
        logo = data.pop("logo", None)
        wanted = validate_tokens(data)
        current = get_theme(brand)
        if current.stored and current.tokens == wanted and (bool(current.logo) == bool(logo)):
            stdout.write(f"theme of {brand.slug} is up to date")
            return
        apply_theme_input(association=brand, data=theme, replace=True)
        stdout.write(f"applied the demo theme of {brand.slug}")
    except ValidationError as exc:
        stdout.write(f"demo theme of {brand.slug} refused: {exc.messages}")
    finally:
        connection.set_tenant(brand)
