"""The brand's VAPID key pair (RFC 8292), made by py-vapid when the brand is provisioned."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import IntegrityError, transaction
from py_vapid import Vapid02, b64urlencode

from worker.models import VapidKeys


def generate() -> VapidKeys:
    vapid = Vapid02()
    vapid.generate_keys()
    public = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return VapidKeys(private_key_pem=vapid.private_pem().decode(), public_key=b64urlencode(public))


def keys_for_current_brand() -> VapidKeys:
    """The current schema's keys, made on first use for a brand provisioned before this existed."""
    keys = VapidKeys.objects.first()
    if keys is not None:
        return keys
    try:
        with transaction.atomic():
            keys = generate()
            keys.save()
    except IntegrityError:  # made concurrently
        keys = VapidKeys.objects.get()
    return keys


def provisioning_hook(*, association, options) -> None:
    """PROVISIONING_HOOKS entry: runs in public, inside the provisioning transaction."""
    from django_tenants.utils import schema_context

    with schema_context(association.schema_name):
        VapidKeys.objects.all().delete()  # a claimed spare or clone carries no keys; be sure
        generate().save()


class VapidSigner:
    """Signs VAPID headers, reusing one signature per push service for most of its validity."""

    VALIDITY = 12 * 3600

    def __init__(self, keys: VapidKeys, subject: str):
        self.vapid = Vapid02.from_pem(keys.private_key_pem.encode())
        self.subject = subject
        self._cache: dict[str, tuple[float, dict]] = {}

    def headers(self, endpoint: str) -> dict:
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        now = time.time()
        hit = self._cache.get(audience)
        if hit is not None and hit[0] - now > 3600:
            return dict(hit[1])
        expires = int(now + self.VALIDITY)
        headers = self.vapid.sign({"sub": self.subject, "aud": audience, "exp": expires})
        self._cache[audience] = (expires, headers)
        return dict(headers)


def vapid_subject(brand) -> str:
    try:
        from themes.selectors import get_theme

        email = get_theme(brand).tokens["contact"].get("email")
        if email:
            return f"mailto:{email}"
    except Exception:
        pass
    return f"mailto:no-reply@{settings.BASE_DOMAIN}"
