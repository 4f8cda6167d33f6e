"""Token authentication for the brand API: `Authorization: Token <key>` (or `Bearer <key>`).

Hand-written rather than DRF's authtoken because authtoken stores the raw key and would have to be
installed in both schema lists; this model stores only the key's SHA-256 and lives in each brand's
schema, so a token of brand A is unknown to brand B.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts.models import ApiToken, hash_token

LAST_USED_PRECISION = timedelta(minutes=5)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from exc
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(key)).first()
        now = timezone.now()
        if (
            token is None
            or not token.user.is_active
            or (token.expires_at and token.expires_at <= now)
        ):
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _('Personal API token, sent as "Token <key>".'),
        }
