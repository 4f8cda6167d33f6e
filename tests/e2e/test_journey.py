"""The full journey in a real browser (system Chromium), on both test brands:

a coordinator registers a person (the coordinator workspace) -> proposes them to a volunteer ->
the volunteer sees the proposal on their phone and accepts -> the coordinator confirms -> the
volunteer logs a "worried" visit -> the coordinator sees the concern on the dashboard. A member
of the other brand can see none of it. axe runs on every page visited; screenshots of the
volunteer home and the coordinator dashboard at 390x844 go to tests/e2e/artifacts/.
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.webapp_support import (
    ARTIFACTS,
    PHONE_VIEWPORT,
    audit,
    brand_url,
    demo_themed_brands,  # noqa: F401 (fixture)
    login,
    make_members,
)

BRANDS = ("alpha", "beta")


def _brand(slug):
    from tenants.models import Association

    return Association.objects.get(slug=slug)


def test_session_brands_exist(db):
    """Also makes pytest-django set up the test database when this module runs alone (it only
    does so for sessions holding a `db` test; the browser tests below commit their own data)."""
    from tenants.models import Association

    assert set(Association.objects.filter(slug__in=BRANDS).values_list("slug", flat=True)) == set(
        BRANDS
    )


@pytest.mark.parametrize("slug", BRANDS)
def test_full_journey(slug, demo_themed_brands, live_server_port, browser, django_db_blocker):  # noqa: F811
    from django.db import connections

    port = live_server_port
    with django_db_blocker.unblock():
        brand = _brand(slug)
        other_brand = _brand(next(s for s in BRANDS if s != slug))
        tag = uuid.uuid4().hex[:6]
        created, coord, vol = make_members(brand, tag=tag)
        other_created, _other_coord, other_vol = make_members(other_brand, tag=f"o{tag}")
        # The same e-mail in the other brand is another account: it must see nothing either.
        try:
            _journey(brand, other_brand, port, browser, coord, vol, other_vol, tag)
        finally:
            created.cleanup()
            other_created.cleanup()
            connections.close_all()


def _journey(brand, other_brand, port, browser, coord, vol, other_vol, tag):
    visited: list[str] = []
    first, last = f"Odette{tag}", "Lambert"
    ARTIFACTS.mkdir(exist_ok=True)

    staff = browser.new_context(viewport=PHONE_VIEWPORT, locale="fr-FR")
    phone = browser.new_context(viewport=PHONE_VIEWPORT, locale="fr-FR")
    outsider = browser.new_context(viewport=PHONE_VIEWPORT, locale="fr-FR")
    try:
        c, v, o = staff.new_page(), phone.new_page(), outsider.new_page()

        # 1. The coordinator registers a person, with consent.
        login(c, brand, port, coord.email)
        c.goto(brand_url(brand, port, "/coordination/people/new/"))
        audit(c, label="register a person", seen=visited)
        c.fill("#id_first_name", first)
        c.fill("#id_last_name", last)
        c.fill("#id_phone", "01 23 45 67 89")
        c.fill("#id_address", "12 rue des Lilas, Paris")
        c.fill("#id_district", "Belleville")
        c.fill("#id_latitude", "48.857")
        c.fill("#id_longitude", "2.353")
        c.select_option("#id_consent_method", "in_person")
        c.fill("#id_consent_purpose", "Visites de bénévoles de l'association")
        c.locator("main form button[type=submit]").click()
        c.wait_for_load_state()
        match = re.search(r"/coordination/people/([0-9a-f-]{36})/", c.url)
        assert match, c.url
        person_id = match.group(1)
        audit(c, label="person (coordinator)", seen=visited)

        # 2. ...and proposes them to the volunteer (the matching screen).
        c.goto(brand_url(brand, port, f"/coordination/people/{person_id}/match/"))
        audit(c, label="matching", seen=visited)
        c.locator("label.choice", has_text=vol.full_name).locator("input").check()
        c.locator("main form button[type=submit]").click()
        c.wait_for_load_state()

        # 3. The volunteer sees the proposal on their home, reduced view only, and accepts.
        login(v, brand, port, vol.email)
        v.goto(brand_url(brand, port, "/"))
        audit(v, label="volunteer home (proposal)", seen=visited)
        card = v.locator("#proposals-title + ul li", has_text=f"{first} L.")
        assert card.count() == 1
        assert last not in v.content()
        card.get_by_role("link").click()
        v.wait_for_load_state()
        audit(v, label="proposal", seen=visited)
        assert last not in v.content() and "rue des Lilas" not in v.content()
        v.locator("button[name=answer][value=accept]").click()
        v.wait_for_load_state()

        # 4. The coordinator confirms.
        c.goto(brand_url(brand, port, "/coordination/proposals/"))
        audit(c, label="proposals", seen=visited)
        c.locator("form[action*='/confirm/'] button", has_text=re.compile(f"{first}")).first.click()
        c.wait_for_load_state()

        # 5. The volunteer now has the person in their circle and logs a "worried" visit:
        #    tap "Log a visit" on home, then tap "Worried" (2 taps).
        v.goto(brand_url(brand, port, "/"))
        audit(v, label="volunteer home (matched)", seen=visited)
        assert f"{first} {last}" in v.content()
        v.screenshot(path=str(ARTIFACTS / f"{brand.slug}-volunteer-home.png"), full_page=False)
        v.locator("a[href$='/visit/']", has_text=re.compile(".")).filter(
            has=v.locator("span.visually-hidden", has_text=f"{first} {last}")
        ).click()
        v.wait_for_load_state()
        audit(v, label="visit form", seen=visited)
        v.fill("textarea[name=note]", "Elle ne mange plus beaucoup.")
        v.locator("button[name=mood][value=worried]").click()
        v.wait_for_url(re.compile(r":\d+/(\?logged=1)?$"))
        audit(v, label="volunteer home (after visit)", seen=visited)
        v.goto(brand_url(brand, port, f"/people/{person_id}/"))
        audit(v, label="person (circle view)", seen=visited)
        assert "12 rue des Lilas" in v.content()

        # 6. The coordinator sees the concern on the dashboard.
        c.goto(brand_url(brand, port, "/coordination/"))
        audit(c, label="dashboard", seen=visited)
        concerns = c.locator("section.concerns")
        assert f"{first} {last}" in concerns.inner_text()
        assert "Elle ne mange plus beaucoup." in concerns.inner_text()
        c.screenshot(
            path=str(ARTIFACTS / f"{brand.slug}-coordinator-dashboard.png"), full_page=False
        )

        # 7. A member of the other brand sees none of it, on their own host or by guessing URLs.
        login(o, other_brand, port, other_vol.email)
        o.goto(brand_url(other_brand, port, "/"))
        audit(o, label="other brand home", seen=visited)
        assert first not in o.content()
        for path in (f"/people/{person_id}/", f"/people/{person_id}/visit/"):
            response = o.goto(brand_url(other_brand, port, path))
            assert response.status == 404, path
            assert first not in o.content()
        response = o.goto(brand_url(other_brand, port, "/coordination/"))
        assert first not in o.content()
        # Their session does not open the first brand either (cookies are host-only).
        o.goto(brand_url(brand, port, f"/people/{person_id}/"))
        assert "/accounts/login/" in o.url
    finally:
        staff.close()
        phone.close()
        outsider.close()
    assert len(visited) >= 10
