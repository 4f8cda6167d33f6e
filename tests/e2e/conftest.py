"""Real-browser fixtures: the SYSTEM Chromium driven by Playwright (never `playwright install`),
and a live server serving the brand hosts (http://<slug>.localhost:<port>/).

Browsers resolve *.localhost to the loopback address; the host-resolver rule makes that explicit
for Chromium builds that do not. The live server is a threaded WSGI server running in this
process on the test database: it only sees COMMITTED data, so browser tests commit what they need
inside `django_db_blocker.unblock()` and delete or restore exactly that afterwards (a flush would
delete the session brands; see tests/conftest.py).

Without Chromium the browser tests are skipped, unless ENTRAIDE_REQUIRE_BROWSER=1 (CI, .ci/run):
then they fail.
"""

from __future__ import annotations

import os
import threading

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--host-resolver-rules=MAP *.localhost 127.0.0.1",
]


def system_chromium() -> str | None:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    return path if path and os.path.exists(path) and os.access(path, os.X_OK) else None


def _browser_missing(reason: str):
    if os.environ.get("ENTRAIDE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"ENTRAIDE_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = system_chromium()
    if path is None:
        _browser_missing(
            f"no system Chromium at {os.environ.get('CHROMIUM_PATH', '/usr/bin/chromium')} (set CHROMIUM_PATH)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _browser_missing("the playwright package is not installed")
    return path


@pytest.fixture(scope="module")
def browser(chromium_executable):
    """A headless system Chromium for the module."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; ORM calls made by the tests between
    # browser steps are plain synchronous calls (Django's documented escape hatch).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    from django.db import connections

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()
    # ORM calls made while Playwright's loop runs get their own connection (asgiref's Local is
    # per context there): close it, or the test database cannot be dropped at the end.
    connections.close_all()


@pytest.fixture(scope="module")
def live_server_port(django_db_setup, django_db_blocker):
    """A threaded WSGI server on 127.0.0.1 (a free port) running the project on the test
    database. Database access stays unblocked while it runs: pytest-django's blocker is
    process-wide and the server's threads need the database."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.db import connection

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    # Never let a browser test run against a real database.
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


def live_url(host_or_brand, port: int, path: str = "/") -> str:
    """URL of `path` on a brand host (a host name, or a brand: its primary domain), served by
    the live server. Prefer passing the host, read before the browser starts."""
    host = (
        host_or_brand
        if isinstance(host_or_brand, str)
        else host_or_brand.get_primary_domain().domain
    )
    return f"http://{host}:{port}{path}"
