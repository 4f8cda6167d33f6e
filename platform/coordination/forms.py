"""Forms parse input only; the services validate the domain rules and their ValidationErrors are
shown field by field (`add_service_errors`)."""

from __future__ import annotations

from accounts.models import User
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from people.models import ConsentRecord, Need
from volunteers.choices import SLOT_CHOICES, Interest, Language


def add_service_errors(
    form: forms.Form, exc: ValidationError, *, prefix_map: dict | None = None
) -> None:
    """Put a service's ValidationError on the form: per field when the field exists, else on top."""
    prefix_map = prefix_map or {}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            field = prefix_map.get(field, field)
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    district = forms.CharField(label=_("District"), max_length=120, required=False)
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_("Optional: the address is located automatically."),
    )
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs"), choices=Need.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    preferred_times = forms.MultipleChoiceField(
        label=_("Preferred times"),
        choices=SLOT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interests = forms.MultipleChoiceField(
        label=_("Interests"),
        choices=Interest.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        required=False,
        initial=["fr"],
        widget=forms.CheckboxSelectMultiple,
    )
    max_volunteers = forms.IntegerField(
        label=_("Maximum volunteers in the circle"), min_value=1, max_value=20, initial=3
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    consent_method = forms.ChoiceField(
        label=_("How was consent given?"), choices=ConsentRecord.Method.choices
    )
    consent_purpose = forms.CharField(
        label=_("Purpose of the consent"),
        initial=_(
            "Being visited and called by the association's volunteers; keeping this record for that."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent_given_by = forms.CharField(
        label=_("Given by (if not the person)"), max_length=150, required=False
    )

    PERSON_FIELDS = (
        "first_name",
        "last_name",
        "phone",
        "email",
        "address",
        "district",
        "latitude",
        "longitude",
        "needs",
        "preferred_times",
        "interests",
        "languages",
        "max_volunteers",
        "notes",
    )

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        return data

    def person_data(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self.PERSON_FIELDS}
        if data["latitude"] is None:
            data.pop("latitude")
            data.pop("longitude")
        return data

    def consent_data(self) -> dict:
        return {
            "method": self.cleaned_data["consent_method"],
            "purpose": self.cleaned_data["consent_purpose"],
            "given_by": self.cleaned_data["consent_given_by"],
        }

    # service error keys -> form fields
    ERROR_MAP = {
        "consent.method": "consent_method",
        "consent.purpose": "consent_purpose",
        "consent.given_by": "consent_given_by",
        "consent": "consent_method",
    }


class ProposeForm(forms.Form):
    volunteers = forms.MultipleChoiceField(
        label=_("Volunteers to propose"), widget=forms.CheckboxSelectMultiple
    )
    message = forms.CharField(
        label=_("Message to the volunteers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteers"].choices = [(c.user_public_id, c.name) for c in candidates]


class ReasonForm(forms.Form):
    note = forms.CharField(
        label=_("What was done (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VettingStepForm(forms.Form):
    expires_on = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OutingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    place = forms.CharField(label=_("Place"), max_length=255)
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000, initial=10)
    accessibility_notes = forms.CharField(
        label=_("Accessibility"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (User.Role.VOLUNTEER, User.Role.VOLUNTEER.label),
            (User.Role.COORDINATOR, User.Role.COORDINATOR.label),
            (User.Role.BRAND_ADMIN, User.Role.BRAND_ADMIN.label),
        ],
    )


class RoleForm(forms.Form):
    role = InviteForm.base_fields["role"]
