"""Rendering per brand through HTTP: pages, theme.css, manifest, icons, caching."""

import io
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from themes.selectors import get_theme
from themes.services import set_theme


def _css_url(client):
    html = client.get("/legal/privacy/").content.decode()
    start = html.index('href="/theme/') + len('href="')
    return html[start : html.index('"', start)]


def test_two_brands_render_their_own_name_colours_and_wording(themed, client_a, client_b):
    a = client_a.get("/legal/charter/", HTTP_ACCEPT_LANGUAGE="fr")
    b = client_b.get("/legal/charter/", HTTP_ACCEPT_LANGUAGE="fr")
    assert a.status_code == b.status_code == 200
    a_html, b_html = a.content.decode(), b.content.decode()
    assert "Alpha Voisins" in a_html and "Beta Seniors" not in a_html
    assert "Beta Seniors" in b_html and "Alpha Voisins" not in b_html
    assert '<meta name="theme-color" content="#6a1b9a">' in a_html
    assert '<meta name="theme-color" content="#0b6e4f">' in b_html
    assert "<h1>Charte des voisineurs</h1>" in a_html
    assert "<h1>Charte des bénévoles</h1>" in b_html
    css_a = client_a.get(_css_url(client_a)).content.decode()
    css_b = client_b.get(_css_url(client_b)).content.decode()
    assert "--color-primary: #6a1b9a;" in css_a and "--color-primary: #0b6e4f;" in css_b


def test_theme_css_holds_custom_properties_only(themed, client_a):
    css = client_a.get(_css_url(client_a)).content.decode()
    lines = css.strip().splitlines()
    assert lines[0] == ":root {" and lines[-1] == "}"
    assert all(line.strip().startswith("--") for line in lines[1:-1])
    assert len(lines) == 2 + 9


def test_theme_css_cache_headers_and_etag(themed, client_a):
    url = _css_url(client_a)
    version = get_theme(themed[0]).version
    assert url == f"/theme/{version}.css"
    response = client_a.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["ETag"] == f'"{version}"'
    again = client_a.get(url, HTTP_IF_NONE_MATCH=f'"{version}"')
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == f'"{version}"'
    other = client_a.get(url, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200
    head = client_a.head(url)  # curl -I, proxies and link checkers ask with HEAD
    assert (
        head.status_code == 200 and head["Cache-Control"] == "public, max-age=31536000, immutable"
    )


def test_a_stale_css_url_is_not_cached_for_a_year(themed, client_a):
    response = client_a.get("/theme/0000000000000000.css")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    assert "--color-primary: #6a1b9a;" in response.content.decode()


def test_theme_change_is_visible_on_the_next_request(themed, client_a):
    brand_a = themed[0]
    old_url = _css_url(client_a)
    assert "#6a1b9a" in client_a.get("/legal/privacy/").content.decode()
    set_theme(
        association=brand_a,
        tokens={"colors": {"primary": "#005a9c"}, "display_name": "Alpha Nouveau"},
    )
    html = client_a.get("/legal/privacy/").content.decode()
    assert '<meta name="theme-color" content="#005a9c">' in html and "Alpha Nouveau" in html
    new_url = _css_url(client_a)
    assert new_url != old_url
    assert "--color-primary: #005a9c;" in client_a.get(new_url).content.decode()
    manifest = json.loads(client_a.get("/manifest.webmanifest").content)
    assert manifest["theme_color"] == "#005a9c" and manifest["name"] == "Alpha Nouveau"


def test_manifests_differ_per_brand(themed, client_a, client_b):
    a = client_a.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="fr")
    b = client_b.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="en")
    assert a["Content-Type"] == "application/manifest+json"
    ma, mb = json.loads(a.content), json.loads(b.content)
    version_a = get_theme(themed[0]).version
    assert ma == {
        "name": "Alpha Voisins",
        "short_name": "Alpha",
        "lang": "fr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": "#6a1b9a",
        "background_color": "#ffffff",
        "icons": [
            {
                "src": f"/theme/icons/{version_a}/icon-192.png",
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": f"/theme/icons/{version_a}/icon-512.png",
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": f"/theme/icons/{version_a}/maskable-512.png",
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    assert (
        mb["name"],
        mb["short_name"],
        mb["theme_color"],
        mb["background_color"],
        mb["lang"],
    ) == ("Beta Seniors", "Beta", "#0b6e4f", "#fffdf7", "en")
    etag = a["ETag"]
    assert (
        client_a.get(
            "/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="fr", HTTP_IF_NONE_MATCH=etag
        ).status_code
        == 304
    )


def test_icons_are_generated_per_brand_at_pwa_sizes(themed, client_a, client_b):
    manifest = json.loads(client_a.get("/manifest.webmanifest").content)
    sizes = {}
    for entry in manifest["icons"]:
        response = client_a.get(entry["src"])
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        image = Image.open(io.BytesIO(response.content))
        sizes[entry["purpose"] + str(image.size)] = image
    assert set(sizes) == {"any(192, 192)", "any(512, 512)", "maskable(512, 512)"}
    # No logo: the initials on the brand's primary colour (the corner pixel is the primary).
    assert sizes["any(512, 512)"].convert("RGB").getpixel((2, 2)) == (0x6A, 0x1B, 0x9A)
    version_b = get_theme(themed[1]).version
    beta_icon = Image.open(
        io.BytesIO(client_b.get(f"/theme/icons/{version_b}/icon-192.png").content)
    )
    assert beta_icon.convert("RGB").getpixel((2, 2)) == (0x0B, 0x6E, 0x4F)
    apple = Image.open(io.BytesIO(client_a.get(get_theme(themed[0]).apple_touch_path).content))
    assert apple.size == (180, 180) and apple.mode == "RGB"
    assert client_a.get(f"/theme/icons/{get_theme(themed[0]).version}/nope.png").status_code == 404


def _png(size, color):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def test_uploaded_logo_becomes_the_icons(themed, client_a):
    brand_a = themed[0]
    set_theme(association=brand_a, logo=_png((600, 600), (200, 30, 30)))
    theme = get_theme(brand_a)
    logo = client_a.get(theme.logo_path)
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(logo.content)).size == (600, 600)
    icon = Image.open(io.BytesIO(client_a.get(theme.icon_path("icon-512")).content)).convert("RGB")
    assert icon.getpixel((256, 256)) == (200, 30, 30)
    # Stored per brand in tenant storage (MEDIA_ROOT/<schema>/...).
    from pathlib import Path

    from django.conf import settings

    assert (Path(settings.MEDIA_ROOT) / "alpha" / theme.logo).exists()
    assert (
        Path(settings.MEDIA_ROOT) / "alpha" / f"themes/icons/{theme.version}/icon-512.png"
    ).exists()


def test_favicon_and_legal_pages(themed, client_a):
    brand_a = themed[0]
    set_theme(
        association=brand_a,
        tokens={"legal": {"privacy_notice": "Nous protégeons vos données.\n\nVraiment."}},
    )
    favicon = client_a.get("/favicon.ico")
    assert favicon.status_code == 200 and Image.open(io.BytesIO(favicon.content)).size == (32, 32)
    privacy = client_a.get("/legal/privacy/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<p>Nous protégeons vos données.</p>" in privacy
    charter = client_a.get("/legal/charter/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Alpha Voisins n’a pas encore publié ce texte." in charter
    assert client_a.get("/legal/unknown/").status_code == 404


def test_public_host_has_no_theme_assets(public_client):
    assert public_client.get("/manifest.webmanifest").status_code == 404


def test_query_counts_are_pinned(themed, client_a, django_assert_num_queries):
    css_url = _css_url(client_a)  # warms this process's theme cache
    # SET search_path + the tenant lookup (domain + brand); the theme comes from the process cache.
    with django_assert_num_queries(2):
        client_a.get(css_url)
    with django_assert_num_queries(2):
        client_a.get("/manifest.webmanifest")
    with django_assert_num_queries(2):
        client_a.get("/legal/privacy/")


def test_a_theme_change_costs_one_query_then_none(themed, client_a):
    set_theme(association=themed[0], tokens={"radius": 4})
    with CaptureQueriesContext(connection) as first:
        client_a.get("/manifest.webmanifest")
    with CaptureQueriesContext(connection) as second:
        client_a.get("/manifest.webmanifest")
    theme_queries = [q for q in first.captured_queries if "themes_brandtheme" in q["sql"]]
    assert len(theme_queries) == 1
    assert not [q for q in second.captured_queries if "themes_brandtheme" in q["sql"]]


def test_old_images_and_icon_sets_are_pruned_after_a_change(
    themed, client_a, django_capture_on_commit_callbacks
):
    from pathlib import Path

    from django.conf import settings

    brand_a = themed[0]
    root = Path(settings.MEDIA_ROOT) / "alpha" / "themes"
    with django_capture_on_commit_callbacks(execute=True):
        set_theme(association=brand_a, logo=_png((600, 600), (200, 30, 30)))
    first = get_theme(brand_a)
    assert client_a.get(first.icon_path("icon-192")).status_code == 200
    assert (root / "icons" / first.version / "icon-192.png").exists()
    with django_capture_on_commit_callbacks(execute=True):
        set_theme(association=brand_a, logo=_png((512, 512), (20, 90, 30)), tokens={"radius": 2})
    second = get_theme(brand_a)
    assert sorted(p.name for p in root.iterdir() if p.is_file()) == [Path(second.logo).name]
    assert not (root / "icons" / first.version).exists()
    # An old page asking for the old icon URL still gets an icon (the current one, not cached for long).
    old = client_a.get(first.icon_path("icon-192"))
    assert old.status_code == 200 and old["Cache-Control"] == "no-cache"


def test_an_svg_logo_is_rasterised_into_the_icons(themed, client_a, client_b):
    """A wide SVG logo (red band) keeps its proportions, centred on the brand's background; the
    other brand still gets its initials."""
    brand_a = themed[0]
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20">'
        b'<rect width="40" height="20" fill="#c81e1e"/></svg>'
    )
    set_theme(association=brand_a, logo=svg)
    theme = get_theme(brand_a)
    assert theme.logo.endswith(".svg")
    icon = Image.open(io.BytesIO(client_a.get(theme.icon_path("icon-512")).content))
    assert icon.size == (512, 512)
    rgb = icon.convert("RGB")
    assert rgb.getpixel((256, 256)) == (0xC8, 0x1E, 0x1E)  # the logo, in the middle
    # 2:1 logo in 90 % of the square: the band is ~230 px high, the rest is the background
    background = tuple(int(theme.colors["background"][i : i + 2], 16) for i in (1, 3, 5))
    assert rgb.getpixel((256, 40)) == background and rgb.getpixel((256, 472)) == background
    # e-mails (which cannot show SVG) get this raster version
    assert theme.raster_logo_path == theme.icon_path("icon-192")
    beta = get_theme(themed[1])
    beta_icon = Image.open(io.BytesIO(client_b.get(beta.icon_path("icon-512")).content))
    assert beta_icon.convert("RGB").getpixel((2, 2)) == (0x0B, 0x6E, 0x4F)
