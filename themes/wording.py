"""Brand wording: a brand may rename the platform's core nouns (PFP says "voisineur" for a
volunteer, "voisiné(e)" for a person, "animateur" for a coordinator). Everything else falls back
to the translated neutral term, so `term()` is always safe to call.

The overrides are written in the brand's default language; an optional "en" entry gives the
English wording. When the active language has no override, the neutral term is used in that
language (a French override never leaks into an English sentence).
"""

from __future__ import annotations

from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from themes.tokens import WORDING_KEYS

# The neutral terms: (singular, plural, French grammatical gender, feminine singular, feminine plural).
NEUTRAL = {
    "volunteer": (
        pgettext_lazy("wording", "volunteer"),
        pgettext_lazy("wording", "volunteers"),
        "m",
        None,
        None,
    ),
    "person": (
        pgettext_lazy("wording", "person"),
        pgettext_lazy("wording", "people"),
        "f",
        None,
        None,
    ),
    "coordinator": (
        pgettext_lazy("wording", "coordinator"),
        pgettext_lazy("wording", "coordinators"),
        "m",
        pgettext_lazy("wording feminine", "coordinator"),
        pgettext_lazy("wording feminine", "coordinators"),
    ),
    "circle": (
        pgettext_lazy("wording", "circle"),
        pgettext_lazy("wording", "circles"),
        "m",
        None,
        None,
    ),
    "visit": (
        pgettext_lazy("wording", "visit"),
        pgettext_lazy("wording", "visits"),
        "f",
        None,
        None,
    ),
    "outing": (
        pgettext_lazy("wording", "outing"),
        pgettext_lazy("wording", "outings"),
        "f",
        None,
        None,
    ),
}
LABELS = {
    "volunteer": _("Volunteer"),
    "person": _("Person accompanied"),
    "coordinator": _("Coordinator"),
    "circle": _("Circle"),
    "visit": _("Visit"),
    "outing": _("Outing"),
}


def _check(key: str) -> None:
    if key not in WORDING_KEYS:
        raise ValueError(f"unknown wording key {key!r}; known keys: {', '.join(WORDING_KEYS)}")


def _override(key: str, tenant) -> tuple[dict | None, str]:
    from themes.selectors import get_theme

    tokens = get_theme(tenant).tokens
    return tokens["wording"].get(key), tokens["default_locale"]


def term(key: str, *, plural: bool = False, feminine: bool = False, tenant=None) -> str:
    """The brand's word for `key` (volunteer, person, coordinator, circle, visit, outing)."""
    _check(key)
    entry, brand_locale = _override(key, tenant)
    language = (get_language() or brand_locale).split("-")[0]
    if entry:
        if language == brand_locale:
            if feminine:
                form = entry.get("plural_feminine" if plural else "singular_feminine")
                if form:
                    return form
            return entry["plural" if plural else "singular"]
        english = entry.get("en")
        if language == "en" and english:
            return english["plural" if plural else "singular"]
    singular, plural_form, _gender, fem_singular, fem_plural = NEUTRAL[key]
    if feminine and fem_singular is not None:
        return str(fem_plural if plural else fem_singular)
    return str(plural_form if plural else singular)


def gender(key: str, *, tenant=None) -> str:
    """French grammatical gender of the brand's word for `key`: "m" or "f" (for agreement)."""
    _check(key)
    entry, _locale = _override(key, tenant)
    if entry and entry.get("gender"):
        return entry["gender"]
    return NEUTRAL[key][2]
