"""Writes of circle threads: post a message (notifies the other members once), mark as read."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from messaging.models import Message, ReadMarker, Thread
from messaging.selectors import can_use_thread

NEW_MESSAGE_KIND = "message_new"


def thread_for(circle) -> Thread:
    thread, _created = Thread.objects.get_or_create(circle=circle)
    return thread


def members_to_notify(circle, *, author) -> list:
    """The circle's active volunteers and the person's coordinator (all coordinators when the
    person has none), except the author."""
    from accounts.models import User
    from visits.selectors import coordinators_to_alert

    volunteers = list(
        User.objects.filter(
            is_active=True,
            circle_memberships__circle=circle,
            circle_memberships__left_at__isnull=True,
        ).order_by("id")
    )
    recipients = {u.pk: u for u in volunteers + coordinators_to_alert(circle.person)}
    recipients.pop(getattr(author, "pk", None), None)
    return list(recipients.values())


def post_message(*, acting_user, circle, body: str) -> Message:
    if not can_use_thread(acting_user, circle):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write a message.")]})
    if len(body) > 4000:
        raise ValidationError({"body": [_("The message is too long (4000 characters at most).")]})
    if circle.status != "open":
        raise ValidationError(_("This circle is closed: its thread is read-only."), code="closed")
    from visits.services import brand_link

    from worker.notify import notify

    with transaction.atomic():
        thread = thread_for(circle)
        message = Message.objects.create(thread=thread, author=acting_user, body=body)
        Thread.objects.filter(pk=thread.pk).update(last_message_at=message.created_at)
        _advance_marker(thread=thread, user=acting_user, message_id=message.pk)
        context = {
            "circle_id": str(circle.public_id),
            "circle_title": circle.title,
            "author_name": acting_user.get_full_name(),
            "message_id": str(message.public_id),
            "url": brand_link("webapp:circle_messages", public_id=circle.public_id),
        }
        for recipient in members_to_notify(circle, author=acting_user):
            notify(
                recipient=recipient,
                kind=NEW_MESSAGE_KIND,
                context=context,
                idempotency_key=f"{NEW_MESSAGE_KIND}:{message.public_id}:{recipient.public_id}",
            )
    return message


def _advance_marker(*, thread, user, message_id: int) -> None:
    marker, created = ReadMarker.objects.get_or_create(
        thread=thread, user=user, defaults={"last_read_message_id": message_id}
    )
    if not created:
        # Conditional: a late "read" from another tab never moves the marker backwards.
        ReadMarker.objects.filter(pk=marker.pk, last_read_message_id__lt=message_id).update(
            last_read_message_id=message_id
        )


def mark_read(*, acting_user, circle, up_to_message=None) -> int:
    """Mark the circle's thread read up to `up_to_message` (default: the latest message).
    Returns the id of the last message read (0 for an empty thread)."""
    if not can_use_thread(acting_user, circle):
        raise PermissionDenied
    thread = Thread.objects.filter(circle=circle).first()
    if thread is None:
        return 0
    if up_to_message is not None:
        if up_to_message.thread_id != thread.pk:
            raise ValidationError({"message": [_("This message is not in this thread.")]})
        last_id = up_to_message.pk
    else:
        last_id = thread.messages.order_by("-id").values_list("id", flat=True).first() or 0
    if last_id:
        with transaction.atomic():
            _advance_marker(thread=thread, user=acting_user, message_id=last_id)
    return last_id
