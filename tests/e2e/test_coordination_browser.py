"""The coordinator workspace and the operator console in a real browser (system Chromium):
axe finds no serious or critical violation on any main page, on both test brands; each page works
at 320 px without horizontal scrolling, shows a visible keyboard focus, and weighs at most 100 KB
on first load (the brand's logo excluded).

The data the browser needs is COMMITTED (the live server only sees committed rows) and deleted
exactly afterwards (see tests/e2e/conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.conftest import live_url

PASSWORD = "correct horse battery staple"
MAX_BYTES = 100 * 1024
BRANDS = ("alpha", "beta")


def test_session_brands_exist(db):
    """Makes pytest-django create the test database even when this module runs alone."""
    from tenants.models import Association

    assert Association.objects.filter(slug__in=BRANDS).count() == 2


def _seed_brand(brand) -> dict:
    from accounts.models import User
    from django.utils import timezone
    from django_tenants.utils import tenant_context
    from matching.models import Proposal
    from outings.models import Outing
    from people.models import ConsentRecord, Person
    from visits.models import Visit
    from volunteers.models import VolunteerProfile

    with tenant_context(brand):
        admin = User.objects.create_user(
            email=f"e2e-coord@{brand.slug}.example",
            password=PASSWORD,
            role="brand_admin",
            full_name="Camille Coordination",
        )
        volunteer = User.objects.create_user(
            email=f"e2e-vol@{brand.slug}.example",
            password=PASSWORD,
            role="volunteer",
            full_name="Valentin Bénévole",
        )
        waiting = User.objects.create_user(
            email=f"e2e-wait@{brand.slug}.example",
            password=PASSWORD,
            role="volunteer",
            full_name="Wanda Attente",
        )
        VolunteerProfile.objects.create(
            user=volunteer,
            status="validated",
            latitude=48.85,
            longitude=2.35,
            radius_km=5,
            availability=["tue_afternoon"],
            interests=["chess"],
            languages=["fr"],
            validated_at=timezone.now(),
        )
        VolunteerProfile.objects.create(user=waiting, status="in_progress")
        person = Person.objects.create(
            first_name="Paulette",
            last_name="Navigateur",
            latitude=48.851,
            longitude=2.351,
            district="11e",
            preferred_times=["tue_afternoon"],
            interests=["chess"],
            languages=["fr"],
            coordinator=admin,
        )
        ConsentRecord.objects.create(
            person=person, recorded_by=admin, method="in_person", purpose="Visits"
        )
        other = Person.objects.create(
            first_name="Odile", last_name="Autre", latitude=48.86, longitude=2.36
        )
        Proposal.objects.create(
            person=other,
            volunteer=volunteer,
            status="accepted",
            proposed_by=admin,
            expires_at=timezone.now() + dt.timedelta(days=7),
        )
        Visit.objects.create(
            person=other,
            volunteer=volunteer,
            kind="visit",
            mood="worried",
            duration_minutes=45,
            occurred_on=timezone.localdate(),
            note="Fatiguée",
        )
        start = timezone.now() + dt.timedelta(days=2)
        outing = Outing.objects.create(
            title="Musée d’Orsay",
            place="Paris",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            capacity=8,
        )
    return {
        "users": [admin.pk, volunteer.pk, waiting.pk],
        "people": [person.pk, other.pk],
        "person": str(person.public_id),
        "outing_pk": outing.pk,
        "outing": str(outing.public_id),
        "admin_email": admin.email,
        "host": brand.get_primary_domain().domain,
    }


def _clean_brand(brand, seeded) -> None:
    from accounts.models import User
    from django.contrib.sessions.models import Session
    from django_tenants.utils import tenant_context
    from outings.models import Outing
    from people.models import Person, PersonAccessLog

    with tenant_context(brand):
        public_ids = list(
            Person.objects.filter(pk__in=seeded["people"]).values_list("public_id", flat=True)
        )
        Outing.objects.filter(pk=seeded["outing_pk"]).delete()
        Person.objects.filter(pk__in=seeded["people"]).delete()
        PersonAccessLog.objects.filter(person_public_id__in=public_ids).delete()
        User.objects.filter(pk__in=seeded["users"]).delete()
        Session.objects.exclude(session_key__in=seeded["sessions"]).delete()


@pytest.fixture(scope="module")
def workspace(django_db_setup, django_db_blocker):
    from accounts.models import User
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django_tenants.utils import schema_context, tenant_context

    from tenants.models import Association

    with django_db_blocker.unblock():
        brands = {slug: Association.objects.get(slug=slug) for slug in BRANDS}
        seeded = {}
        for slug, brand in brands.items():
            with tenant_context(brand):
                sessions = list(Session.objects.values_list("session_key", flat=True))
            seeded[slug] = {**_seed_brand(brand), "sessions": sessions}
        with schema_context("public"):
            public_sessions = (
                list(Session.objects.values_list("session_key", flat=True))
                if _public_sessions()
                else []
            )
            operator = User.objects.create_user(
                email="e2e-operator@entraide.example",
                password=PASSWORD,
                role="operator",
                is_staff=True,
            )
        try:
            yield seeded
        finally:
            for slug, brand in brands.items():
                _clean_brand(brand, seeded[slug])
            with schema_context("public"), connection.cursor() as cursor:
                # Raw: the ORM's cascade would look for tenant-only tables (e.g. webapp's) that
                # the public schema does not have; an operator owns no rows in public.
                cursor.execute(f"DELETE FROM {User._meta.db_table} WHERE id = %s", [operator.pk])
                if _public_sessions():
                    Session.objects.exclude(session_key__in=public_sessions).delete()


def _public_sessions() -> bool:
    """Is there a session table in the public schema (operators' sessions)?"""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.django_session') IS NOT NULL")
        return cursor.fetchone()[0]


def _login(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def _audit(page, url: str, *, check_logo_excluded: bool = True) -> None:
    """Load `url` in a fresh cache, then check weight, axe, 320 px and focus."""
    from axe_playwright_python.sync_playwright import Axe

    sizes: list[tuple[str, int]] = []

    def on_response(response):
        try:
            body = response.body()
        except Exception:  # redirects have no body
            return
        sizes.append((response.url, len(body)))

    page.on("response", on_response)
    response = page.goto(url)
    page.wait_for_load_state("load")
    page.remove_listener("response", on_response)
    assert response is not None and response.status == 200, (url, response and response.status)
    weight = sum(size for address, size in sizes if "/logo" not in address)
    assert weight <= MAX_BYTES, (url, weight, sorted(sizes, key=lambda s: -s[1])[:5])

    results = Axe().run(page)
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert bad == [], (url, bad)

    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        culprits = page.evaluate(
            "Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 321 && !e.closest('.table-wrap'))"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
        )
        raise AssertionError((url, overflow, culprits))
    page.set_viewport_size({"width": 390, "height": 844})

    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const el = document.activeElement; const s = getComputedStyle(el);"
        " return [el.tagName, s.outlineStyle, s.outlineWidth]; })()"
    )
    assert focused[0] in ("A", "BUTTON", "INPUT", "SELECT", "TEXTAREA"), (url, focused)
    assert focused[1] != "none" and focused[2] != "0px", (url, focused)


@pytest.mark.e2e
@pytest.mark.parametrize("slug", BRANDS)
def test_workspace_pages_pass_the_quality_bars(slug, workspace, live_server_port, browser):
    data = workspace[slug]
    base = live_url(data["host"], live_server_port, "").rstrip("/")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        _login(page, base, data["admin_email"])
        for path in (
            "/coordination/",
            "/coordination/people/",
            "/coordination/people/new/",
            f"/coordination/people/{data['person']}/",
            f"/coordination/people/{data['person']}/match/",
            "/coordination/volunteers/",
            "/coordination/proposals/",
            "/coordination/vetting/",
            "/coordination/outings/",
            f"/coordination/outings/{data['outing']}/",
            "/coordination/impact/",
            "/coordination/members/",
        ):
            _audit(page, base + path)
        # the concern is on the dashboard, and the candidate on the matching screen
        page.goto(base + "/coordination/")
        assert page.get_by_text("Fatiguée").is_visible()
        page.goto(base + f"/coordination/people/{data['person']}/match/")
        assert page.get_by_label("Valentin Bénévole", exact=False).count() == 1
        # an invalid registration shows its errors next to the fields
        page.goto(base + "/coordination/people/new/")
        page.locator("form.stack button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("#id_first_name-errors").is_visible()
        _audit_current(page)
    finally:
        context.close()
        from django.db import connections

        connections.close_all()


def _audit_current(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        (v["id"], v["impact"])
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert bad == [], bad


@pytest.mark.e2e
def test_operator_console_passes_the_quality_bars(workspace, live_server_port, browser):
    from django.conf import settings

    base = f"http://{settings.BASE_DOMAIN}:{live_server_port}"
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        _audit(page, base + "/")  # the sign-in invitation
        _login(page, base, "e2e-operator@entraide.example")
        _audit(page, base + "/console/brands/")
        _audit(page, base + "/console/brands/new/")
        page.goto(base + "/console/brands/")
        page.get_by_role("link", name="Alpha Entraide").click()
        page.wait_for_load_state()
        _audit_current(page)
        # field-by-field errors from the provisioning form
        page.goto(base + "/console/brands/new/")
        page.fill("#id_slug", "Pas Valide!")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("#id_slug-errors").is_visible()
        _audit_current(page)
        # a provisioning job's page follows the job until it is over (the static poller swaps the
        # status fragment in; the job's state is set here as the worker would set it)
        from tenants import console_jobs
        from tenants.models import Association

        alpha = Association.objects.get(slug="alpha")
        job_id = "0b0e7c52-3f0a-4f5e-9d43-6f7b2f1c9a10"
        console_jobs._set(
            job_id,
            state=console_jobs.QUEUED,
            slug="alpha",
            name="Alpha Entraide",
            errors={},
            brand=None,
        )
        response = page.goto(base + f"/console/jobs/{job_id}/")
        assert (
            response.status == 200
            and page.locator('#provisioning-job[data-state="queued"]').is_visible()
        )
        _audit_current(page)
        console_jobs._set(job_id, state=console_jobs.RUNNING)
        page.wait_for_selector('#provisioning-job[data-state="running"]', timeout=10000)
        console_jobs._set(job_id, state=console_jobs.DONE, brand=str(alpha.public_id))
        page.wait_for_selector('#provisioning-job[data-state="done"]', timeout=10000)
        assert page.get_by_role("link", name="Open the brand's page").is_visible()
        _audit_current(page)
    finally:
        context.close()
        from django.core.cache import cache
        from django.db import connections

        cache.delete("console:provision:0b0e7c52-3f0a-4f5e-9d43-6f7b2f1c9a10")
        connections.close_all()
