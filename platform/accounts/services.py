"""Writes on accounts: invitations and password setting."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Invitation, User, hash_token

INVITATION_VALIDITY = timedelta(days=7)


def create_invitation(*, user: User, association=None, created_by: User | None = None) -> tuple[Invitation, str]:
    """Returns the invitation and the raw token (shown once, never stored)."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        token_hash=hash_token(token),
        expires_at=timezone.now() + INVITATION_VALIDITY,
        created_by=created_by,
    )
    return invitation, token


def get_usable_invitation(*, token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None or not invitation.is_usable or not invitation.user.is_active:
        return None
    return invitation


def accept_invitation(*, token: str, password: str) -> User:
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("user")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if invitation is None or not invitation.is_usable:
            raise ValidationError(_("This invitation link is invalid or has expired. Ask your coordinator for a new one."))
        user = invitation.user
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return user


def send_invitation_email(*, association, invitation_id: int, url: str) -> None:
    """Queue the invitation e-mail in the notification outbox (worker/, kind "invitation"):
    written in the caller's transaction, sent after commit. Transactional and urgent, so neither
    preferences nor quiet hours hold it back. Call inside the brand's schema."""
    from worker.notify import notify

    invitation = Invitation.objects.select_related("user").get(pk=invitation_id)
    notify(
        recipient=invitation.user, kind="invitation", channels=["email"], urgent=True,
        context={"url": url, "brand_name": association.name, "expires_at": invitation.expires_at.isoformat()},
        idempotency_key=f"invitation:{invitation.public_id}",
    )
