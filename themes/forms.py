"""The brand admin's theme form: one field per token, with real labels."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from themes.flags import FLAGS
from themes.tokens import COLOR_KEYS, COLOR_LABELS, LOCALES, WORDING_KEYS, WORDING_MAX
from themes.wording import LABELS as WORDING_LABELS

FLAG_LABELS = {
    "self_signup": _("Volunteers can sign up by themselves"),
    "messaging": _("Messaging in circles"),
    "outings": _("Group outings"),
    "sms": _("Text messages (SMS)"),
    "visit_log": _("Visit log"),
    "public_directory": _("Public directory"),
    "auto_confirm_matches": _("Confirm matches automatically"),
}
GENDERS = [("m", _("masculine")), ("f", _("feminine"))]
LOCALE_NAMES = {"fr": _("French"), "en": _("English")}


class ThemeForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("Leave empty to use the association's name."),
    )
    short_name = forms.CharField(
        label=_("Short name (under the app icon)"), max_length=12, required=False
    )
    logo = forms.FileField(
        label=_("Logo (PNG, JPEG, WebP at least 512 × 512 pixels, or SVG; 1 MB at most)"),
        required=False,
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    favicon = forms.FileField(
        label=_(
            "Favicon (PNG, JPEG or WebP, at least 32 × 32 pixels; optional, made from the logo otherwise)"
        ),
        required=False,
    )
    remove_favicon = forms.BooleanField(label=_("Remove the favicon"), required=False)
    font_stack = forms.CharField(label=_("Fonts"), max_length=200)
    radius = forms.IntegerField(label=_("Corner radius (pixels)"), min_value=0, max_value=32)
    default_locale = forms.ChoiceField(
        label=_("Default language"), choices=[(c, LOCALE_NAMES[c]) for c in LOCALES]
    )
    timezone = forms.CharField(label=_("Time zone"), max_length=64)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    sender_name = forms.CharField(label=_("Sender name of e-mails"), max_length=80, required=False)
    privacy_notice = forms.CharField(
        label=_("Privacy notice"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    volunteer_charter = forms.CharField(
        label=_("Volunteer charter"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    proposal_expiry_days = forms.IntegerField(
        label=_("Days before an unanswered proposal expires"), min_value=1, max_value=60
    )
    no_contact_alert_days = forms.IntegerField(
        label=_("Days without contact before an alert"), min_value=1, max_value=180
    )
    background_check_notice_days = forms.IntegerField(
        label=_("Days of notice before a background check expires"), min_value=1, max_value=180
    )
    quiet_hours_start = forms.TimeField(
        label=_("Quiet hours start"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_hours_end = forms.TimeField(
        label=_("Quiet hours end"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args, theme, **kwargs):
        self.theme = theme
        tokens = theme.tokens
        initial = {
            "display_name": tokens["display_name"],
            "short_name": tokens["short_name"],
            "font_stack": tokens["font_stack"],
            "radius": tokens["radius"],
            "default_locale": tokens["default_locale"],
            "timezone": tokens["timezone"],
            "contact_email": tokens["contact"]["email"],
            "contact_phone": tokens["contact"]["phone"],
            "sender_name": tokens["contact"]["sender_name"],
            "privacy_notice": tokens["legal"]["privacy_notice"],
            "volunteer_charter": tokens["legal"]["volunteer_charter"],
            **tokens["settings"],
        }
        for key in COLOR_KEYS:
            initial[f"color_{key}"] = tokens["colors"][key]
        for name in FLAGS:
            initial[f"flag_{name}"] = tokens["flags"][name]
        for key in WORDING_KEYS:
            entry = tokens["wording"].get(key, {})
            for form in ("singular", "plural", "singular_feminine", "plural_feminine", "gender"):
                initial[f"wording_{key}_{form}"] = entry.get(form, "")
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for key in COLOR_KEYS:
            self.fields[f"color_{key}"] = forms.CharField(
                label=str(COLOR_LABELS[key]).capitalize(),
                max_length=7,
                widget=forms.TextInput(
                    attrs={"type": "color", "data-token": f"--color-{key.replace('_', '-')}"}
                ),
            )
        for name in FLAGS:
            self.fields[f"flag_{name}"] = forms.BooleanField(
                label=FLAG_LABELS[name], required=False
            )
        for key in WORDING_KEYS:
            label = WORDING_LABELS[key]
            self.fields[f"wording_{key}_singular"] = forms.CharField(
                label=_("%(word)s: singular") % {"word": label},
                max_length=WORDING_MAX,
                required=False,
            )
            self.fields[f"wording_{key}_plural"] = forms.CharField(
                label=_("%(word)s: plural") % {"word": label},
                max_length=WORDING_MAX,
                required=False,
            )
            self.fields[f"wording_{key}_singular_feminine"] = forms.CharField(
                label=_("%(word)s: feminine singular (optional)") % {"word": label},
                max_length=WORDING_MAX,
                required=False,
            )
            self.fields[f"wording_{key}_plural_feminine"] = forms.CharField(
                label=_("%(word)s: feminine plural (optional)") % {"word": label},
                max_length=WORDING_MAX,
                required=False,
            )
            self.fields[f"wording_{key}_gender"] = forms.ChoiceField(
                label=_("%(word)s: grammatical gender") % {"word": label},
                choices=[("", "—"), *GENDERS],
                required=False,
            )
        self.fields["font_stack"].widget.attrs["data-token"] = "--font-stack"
        self.fields["radius"].widget.attrs["data-token"] = "--radius"

    def clean_timezone(self):
        value = self.cleaned_data["timezone"].strip()
        try:
            zoneinfo.ZoneInfo(value)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError) as exc:
            raise ValidationError(
                _("The time zone “%(value)s” is unknown. Use a name such as Europe/Paris.")
                % {"value": value}
            ) from exc
        return value

    def color_fields(self):
        return [self[f"color_{key}"] for key in COLOR_KEYS]

    def flag_fields(self):
        return [self[f"flag_{name}"] for name in FLAGS]

    def wording_rows(self):
        return [
            {
                "key": key,
                "label": WORDING_LABELS[key],
                "fields": [
                    self[f"wording_{key}_{form}"]
                    for form in (
                        "singular",
                        "plural",
                        "singular_feminine",
                        "plural_feminine",
                        "gender",
                    )
                ],
            }
            for key in WORDING_KEYS
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        wording = {}
        for key in WORDING_KEYS:
            forms_given = {
                f: data.get(f"wording_{key}_{f}", "").strip()
                for f in ("singular", "plural", "singular_feminine", "plural_feminine")
            }
            gender = data.get(f"wording_{key}_gender", "")
            if not any(forms_given.values()) and not gender:
                continue  # no override: the neutral term
            entry = {f: v for f, v in forms_given.items() if v or f in ("singular", "plural")}
            entry["gender"] = gender
            english = self.theme.tokens["wording"].get(key, {}).get("en")
            if english:
                entry["en"] = english
            wording[key] = entry
        tokens = {
            "display_name": data["display_name"],
            "short_name": data["short_name"],
            "colors": {key: data[f"color_{key}"] for key in COLOR_KEYS},
            "font_stack": data["font_stack"],
            "radius": data["radius"],
            "default_locale": data["default_locale"],
            "timezone": data["timezone"],
            "contact": {
                "email": data["contact_email"],
                "phone": data["contact_phone"],
                "sender_name": data["sender_name"],
            },
            "legal": {
                "privacy_notice": data["privacy_notice"],
                "volunteer_charter": data["volunteer_charter"],
            },
            "wording": wording,
            "flags": {name: bool(data.get(f"flag_{name}")) for name in FLAGS},
            "settings": {
                "proposal_expiry_days": data["proposal_expiry_days"],
                "no_contact_alert_days": data["no_contact_alert_days"],
                "background_check_notice_days": data["background_check_notice_days"],
                "quiet_hours_start": data["quiet_hours_start"].strftime("%H:%M"),
                "quiet_hours_end": data["quiet_hours_end"].strftime("%H:%M"),
            },
        }
        kwargs = {"tokens": tokens, "replace": True}
        if data.get("remove_favicon"):
            kwargs["favicon"] = None
        elif data.get("favicon"):
            kwargs["favicon"] = data["favicon"].read(1024 * 1024 + 1)
        if data.get("remove_logo"):
            kwargs["logo"] = None
        elif data.get("logo"):
            upload = data["logo"]
            if upload.size > 1024 * 1024 + 1:
                kwargs["logo"] = upload.read(
                    1024 * 1024 + 1
                )  # the service refuses it with the size message
            else:
                kwargs["logo"] = upload.read()
        return kwargs

    def add_service_errors(self, exc: ValidationError) -> None:
        for field, messages in exc.message_dict.items():
            target = field if field in ("logo", "favicon") else None
            for message in messages:
                self.add_error(target, message)
