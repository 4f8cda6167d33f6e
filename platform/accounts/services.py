"""Writes on accounts: invitations and password setting."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
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
    """Send the invitation e-mail (console backend in development, so the link is printed)."""
    invitation = Invitation.objects.select_related("user").get(pk=invitation_id)
    context = {"brand_name": association.name, "url": url, "user": invitation.user,
               "expires_at": invitation.expires_at}
    subject = _("Your invitation to %(brand)s") % {"brand": association.name}
    text = render_to_string("accounts/email/invitation.txt", context)
    html = render_to_string("accounts/email/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=f"{association.name} <{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}>",
        to=[invitation.user.email],
    )
    message.attach_alternative(html, "text/html")
    message.send()
