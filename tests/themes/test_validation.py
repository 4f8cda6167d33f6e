"""Token and logo validation: every refusal says what is wrong, in words an operator understands."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from themes.logos import sanitize_svg, validate_image
from themes.selectors import get_theme
from themes.services import set_theme
from themes.tokens import CONTRAST_PAIRS, contrast_ratio, validate_tokens


def _messages(exc):
    return [m for ms in exc.value.message_dict.values() for m in ms]


def test_neutral_default_is_complete_and_valid():
    tokens = validate_tokens({})
    assert set(tokens) == {
        "display_name",
        "short_name",
        "colors",
        "font_stack",
        "radius",
        "default_locale",
        "timezone",
        "contact",
        "legal",
        "wording",
        "flags",
        "settings",
    }
    assert set(tokens["colors"]) == {
        "primary",
        "on_primary",
        "accent",
        "background",
        "surface",
        "text",
        "muted",
    }


def test_contrast_ratio_matches_wcag():
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast_ratio("#777777", "#ffffff"), 2) == 4.48
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54


def test_contrast_passes_at_aa():
    tokens = validate_tokens(
        {"colors": {"primary": "#767676", "muted": "#767676", "surface": "#ffffff"}}
    )
    assert tokens["colors"]["primary"] == "#767676"


def test_contrast_fails_naming_the_pair_and_the_ratio():
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_tokens({"colors": {"primary": "#777777"}})
    assert _messages(exc) == [
        "Not enough contrast between the text on primary colour (#ffffff) and the primary colour (#777777): "
        "the ratio is 4.47:1, at least 4.5:1 is required so that everyone can read it (WCAG 2.1 AA).",
        "Not enough contrast between the primary colour (#777777) and the background colour (#ffffff): "
        "the ratio is 4.47:1, at least 4.5:1 is required so that everyone can read it (WCAG 2.1 AA).",
        "Not enough contrast between the primary colour (#777777) and the surface (card) colour (#f3f5f8): "
        "the ratio is 4.10:1, at least 4.5:1 is required so that everyone can read it (WCAG 2.1 AA).",
    ]


def test_contrast_message_in_french():
    with translation.override("fr"), pytest.raises(ValidationError) as exc:
        validate_tokens({"colors": {"text": "#aaaaaa"}})
    assert _messages(exc)[0].startswith(
        "Contraste insuffisant entre la couleur du texte (#aaaaaa) et la couleur de fond (#ffffff) : le rapport est de 2.32:1"
    )


def test_colour_syntax():
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_tokens({"colors": {"accent": "red", "primary": "#12345"}})
    assert _messages(exc) == [
        "The primary colour “#12345” is not a colour. Use a hexadecimal colour such as #1f5fa8.",
        "The accent colour “red” is not a colour. Use a hexadecimal colour such as #1f5fa8.",
    ]
    assert validate_tokens({"colors": {"on_primary": "#FFF"}})["colors"]["on_primary"] == "#ffffff"


def test_unknown_tokens_and_flags_are_rejected():
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_tokens(
            {"colour": {}, "flags": {"teleport": True, "sms": "yes"}, "colors": {"pink": "#ff00ff"}}
        )
    messages = _messages(exc)
    assert messages[0].startswith(
        "Unknown theme token “colour”. Accepted: display_name, short_name, colors,"
    )
    assert (
        "Unknown colour “pink”. Accepted: primary, on_primary, accent, background, surface, text, muted."
        in messages
    )
    assert (
        "Unknown feature flag “teleport”. Accepted: self_signup, messaging, outings, sms, visit_log, public_directory, auto_confirm_matches."
        in messages
    )
    assert "The feature flag “sms” must be true or false." in messages


def test_wording_is_non_empty_length_limited_and_gendered():
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_tokens(
            {
                "wording": {
                    "volunteer": {"singular": "  ", "plural": "voisineurs", "gender": "m"},
                    "person": {"singular": "x" * 41, "plural": "voisinés", "gender": "n"},
                    "hero": {"singular": "héros", "plural": "héros", "gender": "m"},
                }
            }
        )
    assert _messages(exc) == [
        "Unknown wording key “hero”. Accepted: volunteer, person, coordinator, circle, visit, outing.",
        "The wording “volunteer” (singular) cannot be empty.",
        "The wording “person” (singular) is too long (41 characters; 40 at most).",
        "The wording “person” needs its grammatical gender: “m” (masculine) or “f” (feminine).",
    ]


def test_other_tokens():
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_tokens(
            {
                "radius": 99,
                "timezone": "Mars/Olympus",
                "default_locale": "de",
                "font_stack": "x; } body { display:none",
                "contact": {"email": "nope"},
                "settings": {"proposal_expiry_days": 0, "quiet_hours_end": "25:00"},
            }
        )
    assert _messages(exc) == [
        "The font list may only hold font names separated by commas (letters, digits, spaces, quotes and hyphens; 200 characters at most).",
        "The corner radius must be a whole number of pixels between 0 and 32.",
        "The default language “de” is not available. Accepted: fr, en.",
        "The time zone “Mars/Olympus” is unknown. Use a name such as Europe/Paris.",
        "The contact e-mail “nope” is not a valid e-mail address.",
        "The setting “proposal_expiry_days” must be a whole number of days between 1 and 60.",
        "The setting “quiet_hours_end” must be a time such as 21:00.",
    ]


def test_refused_theme_changes_nothing(brand_a):
    before = get_theme(brand_a)
    with pytest.raises(ValidationError):
        set_theme(
            association=brand_a, tokens={"display_name": "Changed", "colors": {"text": "#eeeeee"}}
        )
    brand_a.refresh_from_db()
    after = get_theme(brand_a)
    assert (after.version, after.display_name) == (before.version, before.display_name)


def _image(fmt, size, color=(10, 80, 160)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt,ext", [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")])
def test_raster_logos_accepted(fmt, ext):
    clean = validate_image(_image(fmt, (512, 600)))
    assert (clean.ext, clean.width, clean.height) == (ext, 512, 600)


def test_logo_too_small_too_big_or_wrong_type():
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            validate_image(_image("PNG", (300, 512)))
        assert _messages(exc) == [
            "The logo is 300 × 512 pixels; it must be at least 512 × 512 pixels so that app icons stay sharp."
        ]
        with pytest.raises(ValidationError) as exc:
            validate_image(b"\x89PNG" + b"0" * (1024 * 1024 + 10))
        assert _messages(exc) == ["The logo is too large (1024 KB); 1 MB (1024 KB) at most."]
        with pytest.raises(ValidationError) as exc:
            validate_image(_image("GIF", (600, 600)))
        assert _messages(exc) == ["The logo is a GIF image; use PNG, JPEG, WebP or SVG."]
        with pytest.raises(ValidationError) as exc:
            validate_image(b"MZ not an image at all")
        assert _messages(exc) == ["The logo is not a readable image. Use PNG, JPEG, WebP or SVG."]


GOOD_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><!-- hi --><circle cx="5" cy="5" r="4" fill="#123456"/></svg>'


def test_clean_svg_is_accepted_and_rebuilt():
    clean = sanitize_svg(GOOD_SVG)
    assert (
        clean
        == b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#123456" /></svg>'
    )


@pytest.mark.parametrize(
    "svg,reason",
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "it contains a <script> element, which could run code or load content.",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
            "the attribute “onload” is an event handler (it could run code).",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="https://evil.example/x.svg#a"/></svg>',
            "it refers to an external resource (https://evil.example/x.svg#a).",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://evil.example/p)" width="1" height="1"/></svg>',
            "it refers to an external resource (https://evil.example/p).",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div/></foreignObject></svg>',
            "it contains a <foreignObject> element, which could run code or load content.",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
            "it declares a DOCTYPE or entities, which are not allowed.",
        ),
    ],
)
def test_dangerous_svg_is_refused(svg, reason):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_image(svg)
    assert _messages(exc) == [f"The logo (SVG) was refused: {reason}"]


def test_svg_logo_through_the_service(brand_a, client_a):
    with pytest.raises(ValidationError):
        set_theme(
            association=brand_a, logo=b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
        )
    assert get_theme(brand_a).logo == ""
    set_theme(association=brand_a, logo=GOOD_SVG)
    theme = get_theme(brand_a)
    response = client_a.get(theme.logo_path)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')


hex_colour = st.integers(min_value=0, max_value=0xFFFFFF).map(lambda n: f"#{n:06x}")


@settings(max_examples=150, deadline=None)
@given(primary=hex_colour, on_primary=hex_colour, background=hex_colour)
def test_contrast_validation_refuses_exactly_the_failing_pairs(primary, on_primary, background):
    colors = {
        **validate_tokens({})["colors"],
        "primary": primary,
        "on_primary": on_primary,
        "background": background,
    }
    failing = [
        (fg, bg)
        for fg, bg, minimum in CONTRAST_PAIRS
        if contrast_ratio(colors[fg], colors[bg]) < minimum
    ]
    with translation.override("en"):
        try:
            validate_tokens({"colors": colors})
        except ValidationError as exc:
            messages = exc.message_dict["theme"]
            assert len(messages) == len(failing) > 0
            for message in messages:
                assert (
                    message.startswith("Not enough contrast between the ")
                    and ":1, at least " in message
                )
        else:
            assert failing == []
