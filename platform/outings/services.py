"""Writes of outings and their sign-ups. The capacity holds under concurrency: a sign-up locks
its outing's row (SELECT ... FOR UPDATE) before counting the places taken, so two people taking
the last place one after the other each see the other's sign-up."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outings.models import Outing, OutingSignup
from outings.selectors import is_staff_member

REMINDER_KIND = "outing_reminder"
CANCELLED_KIND = "outing_cancelled"
CHANGED_KIND = "outing_changed"
# A change of these is news for the participants (and for their calendars).
SCHEDULE_FIELDS = ("starts_at", "ends_at", "place")

EDITABLE_FIELDS = (
    "title",
    "description",
    "place",
    "starts_at",
    "ends_at",
    "capacity",
    "accessibility_notes",
)


class OutingFull(ValidationError):
    """The last place has been taken."""


def _validate_outing(values: dict, *, creating: bool) -> None:
    errors: dict[str, list[str]] = {}
    if not (values.get("title") or "").strip():
        errors.setdefault("title", []).append(_("Give the outing a title."))
    if not (values.get("place") or "").strip():
        errors.setdefault("place", []).append(_("Say where the outing takes place."))
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if not isinstance(starts_at, dt.datetime):
        errors.setdefault("starts_at", []).append(_("Enter the start date and time."))
    elif creating and starts_at <= timezone.now():
        errors.setdefault("starts_at", []).append(_("An outing must start in the future."))
    if not isinstance(ends_at, dt.datetime):
        errors.setdefault("ends_at", []).append(_("Enter the end date and time."))
    elif isinstance(starts_at, dt.datetime) and ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("The outing must end after it starts."))
    capacity = values.get("capacity")
    if not isinstance(capacity, int) or capacity < 1 or capacity > 10000:
        errors.setdefault("capacity", []).append(
            _("The capacity must be a number of places, at least 1.")
        )
    if errors:
        raise ValidationError(errors)


def create_outing(
    *,
    acting_user,
    title: str,
    place: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    accessibility_notes: str = "",
    description: str = "",
) -> Outing:
    if not is_staff_member(acting_user):
        raise PermissionDenied(_("Only coordinators can create outings."))
    values = {
        "title": (title or "").strip(),
        "place": (place or "").strip(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "capacity": capacity,
        "accessibility_notes": (accessibility_notes or "").strip(),
        "description": (description or "").strip(),
    }
    _validate_outing(values, creating=True)
    return Outing.objects.create(created_by=acting_user, **values)


def update_outing(*, acting_user, outing: Outing, **changes) -> Outing:
    if not is_staff_member(acting_user):
        raise PermissionDenied(_("Only coordinators can change outings."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        locked = Outing.objects.select_for_update().get(pk=outing.pk)
        if locked.cancelled_at is not None:
            raise ValidationError(_("This outing has been cancelled."), code="cancelled")
        values = {field: getattr(locked, field) for field in EDITABLE_FIELDS}
        values.update({k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()})
        _validate_outing(values, creating=False)
        taken = locked.signups.filter(cancelled_at__isnull=True).count()
        if values["capacity"] < taken:
            raise ValidationError(
                {
                    "capacity": [
                        _("%(taken)d places are already taken: the capacity can't be lower.")
                        % {"taken": taken}
                    ]
                }
            )
        moved = [f for f in SCHEDULE_FIELDS if f in changes and values[f] != getattr(locked, f)]
        for field in changes:
            setattr(locked, field, values[field])
        update_fields = [*changes, "updated_at"]
        if moved:
            locked.sequence += 1  # the row is locked: no lost increment
            update_fields.append("sequence")
        locked.save(update_fields=update_fields)
        if moved:
            _tell_participants(
                locked, kind=CHANGED_KIND, acting_user=acting_user, revision=str(locked.sequence)
            )
    return locked


def sign_up(*, acting_user, outing: Outing, person=None) -> OutingSignup:
    """Sign `acting_user` up, or, for a coordinator, register an accompanied `person`."""
    if not (acting_user and acting_user.is_authenticated and acting_user.is_active):
        raise PermissionDenied
    if person is not None and not is_staff_member(acting_user):
        raise PermissionDenied(_("Only coordinators can register a person for an outing."))
    with transaction.atomic():
        # The lock serialises sign-ups of this outing: the count below can't be stale.
        locked = Outing.objects.select_for_update().get(pk=outing.pk)
        if locked.cancelled_at is not None:
            raise ValidationError(_("This outing has been cancelled."), code="cancelled")
        if locked.starts_at <= timezone.now():
            raise ValidationError(_("This outing has already started."), code="started")
        active = locked.signups.filter(cancelled_at__isnull=True)
        mine = (
            active.filter(person=person)
            if person is not None
            else active.filter(volunteer=acting_user)
        )
        if mine.exists():
            raise ValidationError(_("Already signed up for this outing."), code="duplicate")
        if active.count() >= locked.capacity:
            raise OutingFull(
                _("Sorry, this outing is full: the last place has just been taken."), code="full"
            )
        try:
            with transaction.atomic():
                return OutingSignup.objects.create(
                    outing=locked,
                    volunteer=None if person is not None else acting_user,
                    person=person,
                    registered_by=acting_user,
                )
        except IntegrityError:  # belt and braces: the partial unique constraints
            raise ValidationError(
                _("Already signed up for this outing."), code="duplicate"
            ) from None


def cancel_signup(*, acting_user, signup: OutingSignup) -> OutingSignup:
    """Cancel a sign-up (the participant themself, or a coordinator); the place is freed."""
    if not (
        is_staff_member(acting_user)
        or (signup.volunteer_id and signup.volunteer_id == acting_user.pk)
    ):
        raise PermissionDenied
    now = timezone.now()
    # Conditional update: cancelling twice (double click, two tabs) changes nothing the 2nd time.
    changed = OutingSignup.objects.filter(pk=signup.pk, cancelled_at__isnull=True).update(
        cancelled_at=now, cancelled_by=acting_user
    )
    if not changed:
        raise ValidationError(_("This sign-up was already cancelled."), code="cancelled")
    signup.cancelled_at, signup.cancelled_by = now, acting_user
    return signup


def _recipient_of(signup):
    """Who hears about a sign-up: the volunteer, or for an accompanied person (who often has no
    account) their coordinator, else whoever registered them. Returns (user, participant id)."""
    if signup.volunteer_id:
        return signup.volunteer, signup.volunteer.public_id
    person = signup.person
    return (person.coordinator or signup.registered_by), person.public_id


def _tell_participants(outing: Outing, *, kind: str, acting_user, revision: str = "") -> int:
    """Notify every active participant of `outing` once per (kind, outing, participant[,
    revision]). The coordinator who made the change is not told about it."""
    from visits.services import brand_link, brand_timezone

    from worker.notify import notify

    tz = brand_timezone()
    signups = (
        outing.signups.filter(cancelled_at__isnull=True)
        .select_related("volunteer", "person__coordinator", "registered_by")
        .order_by("id")
    )
    told = 0
    for signup in signups:
        recipient, participant = _recipient_of(signup)
        if recipient is None or not recipient.is_active or recipient.pk == acting_user.pk:
            continue
        key = f"{kind}:{outing.public_id}:{participant}" + (f":{revision}" if revision else "")
        notify(
            recipient=recipient,
            kind=kind,
            context={
                "outing_id": str(outing.public_id),
                "title": outing.title,
                "place": outing.place,
                "starts_at_local": outing.starts_at.astimezone(tz).strftime("%d/%m/%Y %H:%M"),
                "ends_at_local": outing.ends_at.astimezone(tz).strftime("%H:%M"),
                "reason": outing.cancellation_reason,
                "for_person": signup.person.short_name if signup.person_id else "",
                "url": brand_link("webapp:outing_detail", public_id=outing.public_id)
                if signup.volunteer_id
                else brand_link("coordination:outing", public_id=outing.public_id),
            },
            idempotency_key=key,
        )
        told += 1
    return told


def cancel_outing(*, acting_user, outing: Outing, reason: str = "") -> Outing:
    """A coordinator calls an outing off. Its sign-ups stay (history) but every participant is
    told once (idempotent per outing and participant); no reminder goes out afterwards."""
    if not is_staff_member(acting_user):
        raise PermissionDenied(_("Only coordinators can cancel outings."))
    reason = (reason or "").strip()
    if len(reason) > 1000:
        raise ValidationError({"reason": [_("The reason is too long (1000 characters at most).")]})
    now = timezone.now()
    with transaction.atomic():
        changed = Outing.objects.filter(pk=outing.pk, cancelled_at__isnull=True).update(
            cancelled_at=now, cancellation_reason=reason, updated_at=now
        )
        if not changed:
            raise ValidationError(_("This outing has already been cancelled."), code="cancelled")
        outing.cancelled_at, outing.cancellation_reason = now, reason
        _tell_participants(outing, kind=CANCELLED_KIND, acting_user=acting_user)
    return outing


def send_outing_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind every participant of the outings that start tomorrow (brand's timezone).

    Run by a periodic job several times a day; the idempotency key (outing + participant) makes
    each reminder go out once, even across cancel/sign-up again. A person who doesn't use the
    app is reminded through their coordinator (or whoever registered them). Returns how many
    participants were considered."""
    from visits.services import brand_link, brand_timezone

    from themes.flags import flag_enabled
    from worker.notify import notify

    if not flag_enabled("outings"):
        return 0
    tz = brand_timezone()
    now = now or timezone.now()
    tomorrow = now.astimezone(tz).date() + dt.timedelta(days=1)
    window_start = dt.datetime.combine(tomorrow, dt.time.min, tzinfo=tz)
    window_end = dt.datetime.combine(tomorrow + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    signups = (
        OutingSignup.objects.filter(
            cancelled_at__isnull=True,
            outing__cancelled_at__isnull=True,
            outing__starts_at__gte=window_start,
            outing__starts_at__lt=window_end,
        )
        .select_related("outing", "volunteer", "person__coordinator", "registered_by")
        .order_by("outing_id", "id")
    )
    count = 0
    for signup in signups:
        outing = signup.outing
        context = {
            "outing_id": str(outing.public_id),
            "title": outing.title,
            "place": outing.place,
            "starts_at": outing.starts_at.isoformat(),
            "starts_at_local": outing.starts_at.astimezone(tz).strftime("%d/%m/%Y %H:%M"),
            "ends_at_local": outing.ends_at.astimezone(tz).strftime("%H:%M"),
            "accessibility_notes": outing.accessibility_notes,
            "calendar_url": brand_link("webapp:outing_calendar", public_id=outing.public_id),
        }
        recipient, participant = _recipient_of(signup)
        if signup.volunteer_id:
            context["for_person"] = ""
            context["url"] = brand_link("webapp:outing_detail", public_id=outing.public_id)
        else:
            context["for_person"] = signup.person.short_name
            context["url"] = brand_link("coordination:outing", public_id=outing.public_id)
        if recipient is None or not recipient.is_active:
            continue
        with transaction.atomic():
            notify(
                recipient=recipient,
                kind=REMINDER_KIND,
                context=context,
                idempotency_key=f"{REMINDER_KIND}:{outing.public_id}:{participant}",
            )
        count += 1
    return count
