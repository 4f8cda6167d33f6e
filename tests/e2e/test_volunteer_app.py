"""The volunteer app in a real browser (system Chromium), on both session brands dressed as the
demo brands: axe finds no serious or critical violation on any page; every page fits 320 px
without horizontal scrolling and shows a visible keyboard focus; the large-text setting applies;
the app is installable (manifest + service worker at the root scope, offline page); a visit
logged offline is queued, sent when the connection returns, and logged exactly once."""

from __future__ import annotations

import datetime as dt
import time
import uuid

import pytest

from tests.e2e.webapp_support import (
    audit,
    brand_url,
    demo_themed_brands,  # noqa: F401 (fixture)
    login,
    make_members,
)

BRANDS = ("alpha", "beta")


def test_session_brands_exist(db):
    """Makes pytest-django create the test database even when this module runs alone."""
    from tenants.models import Association

    assert Association.objects.filter(slug__in=BRANDS).count() == 2


@pytest.fixture
def seeded(request, demo_themed_brands, django_db_blocker):  # noqa: F811
    """Committed: a coordinator, a volunteer with one person in their circle, one pending
    proposal, an outing (when the brand has outings) and a message; deleted afterwards."""
    from django.db import connections
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from tenants.models import Association
    from tests.webapp import factories
    from themes.flags import flag_enabled

    slug = request.param
    with django_db_blocker.unblock():
        brand = Association.objects.get(slug=slug)
        tag = uuid.uuid4().hex[:6]
        created, coord, vol = make_members(brand, tag=tag)
        outing = None
        try:
            with tenant_context(brand):
                person = factories.person(by=coord, first_name=f"Rose{tag}", last_name="Meunier")
                circle = factories.matched(by=coord, person=person, volunteer=vol)
                other = factories.person(
                    by=coord,
                    first_name=f"Henri{tag}",
                    last_name="Caron",
                    latitude=48.86,
                    longitude=2.36,
                )
                proposal = factories.proposal(by=coord, person=other, volunteer=vol)
                from messaging.services import post_message

                post_message(acting_user=coord, circle=circle, body="Bienvenue dans le cercle !")
                if flag_enabled("outings", brand):
                    from outings.services import create_outing

                    start = timezone.now() + dt.timedelta(days=5)
                    outing = create_outing(
                        acting_user=coord,
                        title=f"Balade {tag}",
                        place="Jardin des Plantes",
                        starts_at=start,
                        ends_at=start + dt.timedelta(hours=2),
                        capacity=8,
                    )
            data = {
                "brand": brand,
                "vol": vol,
                "coord": coord,
                "person": person,
                "other": other,
                "circle": circle,
                "proposal": proposal,
                "outing": outing,
            }
            yield data
        finally:
            with tenant_context(brand):
                if outing is not None:
                    outing.delete()
            created.cleanup()
            connections.close_all()


def _pages(s) -> list[str]:
    pages = [
        "/",
        f"/people/{s['person'].public_id}/",
        f"/people/{s['other'].public_id}/",
        f"/people/{s['person'].public_id}/visit/",
        f"/proposals/{s['proposal'].public_id}/",
        f"/circles/{s['circle'].public_id}/messages/",
        "/settings/",
        "/my-data/",
        "/welcome/charter/",
        "/welcome/profile/",
        "/offline/",
    ]
    if s["outing"] is not None:
        pages += ["/outings/", f"/outings/{s['outing'].public_id}/"]
    return pages


def _check_320_and_focus(page, label):
    page.set_viewport_size({"width": 320, "height": 700})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{label}: {overflow}px of horizontal scrolling at 320 px"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focus = page.evaluate("""() => { const el = document.activeElement; const st = getComputedStyle(el);
        return {tag: el.tagName, outline: st.outlineStyle, width: parseFloat(st.outlineWidth) || 0}; }""")
    assert focus["tag"] not in ("BODY", "HTML"), f"{label}: Tab does not move the focus"
    assert focus["outline"] != "none" and focus["width"] >= 2, (
        f"{label}: no visible focus ({focus})"
    )
    page.set_viewport_size({"width": 390, "height": 844})


@pytest.mark.parametrize("seeded", BRANDS, indirect=True)
def test_every_volunteer_page_passes_axe_at_320px_with_visible_focus(
    seeded, live_server_port, browser
):
    port, brand = live_server_port, seeded["brand"]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    try:
        page = context.new_page()
        # Signed out: welcome, sign-in, sign-up (where the brand allows it).
        for path in ("/", "/accounts/login/", "/signup/"):
            response = page.goto(brand_url(brand, port, path))
            if path == "/signup/" and response.status == 404:
                continue  # self-signup is off for this brand
            assert response.status == 200, path
            audit(page, label=f"signed out {path}")
            _check_320_and_focus(page, path)
        login(page, brand, port, seeded["vol"].email)
        for path in _pages(seeded):
            response = page.goto(brand_url(brand, port, path))
            assert response.status == 200, path
            audit(page, label=path)
            _check_320_and_focus(page, path)
        # English too.
        page.goto(brand_url(brand, port, "/"))
        page.locator("button[name=language][value=en]").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        audit(page, label="home in English")
        assert "Log a visit" in page.content()
    finally:
        context.close()


@pytest.mark.parametrize("seeded", ["alpha"], indirect=True)
def test_large_text_setting(seeded, live_server_port, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        login(page, seeded["brand"], live_server_port, seeded["vol"].email)
        page.goto(brand_url(seeded["brand"], live_server_port, "/"))
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
        page.locator("button[name=size][value=large]").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("class") == "large-text"
        larger = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"
        )
        assert larger >= size * 1.2
        audit(page, label="home, large text")
        _check_320_and_focus(page, "home, large text")
    finally:
        context.close()


@pytest.mark.parametrize("seeded", BRANDS, indirect=True)
def test_installable_and_offline_visit_is_sent_once(
    seeded, live_server_port, browser, django_db_blocker
):
    from django_tenants.utils import tenant_context
    from visits.models import Visit
    from webapp.models import VisitReceipt

    port, brand = live_server_port, seeded["brand"]
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="allow")
    try:
        page = context.new_page()
        login(page, brand, port, seeded["vol"].email)
        page.goto(brand_url(brand, port, "/"))
        # Installable: a manifest with the brand's name, icons and standalone display; a service
        # worker controlling the whole origin.
        manifest_url = page.locator("link[rel=manifest]").get_attribute("href")
        manifest = page.evaluate("url => fetch(url).then(r => r.json())", manifest_url)
        assert manifest["name"] == seeded_theme_name(brand)
        assert manifest["display"] == "standalone" and manifest["start_url"]
        assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
        scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
        assert scope == brand_url(brand, port, "/")

        # The offline page is served from the cache when the network is gone.
        page.goto(brand_url(brand, port, f"/people/{seeded['person'].public_id}/visit/"))
        page.evaluate("navigator.serviceWorker.ready")
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        # The key app.js generated for this visit (it replaces the server's with a client UUID).
        key = page.locator("input[name=idempotency_key]").input_value()
        context.set_offline(True)
        page.fill("textarea[name=note]", "Visite notée sans réseau")
        page.locator("button[name=mood][value=good]").click()
        page.wait_for_function(
            "document.getElementById('offline-queue-status').textContent.length > 0"
        )
        with django_db_blocker.unblock(), tenant_context(brand):
            assert not Visit.objects.filter(person=seeded["person"]).exists()
        offline = context.new_page()
        offline.goto(brand_url(brand, port, "/outings/" if seeded["outing"] else "/settings/"))
        assert "offline-queue-status" in offline.content()  # a cached page or the offline page
        offline.close()

        # Back online: the queue is sent, once.
        context.set_offline(False)
        deadline = time.monotonic() + 20
        count = 0
        while time.monotonic() < deadline:
            with django_db_blocker.unblock(), tenant_context(brand):
                count = Visit.objects.filter(person=seeded["person"]).count()
            if count:
                break
            page.wait_for_timeout(200)
        assert count == 1
        # A replay (another flush, another page load) logs nothing more.
        page.evaluate(
            """(key) => new Promise((resolve) => { const req = indexedDB.open('entraide-offline', 1);
            req.onsuccess = () => { const tx = req.result.transaction('visits', 'readwrite');
              tx.objectStore('visits').put({key: key, url: location.pathname, fields: {
                kind: 'visit', occurred_on: new Date().toISOString().slice(0, 10), duration_minutes: '60',
                note: 'Visite notée sans réseau', mood: 'good', idempotency_key: key}});
              tx.oncomplete = () => resolve(); }; })""",
            key,
        )
        page.evaluate("window.entraideFlushQueue()")
        page.goto(brand_url(brand, port, "/"))
        page.wait_for_function("document.documentElement.dataset.queueFlushed === '1'")
        left = page.evaluate("""() => new Promise((resolve) => { const req = indexedDB.open('entraide-offline', 1);
            req.onsuccess = () => { const r = req.result.transaction('visits').objectStore('visits').count();
              r.onsuccess = () => resolve(r.result); }; })""")
        assert left == 0
        with django_db_blocker.unblock(), tenant_context(brand):
            visits = list(Visit.objects.filter(person=seeded["person"]))
            assert [(v.note, v.mood) for v in visits] == [("Visite notée sans réseau", "good")]
            assert VisitReceipt.objects.filter(visit=visits[0]).count() == 1
    finally:
        context.close()


def seeded_theme_name(brand) -> str:
    from themes.selectors import get_theme

    brand.refresh_from_db()
    return get_theme(brand).display_name


@pytest.mark.parametrize("seeded", ["beta"], indirect=True)
def test_push_opt_in_reaches_the_worker_endpoint(
    seeded, live_server_port, browser, django_db_blocker
):
    """The settings page posts the browser's subscription to the worker's endpoint (CSRF header,
    JSON body). Headless Chromium has no push service, so the subscription JSON is the one a
    browser would produce, handed to the page's own sender."""
    from django_tenants.utils import tenant_context

    from worker.models import PushSubscription

    brand = seeded["brand"]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        login(page, brand, live_server_port, seeded["vol"].email)
        page.goto(brand_url(brand, live_server_port, "/settings/"))
        assert page.locator("#push-section").get_attribute("data-vapid-key")
        endpoint = f"https://push.example.test/send/{uuid.uuid4()}"
        status = page.evaluate(
            """(endpoint) => window.entraideSendSubscription({endpoint: endpoint,
            keys: {p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
                   auth: "tBHItJI5svbpez7KI4CCXg"}})""",
            endpoint,
        )
        assert status == 201
        with django_db_blocker.unblock(), tenant_context(brand):
            assert list(
                PushSubscription.objects.filter(endpoint=endpoint).values_list("user_id", flat=True)
            ) == [seeded["vol"].pk]
        page.reload()
        assert (
            "1 appareil" in page.locator("#push-state").inner_text()
            or "1 device" in page.locator("#push-state").inner_text()
        )
    finally:
        context.close()
