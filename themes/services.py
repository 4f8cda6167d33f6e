"""Writes on brand themes. Every caller (provisioning hook, CLI, operator API, brand settings page,
demo seeding) goes through `set_theme`."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from themes import logos
from themes.models import BrandTheme
from themes.selectors import forget
from themes.tokens import content_hash, merged, validate_tokens, with_defaults

logger = logging.getLogger("entraide.themes")
DATA_URI_RE = re.compile(r"^data:(image/[a-z0-9.+-]+);base64,(.*)$", re.S | re.I)
UNSET = object()


def decode_image_input(value, *, base_dir: Path | None = None, what: str = "logo") -> bytes | None:
    """A logo given in a theme JSON: a data: URI (API, settings page) or, from the CLI only, a path
    relative to the theme file. None means "remove the logo"."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValidationError(
            {
                what: [
                    _("The %(what)s must be a data: URI (base64) or a file path.") % {"what": what}
                ]
            }
        )
    match = DATA_URI_RE.match(value.strip())
    if match:
        try:
            return base64.b64decode(match.group(2), validate=False)
        except (ValueError, TypeError) as exc:
            raise ValidationError(
                {what: [_("The %(what)s data is not valid base64.") % {"what": what}]}
            ) from exc
    if base_dir is None:
        raise ValidationError(
            {what: [_("The %(what)s must be given as a data: URI (base64).") % {"what": what}]}
        )
    path = (base_dir / value).resolve()
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            {what: [_("Cannot read the %(what)s file %(path)s.") % {"what": what, "path": path}]}
        ) from exc


def _store(schema_name: str, prefix: str, image: logos.CleanImage) -> str:
    digest = hashlib.sha256(image.data).hexdigest()[:16]
    name = f"themes/{prefix}-{digest}.{image.ext}"
    with schema_context(schema_name):
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(image.data))
    return name


def set_theme(
    *,
    association,
    tokens: dict | None = None,
    replace: bool = False,
    logo=UNSET,
    favicon=UNSET,
    acting_user=None,
) -> BrandTheme:
    """Validate and apply a brand's theme.

    `tokens` is a partial theme merged into the current one (or, with replace=True, into the
    neutral default). `logo`/`favicon`: bytes to set, None to remove, omitted to keep (also
    with replace=True: images are only changed when given).
    Raises ValidationError({"theme": [...]}) or ({"logo": [...]}) and changes nothing.
    """
    if association.is_public:
        raise ValidationError({"theme": [_("The public site has no theme.")]})
    tokens = dict(tokens or {})
    with transaction.atomic():
        row = BrandTheme.objects.select_for_update().filter(association=association).first()
        current = row.tokens if (row is not None and not replace) else {}
        clean = validate_tokens(merged(with_defaults(current), tokens))
        logo_name = row.logo if row is not None else ""
        logo_type = row.logo_type if row is not None else ""
        favicon_name = row.favicon if row is not None else ""
        if logo is not UNSET:
            if logo is None:
                logo_name = logo_type = ""
            else:
                image = logos.validate_image(logo)
                logo_name, logo_type = (
                    _store(association.schema_name, "logo", image),
                    image.content_type,
                )
        if favicon is not UNSET:
            if favicon is None:
                favicon_name = ""
            else:
                try:
                    image = logos.validate_image(
                        favicon, min_px=logos.FAVICON_MIN_PX, what=_("The favicon")
                    )
                except ValidationError as exc:
                    raise ValidationError({"favicon": exc.message_dict["logo"]}) from exc
                if image.ext == "svg":
                    raise ValidationError(
                        {"favicon": [_("The favicon must be a PNG, JPEG or WebP image.")]}
                    )
                favicon_name = _store(association.schema_name, "favicon", image)
        version = content_hash(clean, logo_name, favicon_name)
        values = {
            "tokens": clean,
            "logo": logo_name,
            "logo_type": logo_type,
            "favicon": favicon_name,
            "version": version,
        }
        if row is None:
            row = BrandTheme.objects.create(association=association, **values)
        else:
            for key, value in values.items():
                setattr(row, key, value)
            row.save(update_fields=[*values, "updated_at"])
        # Bump the brand's stamp: every process's theme cache is keyed by it (selectors.py).
        now = timezone.now()
        type(association).objects.filter(pk=association.pk).update(updated_at=now)
        association.updated_at = now
    forget(association.schema_name)
    transaction.on_commit(lambda: forget(association.schema_name))
    # Housekeeping must never fail the change that was just committed.
    transaction.on_commit(lambda: prune_assets(association=association), robust=True)
    logger.info(
        "theme of brand %s set to version %s%s",
        association.slug,
        version,
        f" by {acting_user.email}" if acting_user is not None else "",
    )
    return row


def apply_theme_input(
    *,
    association,
    data: dict,
    replace: bool = False,
    base_dir: Path | None = None,
    acting_user=None,
) -> BrandTheme:
    """A theme as given by an operator (JSON file, API body): tokens plus optional "logo" and
    "favicon" (data: URI, or a path relative to the file for the CLI)."""
    if not isinstance(data, dict):
        raise ValidationError(
            {"theme": [_("The theme must be a JSON object (a dictionary of tokens).")]}
        )
    data = dict(data)
    kwargs = {}
    for key in ("logo", "favicon"):
        if key in data:
            kwargs[key] = decode_image_input(data.pop(key), base_dir=base_dir, what=key)
    return set_theme(
        association=association, tokens=data, replace=replace, acting_user=acting_user, **kwargs
    )


def provisioning_hook(*, association, options) -> None:
    """tenants.services.PROVISIONING_HOOKS: apply the `theme=` option (or the neutral default).
    Any error is re-raised as {"theme": [...]} so that provisioning rolls back."""
    data = options.get("theme") or {}
    try:
        apply_theme_input(association=association, data=data, replace=True)
    except ValidationError as exc:
        messages = (
            [m for ms in exc.message_dict.values() for m in ms]
            if hasattr(exc, "message_dict")
            else exc.messages
        )
        raise ValidationError({"theme": messages}) from exc


def prune_assets(*, association) -> list[str]:
    """Delete the brand's stored images and icon sets that the current theme no longer uses.

    Safe for pages still cached with old URLs: an old icon or CSS version is answered with the
    current content (themes/views.py), never from the old files."""
    from themes.selectors import get_theme

    association.refresh_from_db(fields=["updated_at", "name"])
    theme = get_theme(association)
    keep_files = {theme.logo, theme.favicon} - {""}
    removed: list[str] = []
    with schema_context(association.schema_name):
        try:
            dirs, files = default_storage.listdir("themes")
        except FileNotFoundError:
            return removed
        for name in files:
            path = f"themes/{name}"
            if path not in keep_files:
                default_storage.delete(path)
                removed.append(path)
        if "icons" in dirs:
            versions, _files = default_storage.listdir("themes/icons")
            for version in versions:
                if version == theme.version:
                    continue
                _subdirs, icons = default_storage.listdir(f"themes/icons/{version}")
                for icon in icons:
                    default_storage.delete(f"themes/icons/{version}/{icon}")
                    removed.append(f"themes/icons/{version}/{icon}")
                try:
                    Path(default_storage.path(f"themes/icons/{version}")).rmdir()
                except OSError:
                    pass
    if removed:
        logger.info("pruned %d old theme files of brand %s", len(removed), association.slug)
    return removed
