"""Support for the volunteer app's browser tests: a live server on the test database, the system
Chromium through Playwright, an axe audit helper and committed per-test data.

A browser needs committed data, so these tests do not use the per-test transaction: they run
inside `django_db_blocker.unblock()`, create their own users and people in the session brands
and delete exactly what they created afterwards (tests/conftest.py explains why a flush would
be fatal to the rest of the suite)."""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).parent / "artifacts"
PASSWORD = "correct horse battery staple"
PHONE_VIEWPORT = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    return path if path and os.path.exists(path) else None


def require_browser():
    """Skip without a browser, unless CI demands one (ENTRAIDE_REQUIRE_BROWSER=1): then fail."""
    path = chromium_path()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        path = None
    if path is None:
        if os.environ.get("ENTRAIDE_REQUIRE_BROWSER") == "1":
            pytest.fail("ENTRAIDE_REQUIRE_BROWSER=1 but no Chromium/Playwright is available")
        pytest.skip("no system Chromium (set CHROMIUM_PATH)")
    return path


@pytest.fixture(scope="module")
def wa_server(django_db_setup, django_db_blocker):
    """A threaded WSGI server running the project on 127.0.0.1 (any port); brand hosts are
    <slug>.localhost:<port>. DB access stays unblocked while it runs (pytest-django's blocker is
    process-wide, and the server's threads need the database)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    from django.db import connection

    # pytest-django only creates the test database when a collected test asks for `db`
    # (test_journey.py has one); never let a browser test run against a real database.
    assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=True)
        server.set_app(WSGIHandler())
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server.server_address[1]
        finally:
            server.shutdown()
            server.server_close()
            # Request threads may still hold a connection: end them so the test database can
            # be dropped (only this process's sessions use it).
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture(scope="module")
def wa_browser(wa_server):
    path = require_browser()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between browser steps are still plain synchronous calls (the documented escape hatch).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=path,
            args=["--host-resolver-rules=MAP *.localhost 127.0.0.1", "--no-sandbox"],
        )
        try:
            yield browser
        finally:
            browser.close()
            if previous is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def brand_url(brand, port: int, path: str = "/") -> str:
    return f"http://{brand.get_primary_domain().domain}:{port}{path}"


def audit(page, *, label: str, seen: list | None = None) -> None:
    """axe-core on the current page: no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = [(v["id"], v["impact"], [n.get("target") for n in v.get("nodes", [])][:3]) for v in bad]
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
        coord = factories.coordinator(email=f"coord-{tag}@example.org", full_name=f"Claire Coord {tag}")
        created.user_ids.append(coord.pk)
        coord.set_password(PASSWORD)
        coord.save(update_fields=["password"])
        vol = factories.volunteer(by=coord, email=f"vol-{tag}@example.org", full_name=f"Victor Vol {tag}",
                                  password=PASSWORD)
        created.user_ids.append(vol.pk)
    return created, coord, vol
