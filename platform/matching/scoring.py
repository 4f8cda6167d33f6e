"""How a volunteer scores for a person (0-100). The same weights drive the SQL ranking
(matching.selectors.rank_candidates) and the pure-Python reference (`score_python`, used by the
naive baseline of bench/matching.py and by the tests that check both agree)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from volunteers.choices import SLOT_CODES, interest_phrase, language_label, slot_label

W_DISTANCE = 40.0  # 1 - distance/radius
W_AVAILABILITY = 25.0  # shared weekly slots, up to 3
W_INTERESTS = 20.0  # shared interests, up to 3
W_LANGUAGE = 10.0  # at least one shared language
W_LOAD = 5.0  # 1 - current load / maximum
CAP = 3


@dataclass
class Candidate:
    profile_id: int
    user_id: int
    distance_km: float
    radius_km: float
    shared_slots: list[str]
    shared_interests: list[str]
    shared_languages: list[str]
    current_load: int
    max_people: int
    score: float
    # filled in for display
    profile_public_id: str = ""
    user_public_id: str = ""
    name: str = ""
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_text(self) -> str:
        return " · ".join(self.reasons)


def score_parts(
    *, distance_km, radius_km, n_slots, n_interests, n_languages, current_load, max_people
) -> float:
    score = W_DISTANCE * (1 - distance_km / radius_km)
    score += W_AVAILABILITY * min(n_slots, CAP) / CAP
    score += W_INTERESTS * min(n_interests, CAP) / CAP
    score += W_LANGUAGE * (1 if n_languages else 0)
    score += W_LOAD * (1 - current_load / max_people)
    return round(score, 3)


def score_python(person, volunteer: dict, *, distance_km: float) -> Candidate:
    """`volunteer` is a dict of VolunteerProfile values (id, user_id, radius_km, availability,
    interests, languages, current_load, max_people)."""
    slots = [s for s in volunteer["availability"] if s in set(person.preferred_times)]
    interests = [i for i in volunteer["interests"] if i in set(person.interests)]
    languages = [lang for lang in volunteer["languages"] if lang in set(person.languages)]
    return Candidate(
        profile_id=volunteer["id"],
        user_id=volunteer["user_id"],
        distance_km=distance_km,
        radius_km=volunteer["radius_km"],
        shared_slots=slots,
        shared_interests=interests,
        shared_languages=languages,
        current_load=volunteer["current_load"],
        max_people=volunteer["max_people"],
        score=score_parts(
            distance_km=distance_km,
            radius_km=volunteer["radius_km"],
            n_slots=len(slots),
            n_interests=len(interests),
            n_languages=len(languages),
            current_load=volunteer["current_load"],
            max_people=volunteer["max_people"],
        ),
    )


def reasons_for(candidate: Candidate) -> list[str]:
    """Readable, translated reasons: "2,1 km · mardi après-midi · aiment tous deux les échecs"."""
    reasons = [
        _("%(distance)s km")
        % {"distance": formats.number_format(round(candidate.distance_km, 1), 1)}
    ]
    if candidate.shared_slots:
        ordered = sorted(
            candidate.shared_slots, key=lambda s: SLOT_CODES.index(s) if s in SLOT_CODES else 99
        )
        reasons.append(", ".join(slot_label(s) for s in ordered[:2]))
    if candidate.shared_interests:
        phrases = [interest_phrase(i) for i in sorted(candidate.shared_interests)[:2]]
        joined = (
            phrases[0]
            if len(phrases) == 1
            else _("%(first)s and %(second)s") % {"first": phrases[0], "second": phrases[1]}
        )
        reasons.append(_("both like %(interests)s") % {"interests": joined})
    if candidate.shared_languages:
        reasons.append(
            _("both speak %(languages)s")
            % {
                "languages": ", ".join(
                    language_label(lang).lower() for lang in sorted(candidate.shared_languages)
                )
            }
        )
    if candidate.current_load == 0:
        reasons.append(_("follows nobody yet"))
    else:
        reasons.append(
            ngettext(
                "already follows %(count)d person (of %(max)d)",
                "already follows %(count)d people (of %(max)d)",
                candidate.current_load,
            )
            % {"count": candidate.current_load, "max": candidate.max_people}
        )
    return reasons
