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


def create_invitation(
    *, user: User, association=None, created_by: User | None = None
) -> tuple[Invitation, str]:
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
            raise ValidationError(
                _(
                    "This invitation link is invalid or has expired. Ask your coordinator for a new one."
                )
            )
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
        recipient=invitation.user,
        kind="invitation",
        channels=["email"],
        urgent=True,
        context={
            "url": url,
            "brand_name": association.name,
            "expires_at": invitation.expires_at.isoformat(),
        },
        idempotency_key=f"invitation:{invitation.public_id}",
    )


# --- Roles: invitations by staff, self-signup where the brand allows it, API tokens -------------

INVITABLE_ROLES = {
    # who may invite whom: coordinators bring in volunteers and fellow coordinators; only a brand
    # admin can create another brand admin.
    User.Role.COORDINATOR: {User.Role.VOLUNTEER, User.Role.COORDINATOR},
    User.Role.BRAND_ADMIN: {User.Role.VOLUNTEER, User.Role.COORDINATOR, User.Role.BRAND_ADMIN},
}


def invite_member(
    *,
    acting_user: User,
    email: str,
    full_name: str = "",
    role: str = User.Role.VOLUNTEER,
    send_email: bool = True,
) -> tuple[User, Invitation, str]:
    """A coordinator (or brand admin) invites someone into the current brand. The invited user has
    no password until they accept the invitation link. Returns (user, invitation, url)."""
    from django.db import connection

    allowed = INVITABLE_ROLES.get(acting_user.role, set())
    if role not in allowed:
        raise ValidationError({"role": [_("You cannot invite someone with this role.")]})
    email = (email or "").strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": [_("Someone with this e-mail address is already a member.")]}
        )
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, password=None, full_name=full_name.strip(), role=role
        )
        invitation, token = create_invitation(user=user, created_by=acting_user)
        association = connection.tenant
        url = association.url(invitation.path(token))
        if send_email:
            invitation_id = invitation.pk
            transaction.on_commit(
                lambda: send_invitation_email(
                    association=association, invitation_id=invitation_id, url=url
                )
            )
    return user, invitation, url


def self_signup(*, email: str, password: str, full_name: str = "", tenant=None) -> User:
    """A volunteer signs up on their own: only where the brand's `self_signup` flag is on."""
    from django.db import connection

    from themes.flags import flag_enabled

    tenant = tenant or connection.tenant
    if not flag_enabled("self_signup", tenant):
        raise PermissionError("self-signup is off for this brand")
    email = (email or "").strip().lower()
    errors: dict[str, list[str]] = {}
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("Someone with this e-mail address is already a member.")]
    candidate = User(email=email, full_name=full_name)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    return User.objects.create_user(
        email=email, password=password, full_name=full_name.strip(), role=User.Role.VOLUNTEER
    )


def create_api_token(*, user: User, name: str = "", expires_at=None):
    """Returns (token, raw_key); the raw key is shown once and never stored."""
    from accounts.models import ApiToken

    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:8], key_hash=hash_token(key), expires_at=expires_at
    )
    return token, key


def revoke_api_token(*, token) -> None:
    token.delete()


def change_role(*, acting_user: User, user: User, role: str) -> User:
    """Brand admins change roles; staff status follows the role (the admin is for staff)."""
    if acting_user.role != User.Role.BRAND_ADMIN:
        raise ValidationError({"role": [_("Only a brand administrator can change roles.")]})
    if role not in (User.Role.VOLUNTEER, User.Role.COORDINATOR, User.Role.BRAND_ADMIN):
        raise ValidationError({"role": [_("This role does not exist in a brand.")]})
    if user.pk == acting_user.pk and role != User.Role.BRAND_ADMIN:
        raise ValidationError({"role": [_("You cannot remove your own administrator role.")]})
    user.role = role
    user.is_staff = role != User.Role.VOLUNTEER
    user.save(update_fields=["role", "is_staff"])
    return user
