"""Signed one-click unsubscribe links. The token names the brand's schema, the user (public id),
the kind and the channel; it is signed with SECRET_KEY and a salt of its own, so it can be neither
forged nor used on another brand's host."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

SALT = "worker.unsubscribe.v1"


def make_token(schema_name: str, user, kind: str, channel: str) -> str:
    return signing.dumps(
        {"s": schema_name, "u": str(user.public_id), "k": kind, "c": channel},
        salt=SALT,
        compress=True,
    )


def read_token(token: str, *, schema_name: str) -> dict | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != schema_name:
        return None
    return data


def unsubscribe_url(brand, user, kind: str, channel: str) -> str:
    path = reverse(
        "worker:unsubscribe",
        kwargs={"token": make_token(brand.schema_name, user, kind, channel)},
        urlconf="entraide.urls_tenant",
    )
    return brand.url(path)
