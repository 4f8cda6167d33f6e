"""The notification outbox and what decides where a message goes. All of it lives in each brand's
schema (worker is a TENANT_APP): a brand's notifications, preferences, push subscriptions and
VAPID keys never share a table with another brand's."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PUSH = "push", _("Push notification")
    SMS = "sms", _("SMS")


ALL_CHANNELS = (Channel.EMAIL, Channel.PUSH, Channel.SMS)


class Notification(models.Model):
    """One message to one recipient on one channel: the outbox row.

    Written in the transaction of the change that causes it, delivered after commit by a task
    that claims it (lease), sends it, and records the outcome. See docs/adr/0005-notification-outbox.md.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    urgent = models.BooleanField(_("urgent"), default=False)
    context = models.JSONField(_("context"), default=dict, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    provider_id = models.CharField(_("provider reference"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Not before this instant: quiet hours (deferred to the morning) and retry backoff.
    not_before = models.DateTimeField(_("not before"), default=timezone.now)
    # When a delivery task for this row was last put on the broker (the sweeper's clock).
    enqueued_at = models.DateTimeField(_("enqueued at"), null=True, blank=True)
    # A claimed row belongs to one delivery task until then.
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key", "channel"], name="worker_notification_unique_key_channel"
            ),
        ]
        indexes = [
            models.Index(
                fields=["not_before"],
                name="worker_notif_pending_idx",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id} ({self.channel}, {self.status})"


class NotificationPreference(models.Model):
    """A user's choice for one kind of notification on one channel."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=64)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="worker_pref_unique"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}/{self.channel}: {self.enabled}"


class ChannelDefault(models.Model):
    """The brand's default for a kind on a channel, used when the user has not chosen.
    `kind` "*" is the brand's default for every kind on that channel."""

    ANY_KIND = "*"

    kind = models.CharField(_("kind"), max_length=64, help_text=_("“*” means every kind."))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("brand default")
        verbose_name_plural = _("brand defaults")
        constraints = [
            models.UniqueConstraint(fields=["kind", "channel"], name="worker_default_unique"),
        ]

    def __str__(self):
        return f"{self.kind}/{self.channel}: {self.enabled}"


class PushSubscription(models.Model):
    """A browser's Web Push subscription (the PushSubscription JSON of the web app)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self):
        return f"{self.user_id}: {self.endpoint[:40]}…"

    def as_subscription_info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class MobileNumber(models.Model):
    """The number a user receives SMS on, in E.164 form (validated with phonenumbers)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mobile_number"
    )
    e164 = models.CharField(_("mobile number"), max_length=20)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("mobile number")
        verbose_name_plural = _("mobile numbers")

    def __str__(self):
        return self.e164


class VapidKeys(models.Model):
    """The brand's VAPID key pair (one row), generated when the brand is provisioned."""

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    private_key_pem = models.TextField()
    # The applicationServerKey the browser needs: uncompressed P-256 point, base64url.
    public_key = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("web push keys")
        verbose_name_plural = _("web push keys")

    def __str__(self):
        return self.public_key[:16] + "…"
