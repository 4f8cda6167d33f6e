"""Support for the volunteer app's browser tests: a live server on the test database, the system
Chromium through Playwright, an axe audit helper and committed per-test data.

A browser needs committed data, so these tests do not use the per-test transaction: they run
inside `django_db_blocker.unblock()`, create their own users and people in the session brands
and delete exactly what they created afterwards (tests/conftest.py explains why a flush would
be fatal to the rest of the suite)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).parent / "artifacts"
PASSWORD = "correct horse battery staple"
PHONE_VIEWPORT = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def demo_themed_brands(django_db_setup, django_db_blocker):
    """The two session brands dressed as the two demo brands of `make run` (their theme: name,
    logo, colours, wording, flags), committed for the browser; the previous themes are restored
    afterwards. Yields {slug: demo spec}."""
    from django.utils import timezone
    from entraide.demo import DEMO_BRANDS

    from tenants.models import Association
    from themes.demo import _logo_input
    from themes.models import BrandTheme
    from themes.services import apply_theme_input

    fields = ("tokens", "logo", "logo_type", "favicon", "version")
    specs = dict(zip(("alpha", "beta"), DEMO_BRANDS[:2], strict=True))
    with django_db_blocker.unblock():
        brands = {slug: Association.objects.get(slug=slug) for slug in specs}
        saved = {
            slug: BrandTheme.objects.filter(association=b).values(*fields).first()
            for slug, b in brands.items()
        }
        try:
            for slug, brand in brands.items():
                data = dict(specs[slug]["theme"])
                if "logo" in data:
                    data["logo"] = _logo_input(data["logo"])
                apply_theme_input(association=brand, data=data, replace=True)
            yield specs
        finally:
            for slug, brand in brands.items():
                if saved[slug] is None:
                    BrandTheme.objects.filter(association=brand).delete()
                else:
                    BrandTheme.objects.filter(association=brand).update(**saved[slug])
                Association.objects.filter(pk=brand.pk).update(updated_at=timezone.now())


def brand_url(brand, port: int, path: str = "/") -> str:
    return f"http://{brand.get_primary_domain().domain}:{port}{path}"


def audit(page, *, label: str, seen: list | None = None) -> None:
    """axe-core on the current page: no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = [
        (v["id"], v["impact"], [n.get("target") for n in v.get("nodes", [])][:3]) for v in bad
    ]
    assert not bad, f"axe violations on {label} ({page.url}): {details}"
    if seen is not None:
        seen.append(page.url)


def login(page, brand, port, email, password=PASSWORD):
    page.goto(brand_url(brand, port, "/accounts/login/"))
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    page.wait_for_load_state()


@dataclass
class Created:
    """What a test created in one brand, to delete afterwards."""

    brand: object
    user_ids: list = field(default_factory=list)

    def cleanup(self):
        from django_tenants.utils import tenant_context

        with tenant_context(self.brand):
            from accounts.models import User
            from people.models import Person, PersonAccessLog

            people = Person.objects.filter(created_by_id__in=self.user_ids)
            PersonAccessLog.objects.filter(person__in=people).delete()
            PersonAccessLog.objects.filter(user_id__in=self.user_ids).delete()
            people.delete()
            User.objects.filter(pk__in=self.user_ids).delete()


def make_members(brand, *, tag: str | None = None):
    """A coordinator and a validated volunteer (with a location near the people registered in the
    tests) in `brand`, committed. Returns (created, coordinator, volunteer)."""
    from django_tenants.utils import tenant_context

    from tests.webapp import factories

    tag = tag or uuid.uuid4().hex[:8]
    created = Created(brand=brand)
    with tenant_context(brand):
        coord = factories.coordinator(
            email=f"coord-{tag}@example.org", full_name=f"Claire Coord {tag}"
        )
        created.user_ids.append(coord.pk)
        coord.set_password(PASSWORD)
        coord.save(update_fields=["password"])
        vol = factories.volunteer(
            by=coord,
            email=f"vol-{tag}@example.org",
            full_name=f"Victor Vol {tag}",
            password=PASSWORD,
        )
        created.user_ids.append(vol.pk)
    return created, coord, vol
