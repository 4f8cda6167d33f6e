"""Reads on matching: ranked candidates for a person, proposals, circles."""

from __future__ import annotations

import math

from django.db import connection
from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import is_staff_member
from matching.models import Circle, CircleMembership, Proposal
from matching.scoring import (CAP, W_AVAILABILITY, W_DISTANCE, W_INTERESTS, W_LANGUAGE, W_LOAD, Candidate,
                              reasons_for, score_python)
from people.models import Person
from people.selectors import EARTH_RADIUS_KM, haversine_km
from volunteers.models import VettingStep, VolunteerProfile

DEFAULT_LIMIT = 20
KM_PER_DEGREE_LAT = 111.32  # conservative: a degree of latitude is 110.57-111.69 km


def _bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """A box that contains every point within `radius_km` of (lat, lon), a little generously."""
    dlat = radius_km / 110.5
    cos_lat = max(math.cos(math.radians(min(89.0, abs(lat) + dlat))), 0.01)
    dlon = radius_km / (111.32 * cos_lat)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def _max_radius_km() -> float | None:
    # Backed by the radius index: an index-only lookup of the largest radius in the brand.
    return VolunteerProfile.objects.aggregate(m=Max("radius_km"))["m"]


_RANK_SQL = """
WITH box AS (
    SELECT v.id, v.user_id, v.radius_km, v.current_load, v.max_people,
           v.availability, v.interests, v.languages,
           2 * {earth} * asin(sqrt(least(1.0,
               power(sin(radians(v.latitude - %(lat)s) / 2), 2)
               + cos(radians(%(lat)s)) * cos(radians(v.latitude))
                 * power(sin(radians(v.longitude - %(lon)s) / 2), 2)))) AS distance_km
    FROM {profile} v
    JOIN {user} u ON u.id = v.user_id
    WHERE v.latitude BETWEEN %(lat_min)s AND %(lat_max)s
      AND v.longitude BETWEEN %(lon_min)s AND %(lon_max)s
      AND v.status = 'validated' AND u.is_active
      AND v.current_load < v.max_people
      {check}
      AND NOT EXISTS (SELECT 1 FROM {membership} m JOIN {circle} c ON c.id = m.circle_id
                      WHERE c.person_id = %(person)s AND m.volunteer_id = v.user_id AND m.left_at IS NULL)
      AND NOT EXISTS (SELECT 1 FROM {proposal} p
                      WHERE p.person_id = %(person)s AND p.volunteer_id = v.user_id
                        AND p.status IN ('pending', 'accepted'))
), shared AS (
    SELECT box.*,
           ARRAY(SELECT unnest(box.availability) INTERSECT SELECT unnest(%(slots)s::varchar[])) AS shared_slots,
           ARRAY(SELECT unnest(box.interests) INTERSECT SELECT unnest(%(interests)s::varchar[])) AS shared_interests,
           ARRAY(SELECT unnest(box.languages) INTERSECT SELECT unnest(%(languages)s::varchar[])) AS shared_languages
    FROM box WHERE box.distance_km <= box.radius_km
)
SELECT id, user_id, distance_km, radius_km, shared_slots, shared_interests, shared_languages,
       current_load, max_people,
       round(({w_dist} * (1 - distance_km / radius_km)
        + {w_avail} * least(cardinality(shared_slots), {cap})::float / {cap}
        + {w_int} * least(cardinality(shared_interests), {cap})::float / {cap}
        + {w_lang} * (CASE WHEN cardinality(shared_languages) > 0 THEN 1 ELSE 0 END)
        + {w_load} * (1 - current_load::float / max_people))::numeric, 3)::float AS score
FROM shared
ORDER BY score DESC, distance_km ASC, id ASC
LIMIT %(limit)s
"""


def _rank_sql(requires_check: bool) -> str:
    from matching.models import Circle, CircleMembership, Proposal

    return _RANK_SQL.format(
        earth=EARTH_RADIUS_KM,
        profile=VolunteerProfile._meta.db_table, user=User._meta.db_table,
        membership=CircleMembership._meta.db_table, circle=Circle._meta.db_table,
        proposal=Proposal._meta.db_table,
        check="AND v.background_check_expires_on >= %(today)s" if requires_check else "",
        w_dist=W_DISTANCE, w_avail=W_AVAILABILITY, w_int=W_INTERESTS, w_lang=W_LANGUAGE, w_load=W_LOAD, cap=CAP,
    )


def rank_candidates(person: Person, *, limit: int = DEFAULT_LIMIT, with_details: bool = True) -> list[Candidate]:
    """The best `limit` matchable volunteers for `person`, best first.

    Indexed: a bounding box on (latitude, longitude) (composite index) sized by the largest radius
    in the brand, then the exact haversine distance, the volunteer's own radius, eligibility and the
    score in SQL, so only `limit` rows come back to Python."""
    if person.latitude is None or person.longitude is None:
        return []
    max_radius = _max_radius_km()
    if max_radius is None:
        return []
    lat_min, lat_max, lon_min, lon_max = _bounding_box(person.latitude, person.longitude, max_radius)
    requires_check = VettingStep.objects.filter(is_active=True, kind=VettingStep.Kind.BACKGROUND_CHECK).exists()
    params = {
        "lat": person.latitude, "lon": person.longitude, "lat_min": lat_min, "lat_max": lat_max,
        "lon_min": lon_min, "lon_max": lon_max, "person": person.pk, "today": timezone.localdate(),
        "slots": list(person.preferred_times), "interests": list(person.interests),
        "languages": list(person.languages), "limit": limit,
    }
    with connection.cursor() as cursor:
        cursor.execute(_rank_sql(requires_check), params)
        rows = cursor.fetchall()
    candidates = [
        Candidate(profile_id=r[0], user_id=r[1], distance_km=r[2], radius_km=r[3], shared_slots=list(r[4]),
                  shared_interests=list(r[5]), shared_languages=list(r[6]), current_load=r[7], max_people=r[8],
                  score=r[9])
        for r in rows
    ]
    if with_details:
        _add_details(candidates)
    return candidates


def rank_candidates_naive(person: Person, *, limit: int = DEFAULT_LIMIT) -> list[Candidate]:
    """The reference ranking: load every matchable volunteer and score each in Python. Same result
    as `rank_candidates` (tests check it), many times slower (bench/matching.py measures both)."""
    from volunteers.selectors import matchable_q

    if person.latitude is None or person.longitude is None:
        return []
    excluded = set(CircleMembership.objects.filter(circle__person=person, left_at__isnull=True)
                   .values_list("volunteer_id", flat=True))
    excluded |= set(Proposal.objects.filter(person=person, status__in=Proposal.OPEN_STATUSES)
                    .values_list("volunteer_id", flat=True))
    rows = (VolunteerProfile.objects.filter(matchable_q(), latitude__isnull=False, longitude__isnull=False)
            .values("id", "user_id", "latitude", "longitude", "radius_km", "availability", "interests",
                    "languages", "current_load", "max_people"))
    candidates = []
    for row in rows:
        if row["user_id"] in excluded or row["current_load"] >= row["max_people"]:
            continue
        distance = haversine_km(person.latitude, person.longitude, row["latitude"], row["longitude"])
        if distance <= row["radius_km"]:
            candidates.append(score_python(person, row, distance_km=distance))
    candidates.sort(key=lambda c: (-c.score, c.distance_km, c.profile_id))
    return candidates[:limit]


def _add_details(candidates: list[Candidate]) -> None:
    users = {u.pk: u for u in User.objects.filter(pk__in=[c.user_id for c in candidates])}
    profiles = dict(VolunteerProfile.objects.filter(pk__in=[c.profile_id for c in candidates])
                    .values_list("pk", "public_id"))
    for c in candidates:
        user = users.get(c.user_id)
        c.name = user.get_full_name() if user else ""
        c.user_public_id = str(user.public_id) if user else ""
        c.profile_public_id = str(profiles.get(c.profile_id, ""))
        c.reasons = reasons_for(c)


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
    return CircleMembership.objects.filter(circle=circle, volunteer=user, left_at__isnull=True).exists()


def circles_for_volunteer(user: User) -> QuerySet[Circle]:
    """The circles `user` is an active member of."""
    return (Circle.objects.select_related("person")
            .filter(memberships__volunteer=user, memberships__left_at__isnull=True).distinct())


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

