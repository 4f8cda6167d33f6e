"""Writes on isolated people: registration with consent, updates. Staff only."""

from __future__ import annotations

from accounts.models import User
from accounts.permissions import is_staff_member
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from volunteers.choices import SLOT_CODES, Interest, Language
from volunteers.geocoding import GeocodingError, get_geocoder

from people.models import ConsentRecord, Person, PersonAccessLog

EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "email",
    "address",
    "district",
    "latitude",
    "longitude",
    "needs",
    "preferred_times",
    "interests",
    "languages",
    "notes",
    "coordinator",
    "max_volunteers",
    "status",
)


def _require_staff(user: User) -> None:
    if not is_staff_member(user):
        raise ValidationError(_("Only a coordinator can do this."))


def _check_codes(data: dict) -> None:
    from people.models import Need

    for field, allowed in (
        ("needs", Need.values),
        ("preferred_times", SLOT_CODES),
        ("interests", Interest.values),
        ("languages", Language.values),
    ):
        if field in data:
            values = list(dict.fromkeys(data[field] or []))
            bad = [v for v in values if v not in allowed]
            if bad:
                raise ValidationError(
                    {
                        field: [
                            _("Unknown value: %(values)s.") % {"values": ", ".join(map(str, bad))}
                        ]
                    }
                )
            data[field] = values


def _locate(person: Person, data: dict) -> None:
    """A point given explicitly wins; otherwise a changed address is geocoded."""
    if data.get("latitude") is not None and data.get("longitude") is not None:
        return
    if ("latitude" in data) != ("longitude" in data):
        raise ValidationError({"latitude": [_("Give both latitude and longitude.")]})
    if "address" in data and data["address"]:
        try:
            found = get_geocoder().geocode(data["address"])
        except GeocodingError as exc:
            raise ValidationError(
                {
                    "address": [
                        _(
                            "The address service cannot be reached right now. Give the coordinates instead."
                        )
                    ]
                }
            ) from exc
        if found is None:
            raise ValidationError(
                {
                    "address": [
                        _("We could not find this address. Check it or give the coordinates.")
                    ]
                }
            )
        data["address"] = found.label
        data["latitude"], data["longitude"] = found.latitude, found.longitude
        if not data.get("district"):
            data["district"] = found.district


def _check_coordinator(data: dict) -> None:
    coordinator = data.get("coordinator")
    if coordinator is not None and not is_staff_member(coordinator):
        raise ValidationError({"coordinator": [_("Choose a coordinator of this brand.")]})


def record_consent(
    *,
    person: Person,
    acting_user: User,
    method: str,
    purpose: str,
    given_by: str = "",
    given_at=None,
) -> ConsentRecord:
    _require_staff(acting_user)
    if method not in ConsentRecord.Method.values:
        raise ValidationError({"method": [_("Choose how the consent was given.")]})
    if not (purpose or "").strip():
        raise ValidationError({"purpose": [_("Say what the consent is for.")]})
    given_at = given_at or timezone.now()
    if given_at > timezone.now():
        raise ValidationError({"given_at": [_("Consent cannot be given in the future.")]})
    return ConsentRecord.objects.create(
        person=person,
        recorded_by=acting_user,
        method=method,
        purpose=purpose.strip(),
        given_by=(given_by or "").strip(),
        given_at=given_at,
    )


def register_person(*, acting_user: User, consent: dict, **data) -> Person:
    """A coordinator registers a person together with the record of their consent (required)."""
    _require_staff(acting_user)
    if not consent:
        raise ValidationError(
            {"consent": [_("Record the person's consent before registering them.")]}
        )
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    _check_codes(data)
    _check_coordinator(data)
    _locate(Person(), data)
    data.setdefault("coordinator", acting_user)
    with transaction.atomic():
        person = Person(created_by=acting_user, **data)
        person.full_clean()
        person.save()
        try:
            record_consent(person=person, acting_user=acting_user, **consent)
        except ValidationError as exc:
            raise ValidationError({f"consent.{k}": v for k, v in exc.message_dict.items()}) from exc
        log_access(
            person=person,
            user=acting_user,
            channel=PersonAccessLog.Channel.API,
            action=PersonAccessLog.Action.CREATE,
        )
    return person


def update_person(
    *, person: Person, acting_user: User, channel: str = PersonAccessLog.Channel.API, **data
) -> Person:
    _require_staff(acting_user)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    _check_codes(data)
    _check_coordinator(data)
    if "address" in data and data["address"] == person.address and "latitude" not in data:
        data.pop("address")
    _locate(person, data)
    if not data:
        return person
    with transaction.atomic():
        for field, value in data.items():
            setattr(person, field, value)
        person.full_clean()
        person.save(update_fields=list(data) + ["updated_at"])
        log_access(
            person=person, user=acting_user, channel=channel, action=PersonAccessLog.Action.UPDATE
        )
    return person


def log_access(
    *, person: Person, user: User, channel: str, action: str = PersonAccessLog.Action.VIEW
) -> PersonAccessLog:
    return PersonAccessLog.objects.create(
        person=person,
        person_public_id=person.public_id,
        user=user,
        user_email=user.email,
        channel=channel,
        action=action,
    )
