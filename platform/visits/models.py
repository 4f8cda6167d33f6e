"""The visit log: every contact a volunteer has with the person they accompany (a visit, a phone
call, an outing together), with how the person seemed. A "worried" mood alerts the coordinator."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Visit(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Phone call")
        OUTING = "outing", _("Outing together")

    class Mood(models.TextChoices):
        GOOD = "good", _("Good")
        NEUTRAL = "neutral", _("Neutral")
        WORRIED = "worried", _("Worried")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="visits", verbose_name=_("person")
    )
    # A volunteer who leaves (or is anonymised) must not erase the person's contact history.
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="visits",
        verbose_name=_("volunteer"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.VISIT)
    occurred_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    mood = models.CharField(_("mood"), max_length=8, choices=Mood.choices)
    note = models.TextField(_("note"), blank=True, max_length=4000)
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["person", "-occurred_on"], name="visit_person_date_idx"),
            models.Index(fields=["volunteer", "-occurred_on"], name="visit_volunteer_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1, duration_minutes__lte=24 * 60),
                name="visit_duration_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_on:%Y-%m-%d}"
