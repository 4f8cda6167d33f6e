"""Volunteer profiles and the per-brand vetting pipeline.

The pipeline lives in the brand's schema, so each brand configures its own ordered steps
(default: charter signed -> interview -> validated, seeded by a data migration that the template
schema carries into every cloned brand).
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from volunteers.choices import SLOT_CHOICES, Interest, Language

MAX_RADIUS_KM = 50


def mask_sql(column: str, codes: list[str]) -> str:
    """An immutable SQL expression turning a code array into a bit mask (bit i = codes[i] present).
    The matching query counts shared slots/interests/languages with bit_count(a & b) on these
    generated columns instead of intersecting arrays row by row."""
    return " + ".join(
        f"(CASE WHEN '{code}' = ANY(\"{column}\") THEN {1 << i} ELSE 0 END)"
        for i, code in enumerate(codes)
    )


def code_mask(values, codes: list[str]) -> int:
    """The same mask computed in Python (for the person side of the query)."""
    index = {code: i for i, code in enumerate(codes)}
    return sum(1 << index[v] for v in set(values or []) if v in index)


# Radius bands (upper bounds, km): the matching query scans each band with a bounding box as
# wide as the band's bound, so volunteers who only travel 3 km are not read for a person 15 km away.
RADIUS_BANDS_KM = (3, 5, 10, 15, 20, 30, MAX_RADIUS_KM)


def radius_band_sql() -> str:
    cases = " ".join(
        f'WHEN "radius_km" <= {bound} THEN {i}' for i, bound in enumerate(RADIUS_BANDS_KM)
    )
    return f"(CASE {cases} ELSE {len(RADIUS_BANDS_KM) - 1} END)"


SLOT_CODES_ORDER = [code for code, _label in SLOT_CHOICES]
INTEREST_CODES_ORDER = list(Interest.values)
LANGUAGE_CODES_ORDER = list(Language.values)


class VettingStep(models.Model):
    class Kind(models.TextChoices):
        CHARTER = "charter", _("Charter signed")
        INTERVIEW = "interview", _("Interview")
        BACKGROUND_CHECK = "background_check", _("Background check")
        TRAINING = "training", _("Training")
        VALIDATION = "validation", _("Validation")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    validity_days = models.PositiveIntegerField(
        _("validity (days)"),
        null=True,
        blank=True,
        help_text=_("For a background check: how long a check stays valid. Empty: no expiry."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ("position", "id")
        verbose_name = _("vetting step")
        verbose_name_plural = _("vetting steps")

    def __str__(self):
        return self.name

    @property
    def volunteer_can_complete(self) -> bool:
        """The volunteer signs the charter themself; every other step is done by staff."""
        return self.kind == self.Kind.CHARTER


class VolunteerProfile(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("Vetting in progress")
        VALIDATED = "validated", _("Validated")
        SUSPENDED = "suspended", _("Suspended")
        REJECTED = "rejected", _("Not retained")

    class LocationSource(models.TextChoices):
        NONE = "", _("Not set")
        ADDRESS = "address", _("Geocoded address")
        MAP = "map", _("Point picked on a map")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile"
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    district = models.CharField(_("district"), max_length=120, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    location_source = models.CharField(
        _("location source"), max_length=10, blank=True, choices=LocationSource.choices, default=""
    )
    radius_km = models.FloatField(
        _("radius (km)"),
        default=5,
        validators=[MinValueValidator(0.5), MaxValueValidator(MAX_RADIUS_KM)],
    )
    availability = ArrayField(
        models.CharField(max_length=16, choices=SLOT_CHOICES),
        default=list,
        blank=True,
        verbose_name=_("weekly availability"),
    )
    interests = ArrayField(
        models.CharField(max_length=20, choices=Interest.choices),
        default=list,
        blank=True,
        verbose_name=_("interests"),
    )
    languages = ArrayField(
        models.CharField(max_length=8, choices=Language.choices),
        default=list,
        blank=True,
        verbose_name=_("languages"),
    )
    radius_band = models.GeneratedField(
        expression=RawSQL(radius_band_sql(), []),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )
    availability_mask = models.GeneratedField(
        expression=RawSQL(mask_sql("availability", SLOT_CODES_ORDER), []),
        output_field=models.BigIntegerField(),
        db_persist=True,
    )
    interests_mask = models.GeneratedField(
        expression=RawSQL(mask_sql("interests", INTEREST_CODES_ORDER), []),
        output_field=models.BigIntegerField(),
        db_persist=True,
    )
    languages_mask = models.GeneratedField(
        expression=RawSQL(mask_sql("languages", LANGUAGE_CODES_ORDER), []),
        output_field=models.BigIntegerField(),
        db_persist=True,
    )
    max_people = models.PositiveSmallIntegerField(
        _("maximum people followed"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    # Active circle memberships, kept with F() by matching.services (join/leave) so the matching
    # query reads the load without a per-row count.
    current_load = models.PositiveSmallIntegerField(_("people followed"), default=0)
    status = models.CharField(
        _("vetting status"),
        max_length=12,
        choices=Status.choices,
        default=Status.IN_PROGRESS,
        db_index=True,
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    background_check_expires_on = models.DateField(
        _("background check valid until"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")
        indexes = [
            # The matching query's bounding boxes, one per radius band (see matching/selectors.py),
            # on a composite (band, latitude, longitude) index covering every column the ranking
            # reads: an index-only scan, so volunteers outside their own radius cost no heap visit.
            models.Index(
                fields=["radius_band", "latitude", "longitude"],
                name="volunteer_match_band_idx",
                include=[
                    "id",
                    "user_id",
                    "radius_km",
                    "status",
                    "current_load",
                    "max_people",
                    "availability_mask",
                    "interests_mask",
                    "languages_mask",
                    "background_check_expires_on",
                ],
            ),
            # Sizes that bounding box: max(radius_km) is an index-only lookup.
            models.Index(fields=["radius_km"], name="volunteer_radius_idx"),
        ]

    def __str__(self):
        return str(self.user)


class VettingRecord(models.Model):
    """One completed step for one volunteer: who did it, when, and (background check) until when."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    profile = models.ForeignKey(
        VolunteerProfile, on_delete=models.CASCADE, related_name="vetting_records"
    )
    step = models.ForeignKey(VettingStep, on_delete=models.PROTECT, related_name="records")
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ("completed_at", "id")
        verbose_name = _("vetting record")
        verbose_name_plural = _("vetting records")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "step"], name="vetting_record_once_per_step"
            ),
        ]

    def __str__(self):
        return f"{self.profile} · {self.step}"
