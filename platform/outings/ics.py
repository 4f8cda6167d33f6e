"""The calendar file (RFC 5545) of an outing, built with the `icalendar` library rather than by
hand: it handles line folding, text escaping (commas, semicolons, new lines) and VTIMEZONE."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from outings.models import Outing


def outing_calendar(outing: Outing, *, brand, tz) -> bytes:
    domain = brand.get_primary_domain()
    host = domain.domain if domain is not None else brand.schema_name
    cal = Calendar()
    cal.add("prodid", f"-//Entraide//{brand.name}//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", brand.name)

    event = Event()
    # Stable: the same outing always has the same UID, so calendar apps update it in place.
    event.add("uid", f"outing-{outing.public_id}@{host}")
    event.add("summary", outing.title)
    event.add("dtstart", outing.starts_at.astimezone(tz))
    event.add("dtend", outing.ends_at.astimezone(tz))
    event.add("dtstamp", timezone.now())
    event.add("last-modified", outing.updated_at)
    event.add("sequence", outing.sequence)
    if outing.cancelled_at is not None:
        event.add("status", "CANCELLED")
    event.add("location", outing.place)
    description = outing.description
    if outing.accessibility_notes:
        notes = _("Accessibility: %(notes)s") % {"notes": outing.accessibility_notes}
        description = f"{description}\n\n{notes}".strip()
    if description:
        event.add("description", description)
    event.add("url", brand.url(f"/api/outings/{outing.public_id}/"))
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
