"""Demo seeding: apply the "theme" of each demo brand spec (entraide/demo.py), idempotently.

The spec's "logo" may be inline SVG markup, a data: URI, or absent."""

from __future__ import annotations

import base64
import hashlib


def _logo_input(value):
    if isinstance(value, str) and value.lstrip().startswith("<"):
        return "data:image/svg+xml;base64," + base64.b64encode(value.encode("utf-8")).decode(
            "ascii"
        )
    return value


def seed_theme(*, brand, spec, stdout) -> None:
    from django.core.exceptions import ValidationError

    from themes.logos import validate_image
    from themes.selectors import get_theme
    from themes.services import apply_theme_input, decode_image_input
    from themes.tokens import validate_tokens

    theme = spec.get("theme")
    if not theme:
        return
    data = dict(theme)
    if "logo" in data:
        data["logo"] = _logo_input(data["logo"])
    try:
        tokens = {k: v for k, v in data.items() if k not in ("logo", "favicon")}
        wanted = validate_tokens(tokens)
        logo = decode_image_input(data.get("logo"))
        wanted_logo = ""
        if logo is not None:
            clean = validate_image(logo)
            wanted_logo = f"themes/logo-{hashlib.sha256(clean.data).hexdigest()[:16]}.{clean.ext}"
        brand.refresh_from_db()
        current = get_theme(brand)
        if current.stored and current.tokens == wanted and current.logo == wanted_logo:
            stdout.write(f"theme of {brand.slug} is up to date")
            return
        apply_theme_input(association=brand, data=data, replace=True)
        stdout.write(f"applied the demo theme of {brand.slug}")
    except ValidationError as exc:
        stdout.write(f"demo theme of {brand.slug} refused: {exc.messages}")
