"""Outings: group events (a walk, a concert, a shared meal) with a capacity. Volunteers sign
themselves up; coordinators register the people they accompany (who often don't use the app)."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Outing(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    place = models.CharField(_("place"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="outings_created",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Bumped when the date, time or place changes: the calendar file's SEQUENCE, so calendar
    # apps replace the event they already have (RFC 5545 3.8.7.4).
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("outing")
        verbose_name_plural = _("outings")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"], name="outing_starts_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="outing_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="outing_capacity_positive"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class OutingSignup(models.Model):
    """One participant of an outing: either a volunteer (a user) or an accompanied person.

    A cancelled sign-up keeps its row (who cancelled and when) and frees the place; signing up
    again creates a new row. The partial unique constraints make a double sign-up impossible
    even if two requests race."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    outing = models.ForeignKey(
        Outing, on_delete=models.CASCADE, related_name="signups", verbose_name=_("outing")
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outing_signups",
        verbose_name=_("volunteer"),
    )
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outing_signups",
        verbose_name=_("person"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cancelled by"),
    )

    class Meta:
        verbose_name = _("outing sign-up")
        verbose_name_plural = _("outing sign-ups")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(volunteer__isnull=False) & Q(person__isnull=True))
                | (Q(volunteer__isnull=True) & Q(person__isnull=False)),
                name="outing_signup_one_participant",
            ),
            models.UniqueConstraint(
                fields=["outing", "volunteer"],
                condition=Q(cancelled_at__isnull=True, volunteer__isnull=False),
                name="outing_signup_unique_active_volunteer",
            ),
            models.UniqueConstraint(
                fields=["outing", "person"],
                condition=Q(cancelled_at__isnull=True, person__isnull=False),
                name="outing_signup_unique_active_person",
            ),
        ]
        indexes = [
            models.Index(
                fields=["outing"],
                condition=Q(cancelled_at__isnull=True),
                name="outing_signup_active_idx",
            ),
        ]

    def __str__(self):
        return f"{self.outing} — {self.participant_label}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None

    @property
    def participant_label(self) -> str:
        if self.volunteer_id:
            return str(self.volunteer)
        return self.person.short_name
