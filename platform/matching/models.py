"""Proposals (a coordinator proposes a person to a volunteer) and circles (the volunteers around
one person, "Les amis de {prénom}")."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Circle(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="circle")
    title = models.CharField(_("title"), max_length=150)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    closed_reason = models.TextField(_("reason for closing"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("circle")
        verbose_name_plural = _("circles")

    def __str__(self):
        return self.title


class CircleMembership(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_memberships"
    )
    proposal = models.ForeignKey(
        "matching.Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    left_reason = models.TextField(_("reason for leaving"), blank=True)

    class Meta:
        ordering = ("joined_at", "id")
        verbose_name = _("circle membership")
        verbose_name_plural = _("circle memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "volunteer"],
                condition=Q(left_at__isnull=True),
                name="one_active_membership_per_circle",
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.circle}"

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class Proposal(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the volunteer")
        ACCEPTED = "accepted", _("Accepted, awaiting confirmation")
        DECLINED = "declined", _("Declined")
        CONFIRMED = "confirmed", _("Confirmed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    OPEN_STATUSES = (Status.PENDING, Status.ACCEPTED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="proposals")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposals"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    message = models.TextField(_("message to the volunteer"), blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    response_reason = models.TextField(_("volunteer's reason"), blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    decided_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "volunteer"],
                condition=Q(status__in=["pending", "accepted"]),
                name="one_open_proposal_per_pair",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="proposal_expiry_idx")]

    def __str__(self):
        return f"{self.person} → {self.volunteer}"
