"""Reads of the volunteer web app: page data composed from the domain apps' selectors (which
enforce who sees what). Every function returns plain lists so a page's query count is fixed."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from themes.flags import flag_enabled


@dataclass
class Home:
    circles: list = field(default_factory=list)
    proposals: list = field(default_factory=list)  # (proposal, reduced person)
    outings: list = field(default_factory=list)
    recent_visits: list = field(default_factory=list)
    onboarding_needed: bool = False


def home_for(user) -> Home:
    from matching.models import Proposal
    from matching.selectors import circles_for_volunteer, proposal_list
    from people.selectors import reduce

    now = timezone.now()
    home = Home()
    from accounts.permissions import is_staff_member

    if flag_enabled("messaging") and not is_staff_member(user):
        # The same circles, annotated with the unread count of their thread.
        from messaging.selectors import circles_with_threads_for

        circles = circles_with_threads_for(user)
    else:
        circles = circles_for_volunteer(user)
    home.circles = list(circles.order_by("person__first_name", "id"))
    profile = _profile(user)
    # `reduce` reads the volunteer's location from `user.volunteer_profile`: give it the one we have.
    if profile is not None:
        user.volunteer_profile = profile
    home.onboarding_needed = user.role == "volunteer" and (
        profile is None or not profile.availability
    )
    proposals = proposal_list(user).filter(
        volunteer=user, status=Proposal.Status.PENDING, expires_at__gt=now
    )
    home.proposals = [
        (p, reduce(p.person, volunteer=user if profile is not None else None))
        for p in proposals.order_by("expires_at", "id")
    ]
    if flag_enabled("outings"):
        from outings.selectors import outings_for

        home.outings = list(outings_for(user).filter(signed_up=True, ends_at__gte=now)[:5])
    if flag_enabled("visit_log"):
        from visits.selectors import visits_for

        home.recent_visits = list(visits_for(user).filter(volunteer=user)[:3])
    return home


def _profile(user):
    from volunteers.models import VolunteerProfile

    return VolunteerProfile.objects.filter(user=user).first()


def profile_of(user):
    return _profile(user)
