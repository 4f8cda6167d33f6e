"""Reads of the visit log. Protected objects come through `access_*` selectors, which answer the
same 404 for "doesn't exist" and "not yours" (../../shared/DESIGN.md "Code conventions" 4)."""

from __future__ import annotations

import datetime as dt

from accounts.permissions import is_staff_member
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from visits.models import Visit


def _active_memberships(user):
    from matching.models import CircleMembership

    return CircleMembership.objects.filter(volunteer=user, left_at__isnull=True)


def can_log_visit_for(user, person) -> bool:
    """Coordinators may log a contact with anyone; a volunteer only with a person whose circle
    they are an active member of."""
    if is_staff_member(user):
        return True
    if not (user and user.is_authenticated and user.is_active):
        return False
    return _active_memberships(user).filter(circle__person=person).exists()


def followed_people(user) -> QuerySet:
    """The people whose visits `user` may read and log."""
    from people.models import Person

    people = Person.objects.all()
    if is_staff_member(user):
        return people
    return people.filter(Exists(_active_memberships(user).filter(circle__person=OuterRef("pk"))))


def person_for_visit_log(user, public_id):
    try:
        return followed_people(user).get(public_id=public_id)
    except (followed_people(user).model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def visits_for(user) -> QuerySet:
    visits = Visit.objects.select_related("person", "volunteer")
    if is_staff_member(user):
        return visits
    return visits.filter(
        Exists(_active_memberships(user).filter(circle__person=OuterRef("person_id")))
    )


def access_visit(user, public_id) -> Visit:
    try:
        return visits_for(user).get(public_id=public_id)
    except (Visit.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def coordinators_to_alert(person) -> list:
    """The person's own coordinator; when none is set (or they left), every active coordinator
    of the brand, so that an alert is never lost; brand admins as a last resort."""
    from accounts.models import User

    coordinator = person.coordinator if person.coordinator_id else None
    if coordinator is not None and coordinator.is_active:
        return [coordinator]
    for role in ("coordinator", "brand_admin"):
        users = list(User.objects.filter(role=role, is_active=True).order_by("id"))
        if users:
            return users
    return []


def people_without_contact(*, days: int, today: dt.date) -> QuerySet:
    """Active people whose last contact (or, never contacted, their registration) is at least
    `days` whole days before `today` in the brand's timezone."""
    from people.models import Person

    from visits.services import brand_timezone

    tz = brand_timezone()
    cutoff = dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time.min, tzinfo=tz)
    return (
        Person.objects.filter(status=Person.Status.ACTIVE)
        .alias(reference=Coalesce("last_contact_at", "created_at"))
        .filter(reference__lt=cutoff)
        .select_related("coordinator")
        .order_by("last_contact_at", "id")
    )
