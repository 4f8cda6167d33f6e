"""Feature flags through HTTP, and every way of editing a theme (CLI, operator API, provisioning,
brand admin settings page), each touching one brand only."""

import base64
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from PIL import Image

from tenants.models import Association
from themes.flags import flag_enabled
from themes.models import BrandTheme
from themes.selectors import get_theme
from themes.services import set_theme


@pytest.mark.urls("tests.themes.flag_urls")
def test_disabled_flag_makes_page_and_api_404(brand_a, brand_b, client_a, client_b):
    set_theme(association=brand_a, tokens={"flags": {"outings": False}})
    assert client_a.get("/flag-test/outings/").status_code == 404
    api = client_a.get("/flag-test/api/outings/")
    assert api.status_code == 404
    # Brand B still has the feature: its page and API answer.
    assert client_b.get("/flag-test/outings/").content == b"outings page"
    assert client_b.get("/flag-test/api/outings/").json() == {"outings": []}
    set_theme(association=brand_a, tokens={"flags": {"outings": True}})
    assert client_a.get("/flag-test/outings/").status_code == 200
    assert client_a.get("/flag-test/api/outings/").status_code == 200


def _png_data_uri(size=(512, 512), color=(0, 90, 60)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


# --- CLI ------------------------------------------------------------------------------------------


def test_cli_set_theme_merges_and_reports(brand_a, brand_b, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(base64.b64decode(_png_data_uri().split(",", 1)[1]))
    theme_file = tmp_path / "theme.json"
    theme_file.write_text(
        json.dumps(
            {
                "display_name": "Alpha CLI",
                "colors": {"primary": "#005a9c"},
                "flags": {"sms": True},
                "logo": "logo.png",
            }
        ),
        encoding="utf-8",
    )
    before_b = get_theme(brand_b).version
    out = io.StringIO()
    call_command("set_theme", "alpha", "--file", str(theme_file), stdout=out)
    brand_a.refresh_from_db()
    theme = get_theme(brand_a)
    assert (theme.display_name, theme.colors["primary"], flag_enabled("sms", brand_a)) == (
        "Alpha CLI",
        "#005a9c",
        True,
    )
    assert theme.logo.endswith(".png")
    assert f"Theme of 'alpha' updated (version {theme.version})." in out.getvalue()
    brand_b.refresh_from_db()
    assert get_theme(brand_b).version == before_b


def test_cli_refuses_a_bad_theme_with_the_reason(brand_a, tmp_path):
    theme_file = tmp_path / "theme.json"
    theme_file.write_text(json.dumps({"colors": {"text": "#cccccc"}}), encoding="utf-8")
    before = get_theme(brand_a).version
    with translation.override("en"), pytest.raises(CommandError) as exc:
        call_command("set_theme", "alpha", "--file", str(theme_file))
    assert "the theme was not changed:" in str(exc.value)
    assert "text colour (#cccccc) and the background colour (#ffffff): the ratio is 1.60:1" in str(
        exc.value
    )
    brand_a.refresh_from_db()
    assert get_theme(brand_a).version == before
    with pytest.raises(CommandError, match="no brand with the slug 'nope'"):
        call_command("set_theme", "nope", "--file", str(theme_file))


def test_provisioning_applies_the_theme_file(db, tmp_path):
    theme_file = tmp_path / "theme.json"
    theme_file.write_text(
        json.dumps({"display_name": "Gamma", "colors": {"primary": "#8b1e3f"}}), encoding="utf-8"
    )
    call_command(
        "provision_brand",
        "gamma",
        "--name",
        "Gamma Asso",
        "--admin-email",
        "a@gamma.example",
        "--theme-file",
        str(theme_file),
        "--no-pool",
        "--no-email",
        stdout=io.StringIO(),
    )
    gamma = Association.objects.get(slug="gamma")
    assert (get_theme(gamma).display_name, get_theme(gamma).colors["primary"]) == (
        "Gamma",
        "#8b1e3f",
    )


def test_provisioning_with_an_invalid_theme_rolls_back(db, tmp_path):
    theme_file = tmp_path / "theme.json"
    theme_file.write_text(
        json.dumps({"colors": {"primary": "#eeeeee"}, "flags": {"warp": True}}), encoding="utf-8"
    )
    themes_before = BrandTheme.objects.count()
    with translation.override("en"), pytest.raises(CommandError) as exc:
        call_command(
            "provision_brand",
            "delta",
            "--name",
            "Delta",
            "--admin-email",
            "a@delta.example",
            "--theme-file",
            str(theme_file),
            "--no-pool",
            "--no-email",
        )
    assert (
        "theme: Not enough contrast between the text on primary colour (#ffffff) and the primary colour (#eeeeee)"
        in str(exc.value)
    )
    assert "theme: Unknown feature flag “warp”." in str(exc.value)
    assert not Association.objects.filter(slug="delta").exists()
    assert BrandTheme.objects.count() == themes_before


# --- Operator API ---------------------------------------------------------------------------------


@pytest.fixture
def operator_client(public_client, make_user, login):
    operator = make_user(None, email="op@entraide.example", role="operator", is_staff=True)
    return login(public_client, operator)


def test_operator_api_reads_patches_and_puts_a_theme(brand_a, brand_b, operator_client):
    url = "/api/operator/brands/alpha/theme/"
    got = operator_client.get(url)
    assert got.status_code == 200
    assert got.json()["tokens"]["colors"]["primary"] == "#1f5fa8"
    patched = operator_client.patch(
        url,
        {"colors": {"primary": "#005a9c"}, "short_name": "Alf", "logo": _png_data_uri()},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    body = patched.json()
    assert (body["tokens"]["colors"]["primary"], body["tokens"]["short_name"]) == ("#005a9c", "Alf")
    assert body["css_url"] == brand_a.url(f"/theme/{body['version']}.css")
    assert body["logo_url"].endswith(".png")
    # PUT replaces: tokens not given go back to the neutral default (the logo is kept).
    put = operator_client.put(url, {"display_name": "Alpha PUT"}, content_type="application/json")
    assert put.status_code == 200
    assert (
        put.json()["tokens"]["colors"]["primary"],
        put.json()["tokens"]["short_name"],
        put.json()["tokens"]["display_name"],
    ) == ("#1f5fa8", "", "Alpha PUT")
    brand_b.refresh_from_db()
    assert get_theme(brand_b).display_name == "Beta Solidarité"


def test_operator_api_refuses_invalid_themes_and_changes_nothing(brand_a, operator_client):
    url = "/api/operator/brands/alpha/theme/"
    before = operator_client.get(url).json()
    with translation.override("en"):
        response = operator_client.patch(
            url,
            {"colors": {"on_primary": "#2060b0"}},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert response.json()["theme"][0].startswith(
        "Not enough contrast between the text on primary colour (#2060b0)"
    )
    bad_logo = operator_client.patch(
        url,
        {
            "logo": "data:image/svg+xml;base64,"
            + base64.b64encode(
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
            ).decode()
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad_logo.status_code == 400
    assert bad_logo.json()["logo"] == [
        "The logo (SVG) was refused: it contains a <script> element, which could run code or load content."
    ]
    assert operator_client.get(url).json() == before
    assert operator_client.get("/api/operator/brands/nope/theme/").status_code == 404


def test_operator_api_provisioning_with_theme(operator_client):
    response = operator_client.post(
        "/api/operator/brands/",
        {
            "slug": "epsilon",
            "name": "Epsilon",
            "admin_email": "a@epsilon.example",
            "theme": {"display_name": "Epsilon Entraide", "colors": {"primary": "#7a2e00"}},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    epsilon = Association.objects.get(slug="epsilon")
    assert get_theme(epsilon).colors["primary"] == "#7a2e00"


def test_operator_api_is_for_operators_only(brand_a, client_a, public_client, make_user, login):
    url = "/api/operator/brands/alpha/theme/"
    assert public_client.get(url).status_code == 401
    admin = make_user(brand_a, email="boss@alpha.example", role="brand_admin")
    login(client_a, admin, brand_a)
    before = get_theme(brand_a).version
    assert (
        client_a.patch(url, {"display_name": "Hacked"}, content_type="application/json").status_code
        == 403
    )
    brand_a.refresh_from_db()
    assert get_theme(brand_a).version == before


# --- Brand admin settings page -------------------------------------------------------------------


def _form_data(theme, **overrides):
    tokens = theme.tokens
    data = {
        "display_name": tokens["display_name"],
        "short_name": tokens["short_name"],
        "font_stack": tokens["font_stack"],
        "radius": tokens["radius"],
        "default_locale": tokens["default_locale"],
        "timezone": tokens["timezone"],
        "contact_email": "",
        "contact_phone": "",
        "sender_name": "",
        "privacy_notice": "",
        "volunteer_charter": "",
        "proposal_expiry_days": 7,
        "no_contact_alert_days": 14,
        "background_check_notice_days": 30,
        "quiet_hours_start": "21:00",
        "quiet_hours_end": "08:00",
    }
    for key, value in tokens["colors"].items():
        data[f"color_{key}"] = value
    for name, on in tokens["flags"].items():
        if on:
            data[f"flag_{name}"] = "on"
    data.update(overrides)
    return data


def test_brand_admin_edits_their_theme_with_preview(brand_a, brand_b, client_a, make_user, login):
    admin = make_user(brand_a, email="boss@alpha.example", role="brand_admin")
    login(client_a, admin, brand_a)
    page = client_a.get("/settings/theme/", HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="theme-preview"' in html and "themes/theme-editor.js" in html
    assert '<label for="id_color_primary">Couleur principale</label>' in html
    data = _form_data(
        get_theme(brand_a),
        display_name="Alpha Admin",
        color_primary="#8b1e3f",
        wording_volunteer_singular="voisineur",
        wording_volunteer_plural="voisineurs",
        wording_volunteer_gender="m",
        flag_messaging="",
    )
    data.pop("flag_messaging")
    response = client_a.post("/settings/theme/", data)
    assert response.status_code == 302 and response["Location"] == "/settings/theme/"
    brand_a.refresh_from_db()
    theme = get_theme(brand_a)
    assert (
        theme.display_name,
        theme.colors["primary"],
        theme.tokens["wording"]["volunteer"]["singular"],
    ) == ("Alpha Admin", "#8b1e3f", "voisineur")
    assert flag_enabled("messaging", brand_a) is False
    # The next page shows it.
    assert (
        '<meta name="theme-color" content="#8b1e3f">'
        in client_a.get("/legal/privacy/").content.decode()
    )
    brand_b.refresh_from_db()
    assert get_theme(brand_b).colors["primary"] == "#1f5fa8"


def test_settings_page_shows_contrast_errors_and_saves_nothing(brand_a, client_a, make_user, login):
    admin = make_user(brand_a, email="boss@alpha.example", role="brand_admin")
    login(client_a, admin, brand_a)
    before = get_theme(brand_a).version
    response = client_a.post(
        "/settings/theme/",
        _form_data(get_theme(brand_a), color_muted="#bbbbbb"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert (
        "Not enough contrast between the secondary text colour (#bbbbbb) and the background colour (#ffffff): the ratio is 1.91:1"
        in response.content.decode()
    )
    brand_a.refresh_from_db()
    assert get_theme(brand_a).version == before


def test_only_brand_admins_reach_the_settings_page(brand_a, client_a, make_user, login):
    assert client_a.get("/settings/theme/")["Location"].startswith("/accounts/login/")
    coordinator = make_user(brand_a, email="coord@alpha.example", role="coordinator")
    login(client_a, coordinator, brand_a)
    before = get_theme(brand_a).version
    assert client_a.get("/settings/theme/").status_code == 403
    assert (
        client_a.post(
            "/settings/theme/", _form_data(get_theme(brand_a), display_name="Nope")
        ).status_code
        == 403
    )
    brand_a.refresh_from_db()
    assert get_theme(brand_a).version == before


def test_brand_admin_cannot_touch_another_brand(brand_a, brand_b, client_a, make_user, login):
    from django.test import Client

    admin = make_user(brand_a, email="boss@alpha.example", role="brand_admin")
    login(client_a, admin, brand_a)
    # Alpha's session cookie presented on beta's host: beta does not know it (users are per brand).
    stolen = Client(HTTP_HOST="beta.localhost")
    stolen.cookies = client_a.cookies
    before = get_theme(brand_b).version
    response = stolen.post(
        "/settings/theme/", _form_data(get_theme(brand_b), display_name="Hijacked")
    )
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    brand_b.refresh_from_db()
    assert get_theme(brand_b).version == before
    assert get_theme(brand_b).display_name == "Beta Solidarité"


def test_brand_admin_uploads_logo_and_favicon_and_svg_with_script_is_refused(
    brand_a, client_a, make_user, login
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = make_user(brand_a, email="boss@alpha.example", role="brand_admin")
    login(client_a, admin, brand_a)
    evil = SimpleUploadedFile(
        "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"
    )
    response = client_a.post(
        "/settings/theme/",
        {**_form_data(get_theme(brand_a)), "logo": evil},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert (
        "The logo (SVG) was refused: the attribute “onload” is an event handler (it could run code)."
        in response.content.decode()
    )
    brand_a.refresh_from_db()
    assert get_theme(brand_a).logo == ""

    png = base64.b64decode(_png_data_uri(size=(640, 640)).split(",", 1)[1])
    small = base64.b64decode(_png_data_uri(size=(48, 48), color=(250, 200, 0)).split(",", 1)[1])
    response = client_a.post(
        "/settings/theme/",
        {
            **_form_data(get_theme(brand_a)),
            "logo": SimpleUploadedFile("logo.png", png, "image/png"),
            "favicon": SimpleUploadedFile("fav.png", small, "image/png"),
        },
    )
    assert response.status_code == 302
    brand_a.refresh_from_db()
    theme = get_theme(brand_a)
    assert theme.logo.endswith(".png") and theme.favicon.endswith(".png")
    favicon = Image.open(io.BytesIO(client_a.get("/favicon.ico").content)).convert("RGB")
    assert favicon.size == (32, 32) and favicon.getpixel((16, 16)) == (250, 200, 0)
