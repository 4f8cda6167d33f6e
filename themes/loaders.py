"""Per-brand template folders (Open edX "comprehensive theming" style).

`<THEMES_TEMPLATE_ROOT>/<schema>/` is searched before the project's templates, so an operator can
override any template for one brand (e.g. `<root>/voisinage/webapp/home.html`). The cached loader
is keyed per brand only for brands that have such a folder, so brands without one share one cache.
See docs/themes.md.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.template.loaders.cached import Loader as DjangoCachedLoader
from django.template.loaders.filesystem import Loader as FilesystemLoader


def template_root() -> Path:
    configured = getattr(settings, "THEMES_TEMPLATE_ROOT", None) or os.environ.get(
        "THEMES_TEMPLATE_ROOT"
    )
    if configured:
        return Path(configured)
    return Path(settings.BASE_DIR) / "brand_templates"


def brand_folder() -> Path | None:
    schema = getattr(connection, "schema_name", "public") or "public"
    if schema == "public":
        return None
    folder = template_root() / schema
    return folder if folder.is_dir() else None


class BrandDirectoryLoader(FilesystemLoader):
    def get_dirs(self):
        folder = brand_folder()
        return [folder] if folder is not None else []


class CachedLoader(DjangoCachedLoader):
    def cache_key(self, template_name, skip=None):
        key = super().cache_key(template_name, skip)
        folder = brand_folder()
        return f"{folder.name}:{key}" if folder is not None else key
