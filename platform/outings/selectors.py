"""Reads of outings. Every brand member sees the brand's outings; sign-ups are visible to the
participant themself and to coordinators (a volunteer never sees which accompanied people go)."""

from __future__ import annotations

import uuid

from accounts.permissions import is_staff_member
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from outings.models import Outing, OutingSignup


def outings_for(user, *, include_cancelled: bool = False) -> QuerySet:
    """Outings annotated with `places_taken` and `signed_up` (the user has an active sign-up).
    Cancelled outings only on request: lists offering to sign up must not show them."""
    outings = Outing.objects.all()
    if not include_cancelled:
        outings = outings.filter(cancelled_at__isnull=True)
    return outings.annotate(
        places_taken=Count("signups", filter=Q(signups__cancelled_at__isnull=True)),
        signed_up=Exists(
            OutingSignup.objects.filter(
                outing=OuterRef("pk"), volunteer=user, cancelled_at__isnull=True
            )
        ),
    ).order_by("starts_at", "id")


def access_outing(user, public_id) -> Outing:
    try:
        return outings_for(user, include_cancelled=True).get(public_id=public_id)
    except (Outing.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def signups_for(user, outing: Outing) -> QuerySet:
    signups = outing.signups.select_related("volunteer", "person", "outing")
    if is_staff_member(user):
        return signups
    return signups.filter(volunteer=user)


def access_signup(user, public_id) -> OutingSignup:
    signups = OutingSignup.objects.select_related("volunteer", "person", "outing")
    if not is_staff_member(user):
        signups = signups.filter(volunteer=user)
    try:
        return signups.get(public_id=public_id)
    except (OutingSignup.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def person_to_register(user, public_id):
    """An active accompanied person a coordinator registers for an outing (400 if unknown)."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _
    from people.models import Person

    if not is_staff_member(user):
        raise PermissionDenied
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        public_id = None
    person = (
        Person.objects.filter(public_id=public_id, status=Person.Status.ACTIVE).first()
        if public_id is not None
        else None
    )
    if person is None:
        raise ValidationError({"person": [_("Unknown person.")]})
    return person
