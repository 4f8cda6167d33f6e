"""Writes of the visit log (../../shared/DESIGN.md "Code conventions" 2)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from visits.models import Visit
from visits.selectors import can_log_visit_for, coordinators_to_alert

WORRIED_KIND = "visit_worried"
NO_CONTACT_KIND = "person_no_contact"


def brand_timezone() -> ZoneInfo:
    from themes import settings_for

    try:
        return ZoneInfo(settings_for().timezone)
    except Exception:  # an invalid stored value must not break the visit log
        return ZoneInfo("Europe/Paris")


def brand_today() -> dt.date:
    return timezone.now().astimezone(brand_timezone()).date()


def brand_link(viewname: str, **kwargs) -> str:
    """Absolute URL of a page of the current brand, for notifications (the brand's home page if
    the page is not routed, e.g. an app switched off)."""
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse(viewname, kwargs=kwargs, urlconf="entraide.urls_tenant")
    except NoReverseMatch:
        path = "/"
    return connection.tenant.url(path)


def contact_moment(occurred_on: dt.date) -> dt.datetime:
    """The instant recorded as "last contact" for a visit logged on a date: now for today's
    visits, else the end of that day in the brand's timezone (a visit yesterday counts as a
    contact yesterday evening, never later than now)."""
    tz = brand_timezone()
    end_of_day = dt.datetime.combine(occurred_on, dt.time(23, 59, 59), tzinfo=tz)
    return min(end_of_day, timezone.now())


def record_contact(*, person, at: dt.datetime) -> bool:
    """Move `Person.last_contact_at` forward to `at`, never backwards.

    A conditional UPDATE (not read-then-write), so two visits logged at the same time, or an old
    visit logged late, can't move the date back. Returns True when the date moved."""
    from people.models import Person

    moved = (
        Person.objects.filter(pk=person.pk)
        .filter(Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=at))
        .update(last_contact_at=at)
    )
    if moved:
        person.last_contact_at = at
    return bool(moved)


def _validate(*, kind, occurred_on, duration_minutes, mood, note) -> dict:
    errors: dict[str, list[str]] = {}
    if kind not in Visit.Kind.values:
        errors.setdefault("kind", []).append(_("Choose a visit, a call or an outing."))
    if mood not in Visit.Mood.values:
        errors.setdefault("mood", []).append(_("Choose good, neutral or worried."))
    if not isinstance(occurred_on, dt.date):
        errors.setdefault("occurred_on", []).append(_("Enter a valid date."))
    elif occurred_on > brand_today():
        errors.setdefault("occurred_on", []).append(_("A visit can't be logged in the future."))
    elif occurred_on < brand_today() - dt.timedelta(days=366):
        errors.setdefault("occurred_on", []).append(_("This date is more than a year ago."))
    if not isinstance(duration_minutes, int) or not 1 <= duration_minutes <= 24 * 60:
        errors.setdefault("duration_minutes", []).append(
            _("The duration must be between 1 minute and 24 hours.")
        )
    if len(note or "") > 4000:
        errors.setdefault("note", []).append(_("The note is too long (4000 characters at most)."))
    return errors


def log_visit(
    *,
    acting_user,
    person,
    kind: str,
    occurred_on: dt.date,
    duration_minutes: int,
    mood: str,
    note: str = "",
) -> Visit:
    """A volunteer of the person's circle (or a coordinator) logs a contact.

    Moves the person's last-contact date forward and, for a "worried" mood, alerts the person's
    coordinator at once (urgent notification, written in this transaction, sent on commit)."""
    if not can_log_visit_for(acting_user, person):
        raise PermissionDenied(_("Only the volunteers of this person's circle can log a visit."))
    errors = _validate(
        kind=kind, occurred_on=occurred_on, duration_minutes=duration_minutes, mood=mood, note=note
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        visit = Visit.objects.create(
            person=person,
            volunteer=acting_user,
            kind=kind,
            occurred_on=occurred_on,
            duration_minutes=duration_minutes,
            mood=mood,
            note=(note or "").strip(),
        )
        record_contact(person=person, at=contact_moment(occurred_on))
        if mood == Visit.Mood.WORRIED:
            _alert_worried(visit)
    return visit


def _alert_worried(visit: Visit) -> None:
    from worker.notify import notify

    person = visit.person
    context = {
        "person_id": str(person.public_id),
        "person_name": person.short_name,
        "volunteer_name": visit.volunteer.get_full_name() if visit.volunteer else "",
        "visit_id": str(visit.public_id),
        "visit_kind": visit.kind,
        "occurred_on": visit.occurred_on.isoformat(),
        "occurred_on_local": visit.occurred_on.strftime("%d/%m/%Y"),
        "url": brand_link("coordination:person", public_id=person.public_id),
    }
    for coordinator in coordinators_to_alert(person):
        notify(
            recipient=coordinator,
            kind=WORRIED_KIND,
            context=context,
            urgent=True,
            idempotency_key=f"{WORRIED_KIND}:{visit.public_id}:{coordinator.public_id}",
        )


def alert_people_without_contact(*, today: dt.date | None = None) -> int:
    """The daily job: alert the coordinator of every followed person nobody has contacted for
    N days (the brand's `no_contact_alert_days`).

    Once per period, not every day: the idempotency key holds the date of the last contact and
    the number of whole periods elapsed since, so a person silent for 14 days is reported once,
    again at 28 days, and the count starts over after the next contact. Returns the number of
    people flagged."""
    from themes import settings_for
    from themes.flags import flag_enabled
    from visits.selectors import people_without_contact
    from worker.notify import notify

    if not flag_enabled("visit_log"):
        return 0  # no visit log, no contact recorded: every person would be flagged
    days = max(1, int(settings_for().no_contact_alert_days))
    today = today or brand_today()
    tz = brand_timezone()
    flagged = 0
    for person in people_without_contact(days=days, today=today):
        reference = person.last_contact_at or person.created_at
        since = reference.astimezone(tz).date()
        elapsed = (today - since).days
        period = elapsed // days
        context = {
            "person_id": str(person.public_id),
            "person_name": person.short_name,
            "days": elapsed,
            "never": person.last_contact_at is None,
            "last_contact_on": since.isoformat(),
            "last_contact_on_local": since.strftime("%d/%m/%Y"),
            "url": brand_link("coordination:person", public_id=person.public_id),
        }
        for coordinator in coordinators_to_alert(person):
            key = f"{NO_CONTACT_KIND}:{person.public_id}:{since.isoformat()}:{period}:{coordinator.public_id}"
            with transaction.atomic():
                notify(
                    recipient=coordinator,
                    kind=NO_CONTACT_KIND,
                    context=context,
                    idempotency_key=key,
                )
        flagged += 1
    return flagged
