"""Writes of the volunteer web app that span several apps (the domain writes stay in their own
apps' services; this module only composes them).

- `log_visit_once`: the visits app's `log_visit`, made idempotent for the offline queue.
- `export_my_data` / `delete_my_account`: the user's "my data" rights (GDPR art. 15/17/20),
  gathered from every app that stores something about them.
"""

from __future__ import annotations

import uuid

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from webapp.models import VisitReceipt


def log_visit_once(*, acting_user, person, idempotency_key, **fields):
    """Log a visit through `visits.services.log_visit`, once per `idempotency_key` (a UUID the
    browser generated). Returns (visit, created). A key already used by this user returns the
    visit it created; a key used by someone else is refused.

    The receipt is inserted in the same transaction as the visit: when two replays race, the
    unique key makes the loser's transaction (its visit and its alerts) roll back."""
    from visits.services import log_visit

    try:
        key = uuid.UUID(str(idempotency_key))
    except (TypeError, ValueError, AttributeError):
        raise ValidationError({"idempotency_key": [_("Invalid submission key.")]}) from None
    existing = VisitReceipt.objects.select_related("visit").filter(key=key).first()
    if existing is not None:
        if existing.user_id != acting_user.pk:
            raise ValidationError({"idempotency_key": [_("Invalid submission key.")]})
        return existing.visit, False
    try:
        with transaction.atomic():
            visit = log_visit(acting_user=acting_user, person=person, **fields)
            VisitReceipt.objects.create(key=key, user=acting_user, visit=visit)
    except IntegrityError:
        existing = (
            VisitReceipt.objects.select_related("visit").filter(key=key, user=acting_user).first()
        )
        if existing is None:
            raise ValidationError({"idempotency_key": [_("Invalid submission key.")]}) from None
        return existing.visit, False
    return visit, True


# --- My data --------------------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value is not None else None


def export_my_data(*, user) -> dict:
    """Everything the brand stores about `user`, as JSON-serialisable data (right of access and
    portability). People's records are not the user's data: only what the user wrote about them
    (visits, messages) and the names they already see."""
    from matching.models import CircleMembership, Proposal
    from messaging.models import Message
    from outings.models import OutingSignup
    from visits.models import Visit
    from volunteers.models import VolunteerProfile

    from worker.models import NotificationPreference, PushSubscription

    data: dict = {
        "format": "entraide-export/1",
        "exported_at": timezone.now().isoformat(),
        "brand": getattr(connection.tenant, "name", ""),
        "account": {
            "id": str(user.public_id),
            "email": user.email,
            "full_name": user.full_name,
            "role": user.role,
            "language": user.preferred_language,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
    }
    profile = VolunteerProfile.objects.filter(user=user).first()
    data["volunteer_profile"] = (
        None
        if profile is None
        else {
            "phone": profile.phone,
            "address": profile.address,
            "district": profile.district,
            "latitude": profile.latitude,
            "longitude": profile.longitude,
            "radius_km": profile.radius_km,
            "availability": list(profile.availability),
            "interests": list(profile.interests),
            "languages": list(profile.languages),
            "max_people": profile.max_people,
            "status": profile.status,
            "vetting": [
                {
                    "step": r.step.name,
                    "completed_at": _iso(r.completed_at),
                    "expires_on": _iso(r.expires_on),
                }
                for r in profile.vetting_records.select_related("step")
            ],
        }
    )
    data["proposals"] = [
        {
            "id": str(p.public_id),
            "person": p.person.short_name,
            "status": p.status,
            "created_at": _iso(p.created_at),
            "responded_at": _iso(p.responded_at),
            "response_reason": p.response_reason,
        }
        for p in Proposal.objects.filter(volunteer=user)
        .select_related("person")
        .order_by("created_at", "id")
    ]
    data["circles"] = [
        {
            "circle": m.circle.title,
            "joined_at": _iso(m.joined_at),
            "left_at": _iso(m.left_at),
            "left_reason": m.left_reason,
        }
        for m in CircleMembership.objects.filter(volunteer=user)
        .select_related("circle")
        .order_by("joined_at", "id")
    ]
    data["visits"] = [
        {
            "id": str(v.public_id),
            "person": v.person.short_name,
            "kind": v.kind,
            "occurred_on": _iso(v.occurred_on),
            "duration_minutes": v.duration_minutes,
            "mood": v.mood,
            "note": v.note,
            "created_at": _iso(v.created_at),
        }
        for v in Visit.objects.filter(volunteer=user)
        .select_related("person")
        .order_by("occurred_on", "id")
    ]
    data["outing_signups"] = [
        {
            "outing": s.outing.title,
            "starts_at": _iso(s.outing.starts_at),
            "signed_up_at": _iso(s.created_at),
            "cancelled_at": _iso(s.cancelled_at),
        }
        for s in OutingSignup.objects.filter(volunteer=user)
        .select_related("outing")
        .order_by("created_at", "id")
    ]
    data["messages"] = [
        {"circle": m.thread.circle.title, "sent_at": _iso(m.created_at), "body": m.body}
        for m in Message.objects.filter(author=user)
        .select_related("thread__circle")
        .order_by("created_at", "id")
    ]
    data["notification_preferences"] = [
        {"kind": p.kind, "channel": p.channel, "enabled": p.enabled}
        for p in NotificationPreference.objects.filter(user=user).order_by("kind", "channel")
    ]
    data["push_subscriptions"] = [
        {"created_at": _iso(s.created_at), "user_agent": s.user_agent}
        for s in PushSubscription.objects.filter(user=user).order_by("created_at", "id")
    ]
    return data


def delete_my_account(*, acting_user, confirm_email: str):
    """Delete the account of `acting_user` by anonymising it (right to erasure).

    The person accompanied keeps their history: visits stay (with no author), but the account can
    no longer sign in and holds no personal data: name, e-mail, phone, address, location, notes of
    the profile, push subscriptions, preferences and API tokens are erased; open proposals are
    declined; circle memberships and outing sign-ups end; the author's messages are blanked."""
    from accounts.models import ApiToken, Invitation
    from matching.models import CircleMembership, Proposal
    from matching.services import leave_circle, respond
    from messaging.models import Message
    from outings.models import OutingSignup
    from outings.services import cancel_signup
    from volunteers.models import VolunteerProfile

    from worker.models import MobileNumber, Notification, NotificationPreference, PushSubscription

    user = acting_user
    if (confirm_email or "").strip().lower() != user.email.lower():
        raise ValidationError(
            {"confirm_email": [_("Type your e-mail address exactly to confirm.")]}
        )
    now = timezone.now()
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        # The domain services do the leaving (load counters, notifications to the coordinator).
        reason = _("Account deleted")
        for membership in CircleMembership.objects.filter(volunteer=user, left_at__isnull=True):
            leave_circle(membership=membership, acting_user=user, reason=reason)
        for signup in OutingSignup.objects.filter(volunteer=user, cancelled_at__isnull=True):
            cancel_signup(acting_user=user, signup=signup)
        for proposal in Proposal.objects.filter(volunteer=user, status=Proposal.Status.PENDING):
            try:
                respond(proposal=proposal, acting_user=user, accept=False, reason=reason)
            except ValidationError:  # expired meanwhile: nothing left to answer
                pass
        # Accepted but not yet confirmed: nobody may confirm a deleted account.
        Proposal.objects.filter(volunteer=user, status=Proposal.Status.ACCEPTED).update(
            status=Proposal.Status.DECLINED, responded_at=now, response_reason=reason
        )
        Message.objects.filter(author=user).update(body=_("(message deleted)"))
        profile = VolunteerProfile.objects.filter(user=user).first()
        if profile is not None:
            profile.phone = profile.address = profile.district = ""
            profile.latitude = profile.longitude = None
            profile.location_source = ""
            profile.availability, profile.interests, profile.languages = [], [], []
            profile.status = VolunteerProfile.Status.SUSPENDED
            profile.save(
                update_fields=[
                    "phone",
                    "address",
                    "district",
                    "latitude",
                    "longitude",
                    "location_source",
                    "availability",
                    "interests",
                    "languages",
                    "status",
                    "updated_at",
                ]
            )
        PushSubscription.objects.filter(user=user).delete()
        NotificationPreference.objects.filter(user=user).delete()
        # Nothing more is sent to a deleted account (the outbox keeps the rows, marked skipped).
        Notification.objects.filter(recipient=user, status=Notification.Status.PENDING).update(
            status=Notification.Status.SKIPPED, last_error="account deleted"
        )
        ApiToken.objects.filter(user=user).delete()
        Invitation.objects.filter(user=user).delete()
        MobileNumber.objects.filter(user=user).delete()
        user.email = f"deleted-{user.public_id}@invalid"
        user.full_name = ""
        user.preferred_language = ""
        user.is_active = False
        user.set_unusable_password()
        user.save(
            update_fields=["email", "full_name", "preferred_language", "is_active", "password"]
        )
    return user


# --- Notification preferences ------------------------------------------------------------------------


def set_notification_preferences(*, acting_user, choices: dict) -> int:
    """Store the user's choice for each (kind, channel) pair through the worker's
    `set_preference` (all or nothing); returns the number of pairs written."""
    from worker.services import set_preference

    with transaction.atomic():
        for (kind, channel), enabled in choices.items():
            set_preference(
                acting_user=acting_user, kind=kind, channel=channel, enabled=bool(enabled)
            )
    return len(choices)
