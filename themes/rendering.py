"""What a theme renders to: theme.css (custom properties only) and the web app manifest."""

from __future__ import annotations

import hashlib
import json

from themes.tokens import COLOR_KEYS


def theme_css(theme) -> str:
    tokens = theme.tokens
    lines = [f"  --color-{key.replace('_', '-')}: {tokens['colors'][key]};" for key in COLOR_KEYS]
    lines.append(f"  --font-stack: {tokens['font_stack']};")
    lines.append(f"  --radius: {tokens['radius']}px;")
    return ":root {\n" + "\n".join(lines) + "\n}\n"


def manifest(theme, *, lang: str) -> dict:
    return {
        "name": theme.display_name,
        "short_name": theme.short_name,
        "lang": lang,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": theme.colors["primary"],
        "background_color": theme.colors["background"],
        "icons": [
            {
                "src": theme.icon_path("icon-192"),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": theme.icon_path("icon-512"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": theme.icon_path("maskable-512"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }


def manifest_bytes(theme, *, lang: str) -> bytes:
    return json.dumps(manifest(theme, lang=lang), ensure_ascii=False, indent=2).encode("utf-8")


def etag_of(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
