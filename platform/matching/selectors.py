"""Reads on matching: ranked candidates for a person, proposals, circles."""

from __future__ import annotations

import functools
import math

from accounts.models import User
from accounts.permissions import is_staff_member
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from people.models import Person
from people.selectors import EARTH_RADIUS_KM, haversine_km
from volunteers.models import (
    INTEREST_CODES_ORDER,
    LANGUAGE_CODES_ORDER,
    MAX_RADIUS_KM,
    RADIUS_BANDS_KM,
    SLOT_CODES_ORDER,
    VettingStep,
    VolunteerProfile,
    code_mask,
)

from matching.models import Circle, CircleMembership, Proposal
from matching.scoring import (
    CAP,
    W_AVAILABILITY,
    W_DISTANCE,
    W_INTERESTS,
    W_LANGUAGE,
    W_LOAD,
    Candidate,
    reasons_for,
    score_python,
)

DEFAULT_LIMIT = 20


_RANK_SQL = """
SELECT s.id, s.user_id, s.distance_km, s.radius_km, s.current_load, s.max_people, s.score,
       v.public_id, v.availability, v.interests, v.languages, u.public_id, u.full_name, u.email
FROM (
    SELECT box.*,
           round(({w_dist} * (1 - distance_km / radius_km)
            + {w_avail} * least(bit_count((availability_mask & %(slots)s)::bit(64)), {cap})::float / {cap}
            + {w_int} * least(bit_count((interests_mask & %(interests)s)::bit(64)), {cap})::float / {cap}
            + {w_lang} * (CASE WHEN (languages_mask & %(languages)s) <> 0 THEN 1 ELSE 0 END)
            + {w_load} * (1 - current_load::float / max_people))::numeric, 3)::float AS score
    FROM (
        {branches}
    ) box
    WHERE box.distance_km <= box.radius_km
      -- once for all bands: in-date check when the brand requires one, active account, not
      -- already in the circle nor proposed
      AND (box.background_check_expires_on >= %(today)s
           OR NOT EXISTS (SELECT 1 FROM {step} st WHERE st.is_active AND st.kind = 'background_check'))
      AND box.user_id NOT IN (SELECT id FROM {user} WHERE NOT is_active)
      AND box.user_id NOT IN (SELECT m.volunteer_id FROM {membership} m JOIN {circle} c ON c.id = m.circle_id
                              WHERE c.person_id = %(person)s AND m.left_at IS NULL)
      AND box.user_id NOT IN (SELECT p.volunteer_id FROM {proposal} p
                              WHERE p.person_id = %(person)s AND p.status IN ('pending', 'accepted'))
    ORDER BY score DESC, distance_km ASC, id ASC
    LIMIT %(limit)s
) s
JOIN {profile} v ON v.id = s.id
JOIN {user} u ON u.id = s.user_id
ORDER BY s.score DESC, s.distance_km ASC, s.id ASC
"""


# One branch per radius band: an equality on the band and a range on latitude use the composite
# (radius_band, latitude, longitude) covering index; the box is as wide as the band's bound.
_BRANCH_SQL = """
        SELECT v.id, v.user_id, v.radius_km, v.current_load, v.max_people, v.background_check_expires_on,
               v.availability_mask, v.interests_mask, v.languages_mask,
               2 * {earth} * asin(sqrt(least(1.0,
                   power(sin(radians(v.latitude - %(lat)s) / 2), 2)
                   + cos(radians(%(lat)s)) * cos(radians(v.latitude))
                     * power(sin(radians(v.longitude - %(lon)s) / 2), 2)))) AS distance_km
        FROM {profile} v
        WHERE v.radius_band = {band}
          AND v.latitude BETWEEN %(lat)s - {bound} / 110.5 AND %(lat)s + {bound} / 110.5
          AND v.longitude BETWEEN %(lon)s - {bound} / %(km_per_lon_degree)s
                              AND %(lon)s + {bound} / %(km_per_lon_degree)s
          -- the volunteer's own radius, as a cheap box before the exact distance
          AND abs(v.latitude - %(lat)s) <= v.radius_km / 110.5
          AND abs(v.longitude - %(lon)s) <= v.radius_km / %(km_per_lon_degree)s
          AND v.status = 'validated'
          AND v.current_load < v.max_people"""


@functools.cache
def _rank_sql() -> str:
    names = dict(
        earth=EARTH_RADIUS_KM,
        profile=VolunteerProfile._meta.db_table,
        user=User._meta.db_table,
        step=VettingStep._meta.db_table,
        membership=CircleMembership._meta.db_table,
        circle=Circle._meta.db_table,
        proposal=Proposal._meta.db_table,
        w_dist=W_DISTANCE,
        w_avail=W_AVAILABILITY,
        w_int=W_INTERESTS,
        w_lang=W_LANGUAGE,
        w_load=W_LOAD,
        cap=CAP,
    )
    branches = "\n        UNION ALL".join(
        _BRANCH_SQL.format(band=band, bound=float(bound), **names)
        for band, bound in enumerate(RADIUS_BANDS_KM)
    )
    return _RANK_SQL.format(branches=branches, **names)


def rank_candidates(
    person: Person, *, limit: int = DEFAULT_LIMIT, with_details: bool = True
) -> list[Candidate]:
    """The best `limit` matchable volunteers for `person`, best first, in ONE query.

    Indexed: per radius band, a bounding box as wide as the band's bound on the covering
    (radius_band, latitude, longitude) index, then the exact haversine distance, the volunteer's own radius,
    eligibility (validated, active, in-date check when the brand requires one, not already in the
    circle nor proposed) and the score in SQL; only `limit` rows come back, with what the readable
    reasons need (`with_details=False` skips building the reasons)."""
    if person.latitude is None or person.longitude is None:
        return []
    # km per degree of longitude at the box's edge nearest a pole (the widest box needed)
    edge = min(89.0, abs(person.latitude) + MAX_RADIUS_KM / 110.5)
    params = {
        "lat": person.latitude,
        "lon": person.longitude,
        "km_per_lon_degree": max(111.32 * math.cos(math.radians(edge)), 0.5),
        "person": person.pk or 0,
        "today": timezone.localdate(),
        "slots": code_mask(person.preferred_times, SLOT_CODES_ORDER),
        "interests": code_mask(person.interests, INTEREST_CODES_ORDER),
        "languages": code_mask(person.languages, LANGUAGE_CODES_ORDER),
        "limit": limit,
    }
    with connection.cursor() as cursor:
        cursor.execute(_rank_sql(), params)
        rows = cursor.fetchall()
    slots, interests, languages = (
        set(person.preferred_times),
        set(person.interests),
        set(person.languages),
    )
    candidates = []
    for r in rows:
        c = Candidate(
            profile_id=r[0],
            user_id=r[1],
            distance_km=r[2],
            radius_km=r[3],
            shared_slots=[x for x in r[8] if x in slots],
            shared_interests=[x for x in r[9] if x in interests],
            shared_languages=[x for x in r[10] if x in languages],
            current_load=r[4],
            max_people=r[5],
            score=r[6],
            profile_public_id=str(r[7]),
            user_public_id=str(r[11]),
            name=r[12] or r[13],
        )
        if with_details:
            c.reasons = reasons_for(c)
        candidates.append(c)
    return candidates


def rank_candidates_naive(person: Person, *, limit: int = DEFAULT_LIMIT) -> list[Candidate]:
    """The reference ranking: load every matchable volunteer and score each in Python. Same result
    as `rank_candidates` (tests check it), many times slower (bench/matching.py measures both)."""
    from volunteers.selectors import matchable_q

    if person.latitude is None or person.longitude is None:
        return []
    excluded = set(
        CircleMembership.objects.filter(circle__person=person, left_at__isnull=True).values_list(
            "volunteer_id", flat=True
        )
    )
    excluded |= set(
        Proposal.objects.filter(person=person, status__in=Proposal.OPEN_STATUSES).values_list(
            "volunteer_id", flat=True
        )
    )
    rows = VolunteerProfile.objects.filter(
        matchable_q(), latitude__isnull=False, longitude__isnull=False
    ).values(
        "id",
        "user_id",
        "latitude",
        "longitude",
        "radius_km",
        "availability",
        "interests",
        "languages",
        "current_load",
        "max_people",
    )
    candidates = []
    for row in rows:
        if row["user_id"] in excluded or row["current_load"] >= row["max_people"]:
            continue
        distance = haversine_km(
            person.latitude, person.longitude, row["latitude"], row["longitude"]
        )
        if distance <= row["radius_km"]:
            candidates.append(score_python(person, row, distance_km=distance))
    candidates.sort(key=lambda c: (-c.score, c.distance_km, c.profile_id))
    return candidates[:limit]


# --- Proposals ---------------------------------------------------------------------------------


def proposal_list(user: User) -> QuerySet[Proposal]:
    qs = Proposal.objects.select_related("person", "volunteer", "proposed_by", "decided_by")
    if is_staff_member(user):
        return qs
    return qs.filter(volunteer=user)


def access_proposal(user: User, public_id, *, for_update: bool = False) -> Proposal:
    qs = proposal_list(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    proposal = qs.filter(public_id=public_id).first()
    if proposal is None:
        raise Http404
    return proposal


# --- Circles (contract for helper ACTIVITY) ----------------------------------------------------


def is_circle_member(user: User, circle: Circle) -> bool:
    if not user.is_authenticated:
        return False
    return CircleMembership.objects.filter(
        circle=circle, volunteer=user, left_at__isnull=True
    ).exists()


def circles_for_volunteer(user: User) -> QuerySet[Circle]:
    """The circles `user` is an active member of."""
    return (
        Circle.objects.select_related("person")
        .filter(memberships__volunteer=user, memberships__left_at__isnull=True)
        .distinct()
    )


def circle_list(user: User) -> QuerySet[Circle]:
    if is_staff_member(user):
        return Circle.objects.select_related("person")
    return circles_for_volunteer(user)


def access_circle(user: User, public_id) -> Circle:
    """Staff: any circle of the brand; volunteers: circles they are an active member of."""
    circle = circle_list(user).filter(public_id=public_id).first()
    if circle is None:
        raise Http404
    return circle


def active_memberships(circle: Circle) -> QuerySet[CircleMembership]:
    return circle.memberships.filter(left_at__isnull=True).select_related("volunteer")


def open_place_count(person: Person) -> int:
    used = CircleMembership.objects.filter(circle__person=person, left_at__isnull=True).count()
    return max(0, person.max_volunteers - used)
