"""The coordinator's triage of concerns: a "worried" visit stays on the dashboard until a
coordinator acknowledges it (who, when, what they did about it)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConcernAcknowledgement(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # One acknowledgement per worried visit: the unique constraint makes a double click (or two
    # coordinators at once) record it once.
    visit = models.OneToOneField(
        "visits.Visit",
        on_delete=models.CASCADE,
        related_name="acknowledgement",
        verbose_name=_("visit"),
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)
    note = models.TextField(_("what was done"), blank=True, max_length=2000)

    class Meta:
        ordering = ("-acknowledged_at", "-id")
        verbose_name = _("acknowledged concern")
        verbose_name_plural = _("acknowledged concerns")

    def __str__(self):
        return f"{self.visit} · {self.acknowledged_at:%Y-%m-%d}"
