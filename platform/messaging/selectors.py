"""Reads of circle threads. A thread is readable by the circle's active volunteers and by the
brand's coordinators; everybody else gets the same 404 as for a circle that doesn't exist."""

from __future__ import annotations

from accounts.permissions import is_staff_member
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from messaging.models import Message, ReadMarker


def _active_memberships(user):
    from matching.models import CircleMembership

    return CircleMembership.objects.filter(volunteer=user, left_at__isnull=True)


def can_use_thread(user, circle) -> bool:
    if is_staff_member(user):
        return True
    if not (user and user.is_authenticated and user.is_active):
        return False
    return _active_memberships(user).filter(circle=circle).exists()


def _unread_count(user):
    """Messages of the circle's thread after the user's read marker, written by someone else."""
    marker = ReadMarker.objects.filter(thread__circle=OuterRef(OuterRef("pk")), user=user).values(
        "last_read_message_id"
    )[:1]
    unread = (
        Message.objects.filter(thread__circle=OuterRef("pk"))
        .exclude(author=user)
        .filter(id__gt=Coalesce(Subquery(marker), Value(0)))
        .order_by()
        .values("thread__circle")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))


def circles_with_threads_for(user) -> QuerySet:
    """The circles whose thread `user` may use, annotated with `unread_count`, newest activity
    first. Coordinators see every circle of the brand."""
    from matching.models import Circle

    circles = Circle.objects.select_related("person")
    if not is_staff_member(user):
        circles = circles.filter(Exists(_active_memberships(user).filter(circle=OuterRef("pk"))))
    return circles.annotate(
        unread_count=_unread_count(user), last_message_at=F("thread__last_message_at")
    ).order_by(Coalesce("thread__last_message_at", "created_at").desc(), "-id")


def access_circle_thread(user, circle_public_id):
    """The circle (annotated with `unread_count`) if `user` may use its thread, else 404."""
    try:
        return circles_with_threads_for(user).get(public_id=circle_public_id)
    except (
        circles_with_threads_for(user).model.DoesNotExist,
        ValueError,
        TypeError,
        ValidationError,
    ):
        raise Http404 from None


def messages_of(circle) -> QuerySet:
    return Message.objects.filter(thread__circle=circle).select_related("author").order_by("-id")


def unread_total(user) -> int:
    return sum(c.unread_count for c in circles_with_threads_for(user).only("id"))
