"""Reads on isolated people.

The privacy rule lives here: before a match is confirmed, a volunteer sees a `ReducedPerson`
(first name, last-name initial, district, approximate distance) and nothing else; after the match
(an active member of the person's circle) they see the full record. Every staff read of a full
record is written to the audit log.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from uuid import UUID

from accounts.models import User
from accounts.permissions import is_staff_member
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from people.models import Person, PersonAccessLog

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def approximate_km(distance_km: float | None) -> float | None:
    """Rounded to the half kilometre (at least 0.5) so it cannot pinpoint a home."""
    if distance_km is None:
        return None
    return max(0.5, round(distance_km * 2) / 2)


@dataclass(frozen=True)
class ReducedPerson:
    public_id: UUID
    first_name: str
    last_initial: str
    district: str
    approximate_distance_km: float | None

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_initial}." if self.last_initial else self.first_name


def reduce(person: Person, *, volunteer: User | None = None) -> ReducedPerson:
    distance = None
    profile = getattr(volunteer, "volunteer_profile", None) if volunteer is not None else None
    if profile is not None and None not in (
        profile.latitude,
        profile.longitude,
        person.latitude,
        person.longitude,
    ):
        distance = haversine_km(
            profile.latitude, profile.longitude, person.latitude, person.longitude
        )
    return ReducedPerson(
        public_id=person.public_id,
        first_name=person.first_name,
        last_initial=person.last_name[:1].upper(),
        district=person.district,
        approximate_distance_km=approximate_km(distance),
    )


def _member_q(user: User) -> Q:
    from matching.models import CircleMembership

    return Q(
        Exists(
            CircleMembership.objects.filter(
                circle__person=OuterRef("pk"), volunteer=user, left_at__isnull=True
            )
        )
    )


def _proposed_q(user: User) -> Q:
    from matching.models import Proposal

    return Q(
        Exists(
            Proposal.objects.filter(
                person=OuterRef("pk"), volunteer=user, status__in=Proposal.OPEN_STATUSES
            )
        )
    )


def person_list(user: User) -> QuerySet[Person]:
    """Staff: every person of the brand. Volunteer: people of their circles and people proposed
    to them (annotated `is_matched` so the API can reduce the others)."""
    qs = Person.objects.select_related("coordinator")
    if is_staff_member(user):
        return qs
    return qs.annotate(is_matched=_member_q(user), is_proposed=_proposed_q(user)).filter(
        Q(is_matched=True) | Q(is_proposed=True)
    )


def log_full_read(person: Person, user: User, *, channel: str) -> None:
    from people.services import log_access

    log_access(person=person, user=user, channel=channel, action=PersonAccessLog.Action.VIEW)


def access_person(user: User, public_id, *, channel: str = PersonAccessLog.Channel.API) -> Person:
    """The full record, for staff (audited) and for volunteers of the person's circle. Same 404 for
    missing, not-yours and not-yet-matched."""
    person = Person.objects.select_related("coordinator").filter(public_id=public_id).first()
    if person is None:
        raise Http404
    if is_staff_member(user):
        log_full_read(person, user, channel=channel)
        return person
    if user.is_authenticated and Person.objects.filter(_member_q(user), pk=person.pk).exists():
        return person
    raise Http404


def view_person(
    user: User, public_id, *, channel: str = PersonAccessLog.Channel.API
) -> Person | ReducedPerson:
    """What `user` may see of a person: the full record (staff, circle members) or the reduced view
    (a volunteer with an open proposal for them). 404 for everyone else."""
    if is_staff_member(user):
        return access_person(user, public_id, channel=channel)
    if not user.is_authenticated:
        raise Http404
    person = (
        Person.objects.annotate(is_matched=_member_q(user), is_proposed=_proposed_q(user))
        .filter(public_id=public_id)
        .first()
    )
    if person is None:
        raise Http404
    if person.is_matched:
        return person
    if person.is_proposed:
        return reduce(person, volunteer=user)
    raise Http404


def audit_log() -> QuerySet[PersonAccessLog]:
    return PersonAccessLog.objects.select_related("user").order_by("-at", "-id")
