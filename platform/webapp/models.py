"""The web app's own records. `VisitReceipt` makes the visit log idempotent for the offline
queue: the browser gives each visit a UUID when the form is filled in; a replay of the same
submission (connection back, double tap, service-worker retry) finds the receipt and logs nothing
new. The visits app stays unchanged (its API and `log_visit` keep their signature)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitReceipt(models.Model):
    key = models.UUIDField(_("idempotency key"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    visit = models.OneToOneField("visits.Visit", on_delete=models.CASCADE, related_name="receipt")
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit receipt")
        verbose_name_plural = _("visit receipts")

    def __str__(self):
        return str(self.key)
