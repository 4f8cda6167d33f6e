"""The Python surface other apps code against: flags, wording, settings_for, e-mail base."""

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from themes import settings_for
from themes.flags import FLAGS, flag_enabled
from themes.services import set_theme
from themes.wording import gender, term

PFP_WORDING = {
    "volunteer": {
        "singular": "voisineur",
        "plural": "voisineurs",
        "gender": "m",
        "singular_feminine": "voisineuse",
        "plural_feminine": "voisineuses",
        "en": {"singular": "neighbour", "plural": "neighbours"},
    },
    "person": {"singular": "voisiné(e)", "plural": "voisiné(e)s", "gender": "m"},
    "coordinator": {
        "singular": "animateur",
        "plural": "animateurs",
        "gender": "m",
        "singular_feminine": "animatrice",
        "plural_feminine": "animatrices",
    },
}


def test_neutral_defaults(brand_a):
    with translation.override("fr"):
        assert term("volunteer", tenant=brand_a) == "bénévole"
        assert term("volunteer", plural=True, tenant=brand_a) == "bénévoles"
    with translation.override("en"):
        assert term("volunteer", tenant=brand_a) == "volunteer"
        assert term("person", plural=True, tenant=brand_a) == "people"
    s = settings_for(brand_a)
    assert (
        s.timezone,
        s.default_locale,
        s.proposal_expiry_days,
        s.no_contact_alert_days,
        s.quiet_hours_start,
        s.quiet_hours_end,
    ) == ("Europe/Paris", "fr", 7, 14, "21:00", "08:00")
    assert [flag_enabled(f, brand_a) for f in FLAGS] == [
        True,
        True,
        True,
        False,
        True,
        False,
        False,
    ]


def test_wording_overrides_per_brand(brand_a, brand_b, in_brand):
    set_theme(association=brand_a, tokens={"wording": PFP_WORDING})
    with translation.override("fr"):
        assert term("volunteer", tenant=brand_a) == "voisineur"
        assert term("volunteer", plural=True, feminine=True, tenant=brand_a) == "voisineuses"
        assert term("coordinator", feminine=True, tenant=brand_a) == "animatrice"
        assert term("person", tenant=brand_a) == "voisiné(e)"
        assert term("visit", tenant=brand_a) == "visite"
        assert gender("person", tenant=brand_a) == "m"
        assert gender("visit", tenant=brand_a) == "f"
        assert term("volunteer", tenant=brand_b) == "bénévole"
        with in_brand(brand_a):
            html = Template(
                '{% load themes %}{% term "volunteer" %}|{% term "volunteer" plural %}|'
                '{% term "coordinator" feminine capfirst %}|{% term "person" as p %}[{{ p }}]'
            ).render(Context())
        assert html == "voisineur|voisineurs|Animatrice|[voisiné(e)]"
    with translation.override("en"):
        assert term("volunteer", tenant=brand_a) == "neighbour"
        # No English override for "person": the neutral English term, never the French word.
        assert term("person", tenant=brand_a) == "person"


def test_settings_for_follows_the_theme(brand_a, brand_b):
    set_theme(
        association=brand_a,
        tokens={
            "timezone": "America/Montreal",
            "default_locale": "en",
            "settings": {"proposal_expiry_days": 3, "quiet_hours_start": "20:30"},
        },
    )
    s = settings_for(brand_a)
    assert (
        s.timezone,
        s.default_locale,
        s.proposal_expiry_days,
        s.no_contact_alert_days,
        s.quiet_hours_start,
        s.quiet_hours_end,
    ) == ("America/Montreal", "en", 3, 14, "20:30", "08:00")
    assert settings_for(brand_b).timezone == "Europe/Paris"


def test_unknown_flag_is_a_programming_error(brand_a):
    with pytest.raises(ValueError):
        flag_enabled("teleportation", brand_a)


def test_email_base_is_branded(brand_a, brand_b):
    set_theme(
        association=brand_a,
        tokens={
            "colors": {"primary": "#6a1b9a"},
            "contact": {
                "email": "contact@alpha.example",
                "phone": "+33 1 23 45 67 89",
                "sender_name": "L'équipe Alpha",
            },
        },
    )
    with translation.override("fr"):
        html = render_to_string(
            "themes/email/base.html",
            {"brand": brand_a, "unsubscribe_url": "http://alpha.localhost/u/x"},
        )
        text = render_to_string("themes/email/base.txt", {"brand": brand_a})
        other = render_to_string("themes/email/base.html", {"brand": brand_b})
    assert "#6a1b9a" in html and "#6a1b9a" not in other
    assert "contact@alpha.example" in html
    assert brand_a.url("/legal/privacy/") in html
    assert "http://alpha.localhost/u/x" in html
    assert "Envoyé par L'équipe Alpha." in text
    assert brand_a.url("/legal/charter/") in text
    assert "Beta Solidarité" in other
