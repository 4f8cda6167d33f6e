"""Validation of what an operator types when creating a brand. Messages are meant for a
non-technical operator: they say what is wrong and what would be accepted."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]*[a-z0-9]$")
LABEL_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
SLUG_MIN, SLUG_MAX = 2, 40


def slug_errors(slug: str) -> list[str]:
    if not slug:
        return [_("The slug is required.")]
    if not (SLUG_MIN <= len(slug) <= SLUG_MAX):
        return [
            _("The slug must be between %(min)d and %(max)d characters long.")
            % {"min": SLUG_MIN, "max": SLUG_MAX}
        ]
    if not SLUG_RE.match(slug) or "--" in slug:
        return [
            _(
                "The slug “%(slug)s” is not valid: use lower-case letters a–z, digits and single "
                "hyphens, starting with a letter and not ending with a hyphen (e.g. “petits-freres”)."
            )
            % {"slug": slug}
        ]
    if (
        slug in settings.RESERVED_SLUGS
        or slug.startswith("pg-")
        or slug.startswith(settings.SPARE_SCHEMA_PREFIX.replace("_", "-"))
    ):
        return [
            _("The slug “%(slug)s” is reserved by the platform; choose another one.")
            % {"slug": slug}
        ]
    return []


def hostname_errors(hostname: str) -> list[str]:
    host = hostname.strip().lower().rstrip(".")
    if not host:
        return [_("A domain name cannot be empty.")]
    if len(host) > 253:
        return [_("The domain “%(host)s” is too long (253 characters at most).") % {"host": host}]
    labels = host.split(".")
    if len(labels) < 2 and host != "localhost":
        return [
            _("The domain “%(host)s” is not a full domain name (e.g. “benevoles.example.org”).")
            % {"host": host}
        ]
    for label in labels:
        if not LABEL_RE.match(label):
            return [
                _(
                    "The domain “%(host)s” is not a valid host name: each part may hold letters a–z, "
                    "digits and hyphens, and may not start or end with a hyphen."
                )
                % {"host": host}
            ]
    return []


def email_errors(email: str) -> list[str]:
    if not email:
        return [_("The administrator's e-mail address is required.")]
    try:
        validate_email(email)
    except ValidationError:
        return [_("“%(email)s” is not a valid e-mail address.") % {"email": email}]
    return []


def name_errors(name: str) -> list[str]:
    if not name or not name.strip():
        return [_("The brand's name is required.")]
    if len(name) > 120:
        return [_("The brand's name is too long (120 characters at most).")]
    return []


def custom_domain_errors(host: str, *, slug: str) -> list[str]:
    errors = hostname_errors(host)
    if errors:
        return errors
    base = settings.BASE_DOMAIN
    if host == base or (host.endswith("." + base) and host != f"{slug}.{base}"):
        return [
            _(
                "The domain “%(host)s” belongs to the platform; a custom domain must be one the "
                "association owns (e.g. “benevoles.example.org”)."
            )
            % {"host": host}
        ]
    return []


def schema_name_for(slug: str) -> str:
    """Slugs are DNS labels (hyphens, no underscores), schemas are SQL identifiers; the mapping is
    one-to-one because a slug can never contain an underscore."""
    return slug.replace("-", "_")
