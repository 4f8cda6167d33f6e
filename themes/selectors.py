"""Reads of brand themes, with a per-process cache.

The cache key of a brand is (schema name, `Association.updated_at`). The tenant row is loaded
fresh by the tenant middleware on every request, and every theme change bumps `updated_at`
(themes.services), so a change is visible on the next request in every process, with no restart,
no extra query on a cache hit and no cross-process invalidation message. See
docs/adr/0004-themes.md.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field

from django.db import connection

from themes.tokens import DEFAULT_TOKENS, content_hash, with_defaults

_cache: dict[str, tuple[object, Theme]] = {}
_lock = threading.Lock()
_MAX_ENTRIES = 5000


@dataclass(frozen=True)
class Theme:
    schema_name: str
    brand_name: str
    tokens: dict
    version: str
    logo: str = ""
    logo_type: str = ""
    favicon: str = ""
    stored: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        return self.tokens.get("display_name") or self.brand_name

    @property
    def short_name(self) -> str:
        return self.tokens.get("short_name") or self.display_name[:12]

    @property
    def colors(self) -> dict:
        return self.tokens["colors"]

    @property
    def flags(self) -> dict:
        return self.tokens["flags"]

    @property
    def sender_name(self) -> str:
        return self.tokens["contact"].get("sender_name") or self.display_name

    @property
    def css_path(self) -> str:
        return f"/theme/{self.version}.css"

    def icon_path(self, name: str) -> str:
        return f"/theme/icons/{self.version}/{name}.png"

    @property
    def raster_logo_path(self) -> str:
        """A PNG/JPEG/WebP logo for places that cannot show SVG (e-mail clients)."""
        if self.logo and not self.logo.endswith(".svg"):
            return self.logo_path
        return self.icon_path("icon-192")

    @property
    def favicon_path(self) -> str:
        return self.icon_path("favicon")

    @property
    def apple_touch_path(self) -> str:
        return self.icon_path("apple-touch")

    @property
    def logo_path(self) -> str:
        if self.logo:
            ext = self.logo.rsplit(".", 1)[-1]
            return f"/theme/logo/{self.version}.{ext}"
        return self.icon_path("logo")


@functools.lru_cache(maxsize=1024)
def _default_theme(schema_name: str, brand_name: str) -> Theme:
    tokens = with_defaults({})
    return Theme(
        schema_name=schema_name,
        brand_name=brand_name,
        tokens=tokens,
        version=content_hash(tokens, brand_name),
    )


def get_theme(tenant=None) -> Theme:
    """The theme of `tenant` (default: the current brand). Public schema: the neutral default."""
    from tenants.models import Association

    tenant = tenant if tenant is not None else getattr(connection, "tenant", None)
    schema = getattr(tenant, "schema_name", None) or connection.schema_name
    if schema == "public" or tenant is None:
        return _default_theme("public", getattr(tenant, "name", "") or "Entraide")
    stamp = getattr(tenant, "updated_at", None)
    hit = _cache.get(schema)
    if stamp is not None and hit is not None and hit[0] == stamp:
        return hit[1]
    # One query reads the brand's stamp and its theme together (a consistent snapshot), and the
    # result is cached under the stamp read, never under the caller's possibly stale one.
    pk = getattr(tenant, "pk", None)
    brands = (
        Association.objects.filter(pk=pk) if pk else Association.objects.filter(schema_name=schema)
    )
    row = brands.values(
        "updated_at",
        "name",
        "theme__id",
        "theme__tokens",
        "theme__version",
        "theme__logo",
        "theme__logo_type",
        "theme__favicon",
    ).first()
    if row is None:
        return _default_theme(schema, getattr(tenant, "name", "") or "Entraide")
    if row["theme__id"] is None:
        theme = _default_theme(schema, row["name"])
    else:
        tokens = with_defaults(row["theme__tokens"])
        theme = Theme(
            schema_name=schema,
            brand_name=row["name"],
            tokens=tokens,
            version=content_hash(tokens, row["name"], row["theme__version"] or ""),
            logo=row["theme__logo"],
            logo_type=row["theme__logo_type"],
            favicon=row["theme__favicon"],
            stored=True,
        )
    with _lock:
        if len(_cache) >= _MAX_ENTRIES:
            _cache.clear()
        _cache[schema] = (row["updated_at"], theme)
    return theme


def forget(schema_name: str) -> None:
    """Drop this process's cached theme of a brand (the stamp makes this optional elsewhere)."""
    _cache.pop(schema_name, None)


def default_tokens() -> dict:
    return with_defaults(DEFAULT_TOKENS)


@dataclass(frozen=True)
class BrandSettings:
    timezone: str
    default_locale: str
    proposal_expiry_days: int
    no_contact_alert_days: int
    background_check_notice_days: int
    quiet_hours_start: str
    quiet_hours_end: str


def settings_for(tenant=None) -> BrandSettings:
    """The brand's operating settings (brand data, edited with the theme)."""
    tokens = get_theme(tenant).tokens
    s = tokens["settings"]
    return BrandSettings(
        timezone=tokens["timezone"],
        default_locale=tokens["default_locale"],
        proposal_expiry_days=s["proposal_expiry_days"],
        no_contact_alert_days=s["no_contact_alert_days"],
        background_check_notice_days=s["background_check_notice_days"],
        quiet_hours_start=s["quiet_hours_start"],
        quiet_hours_end=s["quiet_hours_end"],
    )
