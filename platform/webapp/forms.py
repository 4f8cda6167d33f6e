from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DURATION_CHOICES = [
    (15, _("15 minutes")),
    (30, _("30 minutes")),
    (60, _("1 hour")),
    (90, _("1 hour 30")),
    (120, _("2 hours")),
    (180, _("3 hours")),
]


class VisitForm(forms.Form):
    """The visit log: every field has a default, so a visit is logged by tapping a mood."""

    kind = forms.ChoiceField(label=_("What was it?"), widget=forms.RadioSelect)
    occurred_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    duration_minutes = forms.TypedChoiceField(
        label=_("Duration"), coerce=int, choices=DURATION_CHOICES
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    mood = forms.ChoiceField(label=_("How did it go?"))
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from visits.models import Visit

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Visit.Kind.choices
        self.fields["mood"].choices = Visit.Mood.choices
        if not self.is_bound:
            self.initial.setdefault("kind", Visit.Kind.VISIT)
            self.initial.setdefault("occurred_on", timezone.localdate())
            self.initial.setdefault("duration_minutes", 60)


class SignupForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 10 characters, not only digits, not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class CharterForm(forms.Form):
    accept = forms.BooleanField(label=_("I have read the charter and I commit to respect it."))


class ProfileForm(forms.Form):
    availability = forms.MultipleChoiceField(
        label=_("When are you available?"), required=True, widget=forms.CheckboxSelectMultiple
    )
    interests = forms.MultipleChoiceField(
        label=_("What do you enjoy?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"), required=False, widget=forms.CheckboxSelectMultiple
    )
    address = forms.CharField(
        label=_("Your address"),
        max_length=255,
        required=False,
        help_text=_("Only used to suggest people who live near you."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    radius_km = forms.TypedChoiceField(
        label=_("How far can you go?"),
        coerce=float,
        choices=[(1.0, "1 km"), (2.0, "2 km"), (5.0, "5 km"), (10.0, "10 km"), (20.0, "20 km")],
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        from volunteers.choices import SLOT_CHOICES, Interest, Language

        super().__init__(*args, **kwargs)
        self.fields["availability"].choices = SLOT_CHOICES
        self.fields["interests"].choices = Interest.choices
        self.fields["languages"].choices = Language.choices


class DeclineForm(forms.Form):
    reason = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        from themes.wording import term

        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _(
            "Why do you decline? (your %(coordinator)s will read it)"
        ) % {"coordinator": term("coordinator")}


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DeleteAccountForm(forms.Form):
    confirm_email = forms.EmailField(
        label=_("Type your e-mail address to confirm"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
