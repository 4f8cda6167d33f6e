"""Messaging: one thread per circle, shared by the circle's active volunteers and the
coordinators. Each member has a read marker (the id of the last message they have read), from
which unread counts are computed."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Thread(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    circle = models.OneToOneField(
        "matching.Circle", on_delete=models.CASCADE, related_name="thread", verbose_name=_("circle")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message at"), null=True, blank=True)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")

    def __str__(self):
        return str(self.circle)


class Message(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="messages", verbose_name=_("thread")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="messages",
        verbose_name=_("author"),
    )
    body = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["id"]
        indexes = [models.Index(fields=["thread", "id"], name="message_thread_id_idx")]

    def __str__(self):
        return self.body[:60]


class ReadMarker(models.Model):
    """Where a member stopped reading a thread. Message ids only grow within a schema, so
    "unread" is simply: messages of the thread with a greater id, written by someone else."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_markers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_markers"
    )
    last_read_message_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("read marker")
        verbose_name_plural = _("read markers")
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "user"], name="read_marker_unique_thread_user"
            )
        ]

    def __str__(self):
        return f"{self.user_id} · {self.thread_id} · {self.last_read_message_id}"
