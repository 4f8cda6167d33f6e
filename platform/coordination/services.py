"""Writes of the coordinator workspace that belong to no other domain app: acknowledging a concern
and (brand admins) deactivating or reactivating a member. Everything else is delegated to the
domain services (people, volunteers, matching, outings, accounts)."""

from __future__ import annotations

from accounts.models import User
from accounts.permissions import is_brand_admin, is_staff_member
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination.models import ConcernAcknowledgement


def acknowledge_concern(*, acting_user: User, visit, note: str = "") -> ConcernAcknowledgement:
    """A coordinator takes a worried visit in hand; it leaves the dashboard. Acknowledging twice
    (double click, two coordinators) is refused once the first is recorded."""
    from visits.models import Visit

    if not is_staff_member(acting_user):
        raise PermissionDenied(_("Only a coordinator can acknowledge a concern."))
    if visit.mood != Visit.Mood.WORRIED:
        raise ValidationError(_("Only a worried visit is a concern."))
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": [_("The note is too long (2000 characters at most).")]})
    try:
        with transaction.atomic():
            return ConcernAcknowledgement.objects.create(
                visit=visit, acknowledged_by=acting_user, acknowledged_at=timezone.now(), note=note
            )
    except IntegrityError:
        raise ValidationError(_("This concern has already been acknowledged.")) from None


def set_member_active(*, acting_user: User, user: User, active: bool) -> User:
    """A brand admin deactivates (or reactivates) a member: they can no longer sign in, and their
    sessions stop working at the next request (Django checks `is_active`)."""
    if not is_brand_admin(acting_user):
        raise PermissionDenied(_("Only a brand administrator can do this."))
    if user.pk == acting_user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.role == User.Role.OPERATOR:
        raise ValidationError(_("This account is not a member of the brand."))
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user
