"""Quiet hours in the brand's timezone: a non-urgent message that falls inside them waits for
their end (the morning), it is never dropped."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

logger = logging.getLogger("entraide.worker")

DEFAULT_TIMEZONE = "Europe/Paris"
DEFAULT_START = "21:00"
DEFAULT_END = "08:00"


@dataclass(frozen=True)
class QuietHours:
    timezone: str
    start: dt.time
    end: dt.time

    def contains(self, local: dt.time) -> bool:
        if self.start == self.end:
            return False  # no quiet hours
        if self.start < self.end:  # e.g. 13:00-14:00
            return self.start <= local < self.end
        return local >= self.start or local < self.end  # across midnight, e.g. 21:00-08:00

    def deferred_until(self, now: dt.datetime) -> dt.datetime | None:
        """The end of the quiet period `now` falls in (aware), or None outside quiet hours."""
        zone = ZoneInfo(self.timezone)
        local = now.astimezone(zone)
        if not self.contains(local.time()):
            return None
        day = local.date()
        if self.start > self.end and local.time() >= self.start:
            day = day + dt.timedelta(days=1)
        # Wall-clock end in the brand's zone (handles DST: fold=0 picks the first 08:00).
        end = dt.datetime.combine(day, self.end, tzinfo=zone)
        return end.astimezone(dt.UTC)


def _parse(value: str, default: str) -> dt.time:
    try:
        hours, minutes = (value or default).split(":")
        return dt.time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        hours, minutes = default.split(":")
        return dt.time(int(hours), int(minutes))


def quiet_hours_for(tenant=None) -> QuietHours:
    """The brand's quiet hours, from its theme settings (themes.settings_for); a safe default
    (21:00-08:00 Paris time) when the brand has none."""
    timezone, start, end = DEFAULT_TIMEZONE, DEFAULT_START, DEFAULT_END
    try:
        from themes import settings_for

        brand_settings = settings_for(tenant)
        timezone = getattr(brand_settings, "timezone", None) or timezone
        start = getattr(brand_settings, "quiet_hours_start", None) or start
        end = getattr(brand_settings, "quiet_hours_end", None) or end
    except Exception:  # themes not available: the defaults are the safe choice
        logger.debug("no brand settings; using default quiet hours", exc_info=True)
    try:
        ZoneInfo(timezone)
    except Exception:
        timezone = DEFAULT_TIMEZONE
    return QuietHours(
        timezone=timezone, start=_parse(start, DEFAULT_START), end=_parse(end, DEFAULT_END)
    )
