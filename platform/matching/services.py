"""Writes on matching: proposals (propose, answer, confirm, withdraw, expire) and circles
(join, leave, close). Capacity is guarded by locking the person's row: two volunteers taking the
last place of a circle are serialised, one wins, the other gets a clear message."""

from __future__ import annotations

from datetime import timedelta

from accounts.models import User
from accounts.permissions import is_staff_member
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from people.models import Person
from people.selectors import approximate_km, haversine_km
from volunteers.models import VolunteerProfile

from matching.models import Circle, CircleMembership, Proposal
from matching.scoring import reasons_for, score_python


def _settings():
    from themes import settings_for

    return settings_for(getattr(connection, "tenant", None))


def _notify(**kwargs):
    from worker.notify import notify

    return notify(**kwargs)


def _require_staff(user: User | None) -> None:
    if user is None or not is_staff_member(user):
        raise ValidationError(_("Only a coordinator can do this."))


def _locked_person(person: Person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)


def _active_count(person: Person) -> int:
    return CircleMembership.objects.filter(circle__person=person, left_at__isnull=True).count()


def _full_message(person: Person) -> str:
    return _(
        "Sorry, the circle of %(name)s is already complete: another volunteer took the last place "
        "a moment ago. Your coordinator will suggest someone else to you."
    ) % {"name": person.short_name}


def circle_title(person: Person) -> str:
    """“Les amis de {prénom}”, in the brand's default language."""
    with translation.override(getattr(_settings(), "default_locale", None) or "fr"):
        return _("Friends of %(first_name)s") % {"first_name": person.first_name}


def ensure_circle(person: Person) -> Circle:
    circle, _created = Circle.objects.get_or_create(
        person=person, defaults={"title": circle_title(person)}
    )
    return circle


# --- Proposals ---------------------------------------------------------------------------------


def _score_one(person: Person, profile: VolunteerProfile):
    if None in (person.latitude, person.longitude, profile.latitude, profile.longitude):
        return None, []
    distance = haversine_km(person.latitude, person.longitude, profile.latitude, profile.longitude)
    candidate = score_python(
        person,
        {
            "id": profile.pk,
            "user_id": profile.user_id,
            "radius_km": profile.radius_km,
            "availability": profile.availability,
            "interests": profile.interests,
            "languages": profile.languages,
            "current_load": profile.current_load,
            "max_people": profile.max_people,
        },
        distance_km=distance,
    )
    return candidate.score, reasons_for(candidate)


def propose(
    *, acting_user: User, person: Person, volunteers: list[User], message: str = ""
) -> list[Proposal]:
    """A coordinator proposes `person` to one or more volunteers. Each gets a notification that
    shows only the reduced view of the person."""
    from volunteers.selectors import is_matchable

    _require_staff(acting_user)
    if not volunteers:
        raise ValidationError({"volunteers": [_("Choose at least one volunteer.")]})
    if person.status != Person.Status.ACTIVE:
        raise ValidationError({"person": [_("This person is not active.")]})
    circle = getattr(person, "circle", None)
    if circle is not None and circle.status == Circle.Status.CLOSED:
        raise ValidationError({"person": [_("This person's circle is closed.")]})
    expires_at = timezone.now() + timedelta(days=int(_settings().proposal_expiry_days))
    errors: list[str] = []
    proposals = []
    with transaction.atomic():
        for volunteer in dict.fromkeys(volunteers):
            profile = VolunteerProfile.objects.filter(user=volunteer).first()
            name = volunteer.get_full_name()
            if profile is None or not is_matchable(profile):
                errors.append(
                    _("%(name)s is not a validated volunteer (or their check has expired).")
                    % {"name": name}
                )
                continue
            if CircleMembership.objects.filter(
                circle__person=person, volunteer=volunteer, left_at__isnull=True
            ).exists():
                errors.append(_("%(name)s is already in this circle.") % {"name": name})
                continue
            score, reasons = _score_one(person, profile)
            try:
                with transaction.atomic():
                    proposal = Proposal.objects.create(
                        person=person,
                        volunteer=volunteer,
                        proposed_by=acting_user,
                        message=(message or "").strip(),
                        score=score,
                        reasons=reasons,
                        expires_at=expires_at,
                    )
            except IntegrityError:
                errors.append(
                    _("%(name)s already has an open proposal for this person.") % {"name": name}
                )
                continue
            proposals.append((proposal, profile))
        if errors:
            raise ValidationError({"volunteers": errors})
        for proposal, profile in proposals:
            distance = None
            if None not in (person.latitude, profile.latitude):
                distance = approximate_km(
                    haversine_km(
                        person.latitude, person.longitude, profile.latitude, profile.longitude
                    )
                )
            _notify(
                recipient=proposal.volunteer,
                kind="proposal_created",
                idempotency_key=f"proposal_created:{proposal.public_id}",
                context={
                    "proposal_id": str(proposal.public_id),
                    "person_name": person.short_name,
                    "district": person.district,
                    "approximate_distance_km": distance,
                    "message": proposal.message,
                    "expires_at": proposal.expires_at.isoformat(),
                },
            )
    return [p for p, _profile in proposals]


def _expire_if_due(proposal: Proposal) -> bool:
    if proposal.status in Proposal.OPEN_STATUSES and proposal.expires_at <= timezone.now():
        proposal.status = Proposal.Status.EXPIRED
        proposal.save(update_fields=["status"])
        return True
    return False


def respond(*, proposal: Proposal, acting_user: User, accept: bool, reason: str = "") -> Proposal:
    """The volunteer accepts or declines (a reason is required to decline). With the brand flag
    `auto_confirm_matches`, an acceptance confirms the match at once."""
    from themes.flags import flag_enabled

    if acting_user.pk != proposal.volunteer_id:
        raise ValidationError(_("Only the volunteer this was proposed to can answer."))
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": [_("Tell your coordinator why you decline.")]})
    with transaction.atomic():
        person = _locked_person(proposal.person)
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        raise_after = _("This proposal has expired.") if _expire_if_due(proposal) else None
        if raise_after is None and proposal.status != Proposal.Status.PENDING:
            raise ValidationError(_("You have already answered this proposal."))
        if raise_after is None and accept:
            if _active_count(person) >= person.max_volunteers:
                raise ValidationError(_full_message(person))
            profile = VolunteerProfile.objects.filter(user_id=proposal.volunteer_id).first()
            if profile is not None and profile.current_load >= profile.max_people:
                raise ValidationError(
                    _(
                        "You already follow as many people as you said you could (%(max)d). "
                        "Raise this number in your profile first."
                    )
                    % {"max": profile.max_people}
                )
        if raise_after is None:
            proposal.status = Proposal.Status.ACCEPTED if accept else Proposal.Status.DECLINED
            proposal.response_reason = reason
            proposal.responded_at = timezone.now()
            proposal.save(update_fields=["status", "response_reason", "responded_at"])
            recipient = proposal.proposed_by or person.coordinator
            if recipient is not None and recipient.is_active:
                _notify(
                    recipient=recipient,
                    kind="proposal_answered",
                    idempotency_key=f"proposal_answered:{proposal.public_id}",
                    context={
                        "proposal_id": str(proposal.public_id),
                        "accepted": accept,
                        "reason": reason,
                        "volunteer_name": proposal.volunteer.get_full_name(),
                        "person_id": str(person.public_id),
                        "person_name": person.short_name,
                    },
                )
            if accept and flag_enabled("auto_confirm_matches"):
                _confirm_locked(proposal=proposal, person=person, acting_user=None)
    if raise_after is not None:
        # the expiry is committed; the volunteer is told why nothing else happened
        raise ValidationError(raise_after)
    return proposal


def confirm(*, proposal: Proposal, acting_user: User) -> CircleMembership:
    """A coordinator confirms an accepted proposal: the volunteer joins the person's circle."""
    _require_staff(acting_user)
    with transaction.atomic():
        person = _locked_person(proposal.person)
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != Proposal.Status.ACCEPTED:
            raise ValidationError(_("Only a proposal the volunteer has accepted can be confirmed."))
        return _confirm_locked(proposal=proposal, person=person, acting_user=acting_user)


def _confirm_locked(
    *, proposal: Proposal, person: Person, acting_user: User | None
) -> CircleMembership:
    """Runs with the person's row locked."""
    if _active_count(person) >= person.max_volunteers:
        raise ValidationError(_full_message(person))
    circle = ensure_circle(person)
    if circle.status == Circle.Status.CLOSED:
        raise ValidationError(_("This person's circle is closed."))
    membership = CircleMembership.objects.create(
        circle=circle, volunteer=proposal.volunteer, proposal=proposal
    )
    VolunteerProfile.objects.filter(user_id=proposal.volunteer_id).update(
        current_load=F("current_load") + 1
    )
    now = timezone.now()
    proposal.status = Proposal.Status.CONFIRMED
    proposal.decided_by = acting_user
    proposal.decided_at = now
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    coordinator = person.coordinator
    _notify(
        recipient=proposal.volunteer,
        kind="match_confirmed",
        idempotency_key=f"match_confirmed:{proposal.public_id}",
        context={
            "proposal_id": str(proposal.public_id),
            "circle_id": str(circle.public_id),
            "circle_title": circle.title,
            "person_id": str(person.public_id),
            "person_name": person.full_name,
            "phone": person.phone,
            "address": person.address,
            "district": person.district,
            "coordinator_name": coordinator.get_full_name() if coordinator else "",
            "coordinator_email": coordinator.email if coordinator else "",
        },
    )
    return membership


def withdraw(*, proposal: Proposal, acting_user: User) -> Proposal:
    _require_staff(acting_user)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status not in Proposal.OPEN_STATUSES:
            raise ValidationError(_("This proposal is no longer open."))
        proposal.status = Proposal.Status.WITHDRAWN
        proposal.decided_by = acting_user
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["status", "decided_by", "decided_at"])
    return proposal


def expire_proposals(*, now=None) -> int:
    """Open proposals past their expiry become expired (the brand's daily job)."""
    now = now or timezone.now()
    return Proposal.objects.filter(status__in=Proposal.OPEN_STATUSES, expires_at__lte=now).update(
        status=Proposal.Status.EXPIRED
    )


# --- Circles -----------------------------------------------------------------------------------


def leave_circle(
    *, membership: CircleMembership, acting_user: User, reason: str
) -> CircleMembership:
    """The volunteer leaves (or a coordinator removes them), with a reason."""
    if acting_user.pk != membership.volunteer_id and not is_staff_member(acting_user):
        raise ValidationError(_("You cannot end this membership."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason.")]})
    with transaction.atomic():
        membership = CircleMembership.objects.select_for_update().get(pk=membership.pk)
        if membership.left_at is not None:
            raise ValidationError(_("This volunteer has already left the circle."))
        membership.left_at = timezone.now()
        membership.left_reason = reason
        membership.save(update_fields=["left_at", "left_reason"])
        VolunteerProfile.objects.filter(user_id=membership.volunteer_id, current_load__gt=0).update(
            current_load=F("current_load") - 1
        )
    return membership


def close_circle(*, circle: Circle, acting_user: User, reason: str) -> Circle:
    """A coordinator closes a circle (the person moved, passed away, no longer wishes visits...):
    every active member leaves with the same reason and open proposals are withdrawn."""
    _require_staff(acting_user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason.")]})
    with transaction.atomic():
        _locked_person(circle.person)
        circle = Circle.objects.select_for_update().get(pk=circle.pk)
        if circle.status == Circle.Status.CLOSED:
            raise ValidationError(_("This circle is already closed."))
        now = timezone.now()
        active = list(CircleMembership.objects.filter(circle=circle, left_at__isnull=True))
        for membership in active:
            membership.left_at, membership.left_reason = now, reason
            membership.save(update_fields=["left_at", "left_reason"])
            VolunteerProfile.objects.filter(
                user_id=membership.volunteer_id, current_load__gt=0
            ).update(current_load=F("current_load") - 1)
        Proposal.objects.filter(
            person_id=circle.person_id, status__in=Proposal.OPEN_STATUSES
        ).update(status=Proposal.Status.WITHDRAWN, decided_by=acting_user, decided_at=now)
        circle.status = Circle.Status.CLOSED
        circle.closed_reason = reason
        circle.closed_at = now
        circle.save(update_fields=["status", "closed_reason", "closed_at"])
    return circle
