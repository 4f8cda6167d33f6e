"""Helpers for notification templates, whose context is JSON (dates travel as ISO strings)."""

import datetime as dt

from django import template
from django.utils.dateparse import parse_datetime

register = template.Library()


@register.filter
def isodate(value):
    """An ISO 8601 string from a notification context -> datetime (for the |date filter)."""
    if isinstance(value, dt.date | dt.datetime):
        return value
    try:
        return parse_datetime(value) or dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
