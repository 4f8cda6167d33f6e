"""Brand tokens: the complete neutral default and the validation of what an operator or a brand
admin submits. Messages are written for a non-technical person: they say which token is wrong,
why, and what would be accepted.

A theme is a JSON object (stored in `themes.BrandTheme.tokens`) with these keys, all optional on
input (missing keys take the neutral default):

    display_name, short_name                     texts (display_name "" = the brand's name)
    colors: primary, on_primary, accent, background, surface, text, muted     "#rrggbb"
    font_stack, radius (px, 0-32), default_locale ("fr"/"en"), timezone (IANA)
    contact: email, phone, sender_name
    legal: privacy_notice, volunteer_charter     long texts
    wording: {volunteer|person|coordinator|circle|visit|outing: {
                 singular, plural, gender ("m"/"f"),
                 singular_feminine, plural_feminine (optional, for the feminine of a person noun),
                 en: {singular, plural} (optional: the English wording)}}
    flags: {self_signup|messaging|outings|sms|visit_log|public_directory|auto_confirm_matches: bool}
    settings: proposal_expiry_days, no_contact_alert_days, background_check_notice_days,
              quiet_hours_start, quiet_hours_end
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from themes.flags import FLAG_DEFAULTS, FLAGS

COLOR_KEYS = ("primary", "on_primary", "accent", "background", "surface", "text", "muted")
COLOR_LABELS = {
    "primary": gettext_lazy("primary colour"),
    "on_primary": gettext_lazy("text on primary colour"),
    "accent": gettext_lazy("accent colour"),
    "background": gettext_lazy("background colour"),
    "surface": gettext_lazy("surface (card) colour"),
    "text": gettext_lazy("text colour"),
    "muted": gettext_lazy("secondary text colour"),
}
WORDING_KEYS = ("volunteer", "person", "coordinator", "circle", "visit", "outing")
WORDING_FORMS = ("singular", "plural", "singular_feminine", "plural_feminine")
WORDING_MAX = 40
LOCALES = ("fr", "en")
DEFAULT_SETTINGS = {
    "proposal_expiry_days": 7,
    "no_contact_alert_days": 14,
    "background_check_notice_days": 30,
    "quiet_hours_start": "21:00",
    "quiet_hours_end": "08:00",
}
SETTING_BOUNDS = {
    "proposal_expiry_days": (1, 60),
    "no_contact_alert_days": (1, 180),
    "background_check_notice_days": (1, 180),
}

# The neutral default: readable, AA-compliant, and free of any brand's identity.
DEFAULT_TOKENS: dict[str, Any] = {
    "display_name": "",
    "short_name": "",
    "colors": {
        "primary": "#1f5fa8",
        "on_primary": "#ffffff",
        "accent": "#8a4b08",
        "background": "#ffffff",
        "surface": "#f3f5f8",
        "text": "#1b1f24",
        "muted": "#4a5360",
    },
    "font_stack": 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    "radius": 8,
    "default_locale": "fr",
    "timezone": "Europe/Paris",
    "contact": {"email": "", "phone": "", "sender_name": ""},
    "legal": {"privacy_notice": "", "volunteer_charter": ""},
    "wording": {},
    "flags": dict(FLAG_DEFAULTS),
    "settings": dict(DEFAULT_SETTINGS),
}

# Every text/background pair the UI draws (base.html, theme settings page, e-mails), with the
# minimum ratio WCAG 2.1 asks for: 4.5:1 for text (1.4.3), 3:1 for the focus ring (1.4.11).
CONTRAST_PAIRS = (
    ("text", "background", 4.5),
    ("text", "surface", 4.5),
    ("muted", "background", 4.5),
    ("muted", "surface", 4.5),
    ("on_primary", "primary", 4.5),
    ("primary", "background", 4.5),
    ("primary", "surface", 4.5),
    ("accent", "background", 3.0),
)

HEX_RE = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
TIME_RE = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
FONT_RE = re.compile(r"^[A-Za-z0-9 ,\"'\-]+$")
TEXT_LIMITS = {"display_name": 80, "short_name": 12}
LEGAL_MAX = 20000


def normalise_color(value: str) -> str:
    value = value.strip().lower()
    if len(value) == 4:
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value


def relative_luminance(color: str) -> float:
    """WCAG 2.1 relative luminance of a "#rrggbb" colour."""
    channels = []
    for index in (1, 3, 5):
        c = int(color[index : index + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg: str, bg: str) -> float:
    a, b = relative_luminance(fg), relative_luminance(bg)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def merged(base: dict, patch: dict) -> dict:
    """Deep merge of two token dicts (dicts merge, everything else is replaced)."""
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def with_defaults(tokens: dict | None) -> dict:
    return merged(DEFAULT_TOKENS, tokens or {})


def content_hash(tokens: dict, *extra: str) -> str:
    payload = json.dumps(tokens, sort_keys=True, ensure_ascii=False) + "|".join(extra)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


class _Errors:
    def __init__(self):
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)


def _check_text(errors, field, value, *, label, max_length, required=False):
    if not isinstance(value, str):
        errors.add(field, _("%(label)s must be a text.") % {"label": label})
        return None
    value = value.strip()
    if required and not value:
        errors.add(field, _("%(label)s cannot be empty.") % {"label": label})
    if len(value) > max_length:
        errors.add(
            field,
            _("%(label)s is too long (%(length)d characters; %(max)d at most).")
            % {"label": label, "length": len(value), "max": max_length},
        )
    return value


def _unknown(errors, field, given: dict, allowed, what) -> None:
    for key in given:
        if key not in allowed:
            errors.add(
                field,
                _("Unknown %(what)s “%(key)s”. Accepted: %(allowed)s.")
                % {"what": what, "key": key, "allowed": ", ".join(allowed)},
            )


def validate_tokens(submitted: Any) -> dict:
    """Validate a (partial) theme and return the complete, normalised tokens.

    Raises ValidationError({"theme": [...]}) listing every problem at once.
    """
    errors = _Errors()
    field = "theme"
    if not isinstance(submitted, dict):
        raise ValidationError(
            {field: [_("The theme must be a JSON object (a dictionary of tokens).")]}
        )
    allowed_top = tuple(DEFAULT_TOKENS) + ("logo",)
    _unknown(errors, field, submitted, [k for k in allowed_top], _("theme token"))
    submitted = {k: v for k, v in submitted.items() if k in DEFAULT_TOKENS}
    for section in ("colors", "contact", "legal", "wording", "flags", "settings"):
        if section in submitted and not isinstance(submitted[section], dict):
            errors.add(field, _("“%(section)s” must be a JSON object.") % {"section": section})
            submitted.pop(section)
    tokens = with_defaults(submitted)

    # Texts
    for key, limit in TEXT_LIMITS.items():
        label = _("The display name") if key == "display_name" else _("The short name")
        tokens[key] = _check_text(errors, field, tokens[key], label=label, max_length=limit) or ""

    # Colours
    _unknown(errors, field, tokens["colors"], COLOR_KEYS, _("colour"))
    colours_ok = True
    for key in COLOR_KEYS:
        value = tokens["colors"].get(key)
        if not isinstance(value, str) or not HEX_RE.match(value.strip()):
            colours_ok = False
            errors.add(
                field,
                _(
                    "The %(label)s “%(value)s” is not a colour. Use a hexadecimal colour such as #1f5fa8."
                )
                % {"label": COLOR_LABELS[key], "value": value},
            )
        else:
            tokens["colors"][key] = normalise_color(value)
    tokens["colors"] = {k: tokens["colors"][k] for k in COLOR_KEYS if k in tokens["colors"]}
    if colours_ok:
        for message in contrast_errors(tokens["colors"]):
            errors.add(field, message)

    # Typography and shape
    font = tokens["font_stack"]
    if not isinstance(font, str) or not font.strip() or len(font) > 200 or not FONT_RE.match(font):
        errors.add(
            field,
            _(
                "The font list may only hold font names separated by commas (letters, digits, spaces, quotes and hyphens; 200 characters at most)."
            ),
        )
    radius = tokens["radius"]
    if isinstance(radius, bool) or not isinstance(radius, int) or not 0 <= radius <= 32:
        errors.add(field, _("The corner radius must be a whole number of pixels between 0 and 32."))

    # Locale and timezone
    if tokens["default_locale"] not in LOCALES:
        errors.add(
            field,
            _("The default language “%(value)s” is not available. Accepted: %(allowed)s.")
            % {"value": tokens["default_locale"], "allowed": ", ".join(LOCALES)},
        )
    tz = tokens["timezone"]
    try:
        if not isinstance(tz, str) or not tz:
            raise ValueError
        zoneinfo.ZoneInfo(tz)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        errors.add(
            field,
            _("The time zone “%(value)s” is unknown. Use a name such as Europe/Paris.")
            % {"value": tz},
        )

    # Contact
    _unknown(
        errors, field, tokens["contact"], ("email", "phone", "sender_name"), _("contact field")
    )
    contact = tokens["contact"]
    email = _check_text(
        errors, field, contact.get("email", ""), label=_("The contact e-mail"), max_length=254
    )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.add(
                field,
                _("The contact e-mail “%(value)s” is not a valid e-mail address.")
                % {"value": email},
            )
    phone = _check_text(
        errors, field, contact.get("phone", ""), label=_("The contact phone"), max_length=30
    )
    if phone and not re.match(r"^\+?[0-9 .()\-]{6,30}$", phone):
        errors.add(
            field,
            _("The contact phone “%(value)s” is not a phone number (e.g. +33 1 23 45 67 89).")
            % {"value": phone},
        )
    sender = _check_text(
        errors, field, contact.get("sender_name", ""), label=_("The sender name"), max_length=80
    )
    if sender and re.search(r"[<>\"\r\n@]", sender):
        errors.add(field, _('The sender name may not contain <, >, ", @ or line breaks.'))
    tokens["contact"] = {"email": email or "", "phone": phone or "", "sender_name": sender or ""}

    # Legal texts
    _unknown(
        errors, field, tokens["legal"], ("privacy_notice", "volunteer_charter"), _("legal text")
    )
    tokens["legal"] = {
        "privacy_notice": _check_text(
            errors,
            field,
            tokens["legal"].get("privacy_notice", ""),
            label=_("The privacy notice"),
            max_length=LEGAL_MAX,
        )
        or "",
        "volunteer_charter": _check_text(
            errors,
            field,
            tokens["legal"].get("volunteer_charter", ""),
            label=_("The volunteer charter"),
            max_length=LEGAL_MAX,
        )
        or "",
    }

    # Wording
    tokens["wording"] = _validate_wording(errors, field, tokens["wording"])

    # Flags
    _unknown(errors, field, tokens["flags"], FLAGS, _("feature flag"))
    for name in FLAGS:
        if not isinstance(tokens["flags"].get(name), bool):
            errors.add(
                field, _("The feature flag “%(name)s” must be true or false.") % {"name": name}
            )
    tokens["flags"] = {name: tokens["flags"].get(name) for name in FLAGS}

    # Brand settings
    _unknown(errors, field, tokens["settings"], tuple(DEFAULT_SETTINGS), _("setting"))
    for key, (low, high) in SETTING_BOUNDS.items():
        value = tokens["settings"].get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors.add(
                field,
                _(
                    "The setting “%(key)s” must be a whole number of days between %(low)d and %(high)d."
                )
                % {"key": key, "low": low, "high": high},
            )
    for key in ("quiet_hours_start", "quiet_hours_end"):
        value = tokens["settings"].get(key)
        if not isinstance(value, str) or not TIME_RE.match(value):
            errors.add(
                field, _("The setting “%(key)s” must be a time such as 21:00.") % {"key": key}
            )
    tokens["settings"] = {k: tokens["settings"].get(k) for k in DEFAULT_SETTINGS}

    if errors.by_field:
        raise ValidationError(errors.by_field)
    return tokens


def contrast_errors(colors: dict) -> list[str]:
    messages = []
    for fg, bg, minimum in CONTRAST_PAIRS:
        ratio = contrast_ratio(colors[fg], colors[bg])
        if ratio + 1e-9 < minimum:
            messages.append(
                _(
                    "Not enough contrast between the %(fg)s (%(fg_value)s) and the %(bg)s "
                    "(%(bg_value)s): the ratio is %(ratio).2f:1, at least %(minimum).1f:1 is required "
                    "so that everyone can read it (WCAG 2.1 AA)."
                )
                % {
                    "fg": COLOR_LABELS[fg],
                    "fg_value": colors[fg],
                    "bg": COLOR_LABELS[bg],
                    "bg_value": colors[bg],
                    "ratio": int(ratio * 100) / 100,
                    "minimum": minimum,
                }
            )
    return messages


def _validate_wording(errors, field, wording: dict) -> dict:
    _unknown(errors, field, wording, WORDING_KEYS, _("wording key"))
    out = {}
    for key in WORDING_KEYS:
        entry = wording.get(key)
        if entry is None:
            continue
        if not isinstance(entry, dict):
            errors.add(
                field,
                _(
                    "The wording for “%(key)s” must be a JSON object with singular, plural and gender."
                )
                % {"key": key},
            )
            continue
        _unknown(errors, field, entry, WORDING_FORMS + ("gender", "en"), _("wording field"))
        clean: dict[str, Any] = {}
        for form in WORDING_FORMS:
            required = form in ("singular", "plural")
            if form not in entry and not required:
                continue
            value = entry.get(form, "")
            label = _("The wording “%(key)s” (%(form)s)") % {"key": key, "form": form}
            text = _check_text(
                errors, field, value, label=label, max_length=WORDING_MAX, required=required
            )
            if text:
                clean[form] = text
        gender = entry.get("gender")
        if gender not in ("m", "f"):
            errors.add(
                field,
                _(
                    "The wording “%(key)s” needs its grammatical gender: “m” (masculine) or “f” (feminine)."
                )
                % {"key": key},
            )
        else:
            clean["gender"] = gender
        english = entry.get("en")
        if english is not None:
            if not isinstance(english, dict):
                errors.add(
                    field,
                    _(
                        "The English wording for “%(key)s” must be a JSON object with singular and plural."
                    )
                    % {"key": key},
                )
            else:
                _unknown(errors, field, english, ("singular", "plural"), _("wording field"))
                clean["en"] = {}
                for form in ("singular", "plural"):
                    label = _("The English wording “%(key)s” (%(form)s)") % {
                        "key": key,
                        "form": form,
                    }
                    text = _check_text(
                        errors,
                        field,
                        english.get(form, ""),
                        label=label,
                        max_length=WORDING_MAX,
                        required=True,
                    )
                    if text:
                        clean["en"][form] = text
        out[key] = clean
    return out
