"""Builders for the web app's tests (and the browser tests): real objects made through the
domain services, inside a brand's schema (the caller is inside `tenant_context`)."""

from __future__ import annotations

import itertools

_seq = itertools.count(1)


def coordinator(*, email=None, full_name="Camille Coord"):
    from accounts.models import User

    return User.objects.create_user(
        email=email or f"coord{next(_seq)}@example.org",
        password="correct horse battery",
        role=User.Role.COORDINATOR,
        full_name=full_name,
    )


def volunteer(
    *,
    email=None,
    full_name="Valentin Volunteer",
    validated=True,
    by=None,
    latitude=48.8566,
    longitude=2.3522,
    password="correct horse battery",
):
    """A volunteer with a located profile; validated through every vetting step by `by`."""
    from accounts.models import User
    from volunteers.models import VettingStep
    from volunteers.services import (
        active_steps,
        complete_step,
        get_or_create_profile,
        update_profile,
    )

    user = User.objects.create_user(
        email=email or f"vol{next(_seq)}@example.org",
        password=password,
        role=User.Role.VOLUNTEER,
        full_name=full_name,
    )
    profile = get_or_create_profile(user=user)
    update_profile(
        profile=profile,
        acting_user=user,
        latitude=latitude,
        longitude=longitude,
        district="Paris 4e",
        availability=["tue_afternoon", "sat_morning"],
        interests=["chess"],
        languages=["fr"],
        radius_km=10,
    )
    if validated:
        import datetime as dt

        from django.utils import timezone

        for step in active_steps():
            expires = (
                timezone.localdate() + dt.timedelta(days=365)
                if step.kind == VettingStep.Kind.BACKGROUND_CHECK
                else None
            )
            complete_step(profile=profile, step=step, acting_user=by, expires_on=expires)
    return user


def person(*, by, first_name="Jeanne", last_name="Martin", latitude=48.857, longitude=2.353):
    from people.services import register_person

    return register_person(
        acting_user=by,
        first_name=first_name,
        last_name=last_name,
        phone="+33 1 23 45 67 89",
        address="3 rue des Rosiers, Paris",
        district="Marais",
        latitude=latitude,
        longitude=longitude,
        needs=["visits"],
        interests=["chess"],
        consent={"method": "in_person", "purpose": "Visits by volunteers of the association"},
    )


def proposal(*, by, person, volunteer):
    from matching.services import propose

    return propose(acting_user=by, person=person, volunteers=[volunteer])[0]


def matched(*, by, person, volunteer):
    """A confirmed match: the volunteer is in the person's circle."""
    from matching.services import confirm, respond

    p = proposal(by=by, person=person, volunteer=volunteer)
    respond(proposal=p, acting_user=volunteer, accept=True)
    p.refresh_from_db()
    if p.status != "confirmed":
        confirm(proposal=p, acting_user=by)
    from matching.models import Circle

    return Circle.objects.get(person=person)
