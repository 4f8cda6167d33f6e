"""In a real browser (system Chromium), each brand's primary button is painted in that brand's
primary colour, read back with getComputedStyle."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import live_url

THEMES = {
    "alpha": {
        "display_name": "Alpha Navigateur",
        "colors": {"primary": "#6a1b9a", "surface": "#f6f0fa"},
    },
    "beta": {
        "display_name": "Beta Navigateur",
        "colors": {"primary": "#0b6e4f", "surface": "#eef6f1"},
    },
}


def _rgb(hex_color: str) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_session_brands_exist(db):
    """Makes pytest-django create the test database even when this module runs alone."""
    from tenants.models import Association

    assert Association.objects.filter(slug__in=THEMES).count() == 2


@pytest.fixture(scope="module")
def themed_brands(django_db_setup, django_db_blocker):
    """Commit a distinct theme on both session brands (yields their hosts); restore after."""
    from django.db import connections
    from django.utils import timezone

    from tenants.models import Association
    from themes.models import BrandTheme
    from themes.services import set_theme

    fields = ("tokens", "logo", "logo_type", "favicon", "version")
    with django_db_blocker.unblock():
        brands = {slug: Association.objects.get(slug=slug) for slug in THEMES}
        saved = {
            slug: BrandTheme.objects.filter(association=b).values(*fields).first()
            for slug, b in brands.items()
        }
        for slug, brand in brands.items():
            set_theme(association=brand, tokens=THEMES[slug], replace=True)
        hosts = {slug: brand.get_primary_domain().domain for slug, brand in brands.items()}
        try:
            yield hosts
        finally:
            for slug, brand in brands.items():
                if saved[slug] is None:
                    BrandTheme.objects.filter(association=brand).delete()
                else:
                    BrandTheme.objects.filter(association=brand).update(**saved[slug])
                Association.objects.filter(pk=brand.pk).update(updated_at=timezone.now())
            connections.close_all()


@pytest.mark.e2e
@pytest.mark.parametrize("slug", sorted(THEMES))
def test_primary_button_has_the_brand_primary_colour(slug, themed_brands, live_server_port, page):
    page.goto(live_url(themed_brands[slug], live_server_port, "/legal/charter/"))
    assert page.locator(".site-name").inner_text() == THEMES[slug]["display_name"]
    button = page.locator(".btn-primary").first
    assert button.evaluate("el => getComputedStyle(el).backgroundColor") == _rgb(
        THEMES[slug]["colors"]["primary"]
    )
    assert button.evaluate("el => getComputedStyle(el).color") == "rgb(255, 255, 255)"
    # Large touch target.
    box = button.bounding_box()
    assert box["height"] >= 44


@pytest.mark.e2e
def test_theme_pages_pass_axe(themed_brands, live_server_port, page):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(live_url(themed_brands["alpha"], live_server_port, "/legal/privacy/"))
    results = Axe().run(page)
    bad = [
        (v["id"], v["impact"])
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert bad == []


@pytest.fixture(scope="module")
def alpha_admin(django_db_setup, django_db_blocker):
    """A committed brand admin of alpha (deleted afterwards, with the sessions it opened)."""
    from accounts.models import User
    from django.contrib.sessions.models import Session
    from django.db import connections
    from django_tenants.utils import schema_context

    email, password = "theme-admin@alpha.example", "correct horse battery staple"
    with django_db_blocker.unblock():
        with schema_context("alpha"):
            sessions_before = set(Session.objects.values_list("session_key", flat=True))
            user = User.objects.create_user(email=email, password=password, role="brand_admin")
        try:
            yield email, password
        finally:
            # Enter the schema again: after Playwright ran, this thread may hold another connection.
            with schema_context("alpha"):
                Session.objects.exclude(session_key__in=sessions_before).delete()
                User.objects.filter(pk=user.pk).delete()
            connections.close_all()


@pytest.mark.e2e
def test_settings_page_live_preview_and_axe(themed_brands, alpha_admin, live_server_port, page):
    from axe_playwright_python.sync_playwright import Axe

    email, password = alpha_admin
    page.goto(live_url(themed_brands["alpha"], live_server_port, "/accounts/login/"))
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(live_url(themed_brands["alpha"], live_server_port, "/settings/theme/"))
    preview_button = page.locator("#theme-preview .btn-primary")
    assert preview_button.evaluate("el => getComputedStyle(el).backgroundColor") == _rgb("#6a1b9a")
    # The admin picks another primary colour: the preview follows before anything is saved.
    page.locator("#id_color_primary").evaluate(
        "el => { el.value = '#005a9c'; el.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    assert preview_button.evaluate("el => getComputedStyle(el).backgroundColor") == _rgb("#005a9c")
    # The rest of the page keeps the saved theme until the admin saves.
    assert page.locator(".site-header").evaluate(
        "el => getComputedStyle(el).borderBottomColor"
    ) == _rgb("#6a1b9a")
    results = Axe().run(page)
    bad = [
        (v["id"], v["impact"])
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert bad == []
    # A colour too light for white text is reported live, with the ratio.
    page.locator("#id_color_primary").evaluate(
        "el => { el.value = '#aaaaaa'; el.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    assert "on_primary / primary 2.32:1" in page.locator("#contrast-report").inner_text()
