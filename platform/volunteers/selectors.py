"""Reads on volunteers."""

from __future__ import annotations

from datetime import date, timedelta

from accounts.models import User
from accounts.permissions import is_staff_member
from django.db.models import Exists, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from volunteers.models import VettingStep, VolunteerProfile


def background_check_steps() -> QuerySet[VettingStep]:
    """The active background-check steps of the brand's pipeline (none: no check required)."""
    return VettingStep.objects.filter(is_active=True, kind=VettingStep.Kind.BACKGROUND_CHECK)


def matchable_q(*, prefix: str = "", today=None) -> Q:
    """Who can be matched: validated, active, and with an in-date background check when the brand's
    pipeline has one."""
    today = today or timezone.localdate()
    q = Q(
        **{f"{prefix}status": VolunteerProfile.Status.VALIDATED, f"{prefix}user__is_active": True}
    )
    if background_check_steps().exists():
        q &= Q(**{f"{prefix}background_check_expires_on__gte": today})
    return q


def checks_expiring(*, days: int, today: date) -> QuerySet[VolunteerProfile]:
    """Validated, active volunteers whose background check is still valid today but ends within
    `days` days (inclusive), when the brand's pipeline has a background check. The pipeline test
    is a subquery, so this stays one statement (the dashboard counts it with the others)."""
    return VolunteerProfile.objects.filter(
        Exists(background_check_steps()),
        status=VolunteerProfile.Status.VALIDATED,
        user__is_active=True,
        background_check_expires_on__gte=today,
        background_check_expires_on__lte=today + timedelta(days=days),
    )


def matchable_volunteers() -> QuerySet[VolunteerProfile]:
    return VolunteerProfile.objects.filter(matchable_q())


def is_matchable(profile: VolunteerProfile) -> bool:
    return VolunteerProfile.objects.filter(matchable_q(), pk=profile.pk).exists()


def profile_list() -> QuerySet[VolunteerProfile]:
    return VolunteerProfile.objects.select_related("user").order_by("user__full_name", "id")


def access_profile(user: User, user_public_id) -> VolunteerProfile:
    """A volunteer's profile by the volunteer's (user) public id. Staff see every profile of their
    brand; a volunteer only their own. Same 404 otherwise."""
    qs = profile_list()
    if not is_staff_member(user):
        qs = qs.filter(user=user)
    profile = qs.filter(user__public_id=user_public_id).first()
    if profile is None:
        raise Http404
    return profile


def vetting_progress(profile: VolunteerProfile) -> list[dict]:
    """Every active step with its record (or None), in order."""
    records = {r.step_id: r for r in profile.vetting_records.select_related("completed_by")}
    return [
        {"step": step, "record": records.get(step.pk)}
        for step in VettingStep.objects.filter(is_active=True).order_by("position", "id")
    ]
