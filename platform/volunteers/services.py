"""Writes on volunteers: profile, location, vetting pipeline."""

from __future__ import annotations

from datetime import date, timedelta

from accounts.models import User
from accounts.permissions import is_staff_member
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from volunteers.choices import SLOT_CODES, Interest, Language
from volunteers.geocoding import GeocodingError, get_geocoder
from volunteers.models import VettingRecord, VettingStep, VolunteerProfile

PROFILE_FIELDS = ("phone", "radius_km", "availability", "interests", "languages", "max_people")


def get_or_create_profile(*, user: User) -> VolunteerProfile:
    profile, _created = VolunteerProfile.objects.get_or_create(user=user)
    return profile


def _clean_codes(field: str, values, allowed) -> list[str]:
    values = list(dict.fromkeys(values or []))
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValidationError(
            {field: [_("Unknown value: %(values)s.") % {"values": ", ".join(map(str, bad))}]}
        )
    return values


def update_profile(*, profile: VolunteerProfile, acting_user: User, **changes) -> VolunteerProfile:
    """Change a volunteer's profile. Location: give `address` (geocoded through the address API)
    or `latitude` + `longitude` (a point picked on a map; `address` is then kept as typed)."""
    if acting_user.pk != profile.user_id and not is_staff_member(acting_user):
        raise ValidationError(_("You cannot change this profile."))
    update_fields: list[str] = []
    for field in PROFILE_FIELDS:
        if field not in changes:
            continue
        value = changes[field]
        if field == "availability":
            value = _clean_codes(field, value, SLOT_CODES)
        elif field == "interests":
            value = _clean_codes(field, value, Interest.values)
        elif field == "languages":
            value = _clean_codes(field, value, Language.values)
        setattr(profile, field, value)
        update_fields.append(field)

    has_point = changes.get("latitude") is not None and changes.get("longitude") is not None
    if ("latitude" in changes) != ("longitude" in changes) or (
        ("latitude" in changes)
        and not has_point
        and (changes.get("latitude") is not None or changes.get("longitude") is not None)
    ):
        raise ValidationError({"latitude": [_("Give both latitude and longitude.")]})
    if has_point:
        profile.latitude, profile.longitude = (
            float(changes["latitude"]),
            float(changes["longitude"]),
        )
        profile.location_source = VolunteerProfile.LocationSource.MAP
        update_fields += ["latitude", "longitude", "location_source"]
        if "address" in changes:
            profile.address = (changes["address"] or "").strip()
            update_fields.append("address")
        if "district" in changes:
            profile.district = (changes["district"] or "").strip()
            update_fields.append("district")
    elif "address" in changes:
        address = (changes["address"] or "").strip()
        profile.address = address
        update_fields.append("address")
        if address:
            try:
                found = get_geocoder().geocode(address)
            except GeocodingError as exc:
                raise ValidationError(
                    {
                        "address": [
                            _(
                                "The address service cannot be reached right now. Pick your place on the map instead."
                            )
                        ]
                    }
                ) from exc
            if found is None:
                raise ValidationError(
                    {
                        "address": [
                            _(
                                "We could not find this address. Check it or pick your place on the map."
                            )
                        ]
                    }
                )
            profile.address = found.label
            profile.latitude, profile.longitude = found.latitude, found.longitude
            profile.district = found.district
            profile.location_source = VolunteerProfile.LocationSource.ADDRESS
        else:
            profile.latitude = profile.longitude = None
            profile.district = ""
            profile.location_source = VolunteerProfile.LocationSource.NONE
        update_fields += ["latitude", "longitude", "district", "location_source"]

    if not update_fields:
        return profile
    profile.full_clean(exclude=["user"])
    profile.save(update_fields=list(dict.fromkeys(update_fields + ["updated_at"])))
    return profile


# --- Vetting -----------------------------------------------------------------------------------


def active_steps() -> list[VettingStep]:
    return list(VettingStep.objects.filter(is_active=True).order_by("position", "id"))


def requires_background_check() -> bool:
    from volunteers.selectors import background_check_steps

    return background_check_steps().exists()


def next_step(*, profile: VolunteerProfile, steps=None, done_ids=None) -> VettingStep | None:
    steps = active_steps() if steps is None else steps
    if done_ids is None:
        done_ids = set(profile.vetting_records.values_list("step_id", flat=True))
    return next((s for s in steps if s.pk not in done_ids), None)


def complete_step(
    *,
    profile: VolunteerProfile,
    step: VettingStep,
    acting_user: User,
    expires_on: date | None = None,
    note: str = "",
) -> VettingRecord:
    """Record that `acting_user` completed `step` for the volunteer, now. Steps go in order; a
    background check needs an expiry date in the future (given, or from the step's validity).
    Completing the validation step validates the volunteer. A background check already done can
    be renewed (new date, new expiry)."""
    if not step.is_active:
        raise ValidationError({"step": [_("This step is not part of the pipeline.")]})
    is_self = acting_user.pk == profile.user_id
    if not is_staff_member(acting_user) and not (is_self and step.volunteer_can_complete):
        raise ValidationError({"step": [_("A coordinator must complete this step.")]})
    if profile.status in (
        VolunteerProfile.Status.REJECTED,
        VolunteerProfile.Status.SUSPENDED,
    ) and not is_staff_member(acting_user):
        raise ValidationError(
            {"step": [_("Your application is on hold; contact your coordinator.")]}
        )

    today = timezone.localdate()
    if step.kind == VettingStep.Kind.BACKGROUND_CHECK:
        if expires_on is None and step.validity_days:
            expires_on = today + timedelta(days=step.validity_days)
        if expires_on is None:
            raise ValidationError(
                {"expires_on": [_("Give the date until which the check is valid.")]}
            )
        if expires_on <= today:
            raise ValidationError({"expires_on": [_("This check has already expired.")]})
    else:
        expires_on = None

    with transaction.atomic():
        profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
        steps = active_steps()
        records = {r.step_id: r for r in profile.vetting_records.all()}
        existing = records.get(step.pk)
        if existing is not None and step.kind != VettingStep.Kind.BACKGROUND_CHECK:
            raise ValidationError({"step": [_("This step is already done.")]})
        missing = [s for s in steps if s.position < step.position and s.pk not in records]
        if missing:
            raise ValidationError(
                {"step": [_("Complete “%(step)s” first.") % {"step": missing[0].name}]}
            )
        now = timezone.now()
        if existing is not None:
            existing.completed_by, existing.completed_at = acting_user, now
            existing.expires_on, existing.note = expires_on, note
            existing.save(update_fields=["completed_by", "completed_at", "expires_on", "note"])
            record = existing
        else:
            record = VettingRecord.objects.create(
                profile=profile,
                step=step,
                completed_by=acting_user,
                completed_at=now,
                expires_on=expires_on,
                note=note,
            )
        update_fields = []
        if step.kind == VettingStep.Kind.BACKGROUND_CHECK:
            profile.background_check_expires_on = expires_on
            update_fields.append("background_check_expires_on")
        if step.kind == VettingStep.Kind.VALIDATION:
            profile.status = VolunteerProfile.Status.VALIDATED
            profile.validated_at = now
            update_fields += ["status", "validated_at"]
        if update_fields:
            profile.save(update_fields=update_fields + ["updated_at"])
        records[step.pk] = record
        upcoming = next_step(profile=profile, steps=steps, done_ids=set(records))
        if upcoming is not None and not upcoming.volunteer_can_complete:
            notify_vetting_pending(profile=profile, step=upcoming)
    return record


def set_status(*, profile: VolunteerProfile, acting_user: User, status: str) -> VolunteerProfile:
    """Suspend, reject or reinstate a volunteer (staff only)."""
    if not is_staff_member(acting_user):
        raise ValidationError(_("Only a coordinator can change a volunteer's status."))
    if status not in VolunteerProfile.Status.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    if status == VolunteerProfile.Status.VALIDATED:
        validation = VettingStep.objects.filter(
            is_active=True, kind=VettingStep.Kind.VALIDATION
        ).first()
        if validation is not None and not profile.vetting_records.filter(step=validation).exists():
            raise ValidationError(
                {"status": [_("Complete the vetting steps to validate this volunteer.")]}
            )
    profile.status = status
    profile.save(update_fields=["status", "updated_at"])
    return profile


def vetting_recipients():
    """Who acts on vetting steps: the brand's coordinators (its admins when it has none)."""
    staff = User.objects.filter(is_active=True, role=User.Role.COORDINATOR)
    if not staff.exists():
        staff = User.objects.filter(is_active=True, role=User.Role.BRAND_ADMIN)
    return list(staff)


def notify_vetting_pending(*, profile: VolunteerProfile, step: VettingStep) -> None:
    """Tell the coordinators that a volunteer waits for them on `step` (once per volunteer and step)."""
    from worker.notify import notify

    context = {
        "volunteer_id": str(profile.public_id),
        "volunteer_name": profile.user.get_full_name(),
        "step_key": step.key,
        "step_name": step.name,
    }
    for coordinator in vetting_recipients():
        notify(
            recipient=coordinator,
            kind="vetting_step_pending",
            context=context,
            idempotency_key=f"vetting_step_pending:{profile.public_id}:{step.key}:{coordinator.public_id}",
        )


EXPIRING_CHECK_KIND = "background_check_expiring"


def remind_expiring_background_checks(*, today: date | None = None) -> int:
    """The daily job: tell each volunteer whose background check ends within the brand's notice
    period (`background_check_notice_days`) that it must be renewed, before matching stops
    proposing them. Once per expiry date: the idempotency key holds it, so a daily run sends
    nothing new until a renewed check (a new date) comes close to its end in turn. Coordinators
    see the same volunteers on their dashboard. Returns the number of volunteers concerned."""
    from visits.services import brand_link, brand_today

    from themes import settings_for
    from volunteers.selectors import checks_expiring
    from worker.notify import notify

    days = int(settings_for().background_check_notice_days)
    today = today or brand_today()
    home = brand_link("webapp:home")
    concerned = 0
    for profile in checks_expiring(days=days, today=today).select_related("user"):
        expires_on = profile.background_check_expires_on
        with transaction.atomic():
            notify(
                recipient=profile.user,
                kind=EXPIRING_CHECK_KIND,
                context={
                    "expires_on": expires_on.isoformat(),
                    "expires_on_local": expires_on.strftime("%d/%m/%Y"),
                    "days_left": (expires_on - today).days,
                    "url": home,
                },
                idempotency_key=(
                    f"{EXPIRING_CHECK_KIND}:{profile.user.public_id}:{expires_on.isoformat()}"
                ),
            )
        concerned += 1
    return concerned
