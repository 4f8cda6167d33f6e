"""Production settings: `check --deploy` is clean under deploy/production.env.example, the CSP is
sent, logs are JSON with the brand's schema, Sentry is optional."""

import gzip
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.deploy.conftest import ENTRAIDE, ENV_EXAMPLE, REPO, read_env_file

SETTINGS_SOURCES = [
    REPO / "platform/entraide/settings.py",
    REPO / "platform/entraide/production.py",
]
TEST_ONLY_VARIABLES = {"TEST_DATABASE_NAME", "ENTRAIDE_TESTING"}


APP_ROOTS = [REPO / "platform", REPO / "tenants", REPO / "themes", REPO / "worker"]
# Read from the environment but not for production: local development and tests only.
DEVELOPMENT_ONLY_VARIABLES = {"ENTRAIDE_DATA_DIR", "DJANGO_SETTINGS_MODULE"}


def variables_the_code_reads() -> set[str]:
    read = set()
    for source in SETTINGS_SOURCES:
        read |= set(
            re.findall(r'env\.(?:str|bool|int|list|float)\(\s*"([A-Z0-9_]+)"', source.read_text())
        )
    for root in APP_ROOTS:
        for source in root.rglob("*.py"):
            if "migrations" in source.parts:
                continue
            read |= set(
                re.findall(r'os\.environ(?:\.get)?[(\[]\s*"([A-Z0-9_]+)"', source.read_text())
            )
    from worker import conf  # tunables: a Django setting, else an environment variable

    read |= set(conf._DEFAULTS)
    return read - TEST_ONLY_VARIABLES - DEVELOPMENT_ONLY_VARIABLES


def test_the_example_environment_lists_every_variable_the_code_reads():
    documented = set(read_env_file())
    missing = sorted(variables_the_code_reads() - documented)
    assert missing == [], f"add these to {ENV_EXAMPLE.relative_to(REPO)}: {missing}"
    assert {"EMAIL_BACKEND", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SENTRY_DSN"} <= documented


def test_security_checks_of_check_deploy_report_no_issue_under_the_production_example(
    production_env,
):
    result = production_env(
        [str(ENTRAIDE), "check", "--deploy", "--tag", "security", "--fail-level", "WARNING"]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_reports_no_issue_under_the_production_example(production_env):
    """The acceptance criterion: every deploy check, including drf-spectacular's, which builds
    the brand API's OpenAPI schema and reports each view it cannot describe (drf_spectacular.W001:
    fix those in the API module it names)."""
    result = production_env([str(ENTRAIDE), "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_does_flag_a_weakened_configuration(production_env):
    """The clean result above is not vacuous: turning HTTPS off is reported."""
    result = production_env(
        [str(ENTRAIDE), "check", "--deploy", "--fail-level", "WARNING"],
        extra={"SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0"},
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout
    assert "security.W004" in result.stderr + result.stdout


PRINT_SECURITY = """
from django.conf import settings as s
print(json.dumps({
    "proxy": s.SECURE_PROXY_SSL_HEADER, "redirect": s.SECURE_SSL_REDIRECT,
    "hsts": s.SECURE_HSTS_SECONDS, "cookie_domain": s.SESSION_COOKIE_DOMAIN,
    "csrf_domain": s.CSRF_COOKIE_DOMAIN, "secure": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE],
    "csp_mw": s.MIDDLEWARE.index("csp.middleware.CSPMiddleware") - s.MIDDLEWARE.index("django.middleware.security.SecurityMiddleware"),
    "first_mw": s.MIDDLEWARE[0],
    "script_src": s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"],
}))
"""


def test_production_settings_are_https_only_with_host_only_cookies_and_a_csp(production_env):
    result = production_env(
        [str(ENTRAIDE), "shell", "--no-imports", "-c", "import json\n" + PRINT_SECURITY]
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
        "redirect": True,
        "hsts": 31536000,
        "cookie_domain": None,
        "csrf_domain": None,
        "secure": [True, True],
        "csp_mw": 1,
        "first_mw": "entraide.health.HealthCheckMiddleware",
        "script_src": ["'self'"],
    }


LOG_LINES = """
import logging
from django_tenants.utils import schema_context
log = logging.getLogger("entraide.deploytest")
log.warning("outside any brand")
with schema_context("brand_logdrill"):
    log.warning("inside a brand")
"""


def test_logs_are_json_with_the_brand_schema_on_lines_written_inside_a_brand(production_env):
    result = production_env([str(ENTRAIDE), "shell", "--no-imports", "-c", LOG_LINES])
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    ours = [line for line in lines if line["logger"] == "entraide.deploytest"]
    assert [(line["message"], line["level"], line.get("schema")) for line in ours] == [
        ("outside any brand", "WARNING", None),
        ("inside a brand", "WARNING", "brand_logdrill"),
    ]
    assert all("time" in line for line in ours)


class _SentrySink(BaseHTTPRequestHandler):
    bodies: list[bytes] = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        type(self).bodies.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_sink():
    _SentrySink.bodies = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SentrySink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


SENTRY_EVENT = """
import sentry_sdk
from django_tenants.utils import schema_context
with schema_context("brand_sentrydrill"):
    sentry_sdk.capture_message("sentry drill")
sentry_sdk.flush(10)
"""


def test_sentry_is_off_without_a_dsn_and_reports_with_the_brand_schema_when_set(
    production_env, sentry_sink
):
    without = production_env(
        [
            str(ENTRAIDE),
            "shell",
            "--no-imports",
            "-c",
            "import sys; print('sentry_sdk' in sys.modules)",
        ]
    )
    assert without.returncode == 0, without.stderr
    assert without.stdout.strip() == "False"

    dsn = f"http://publickey@127.0.0.1:{sentry_sink.server_address[1]}/42"
    result = production_env(
        [str(ENTRAIDE), "shell", "--no-imports", "-c", SENTRY_EVENT],
        extra={"SENTRY_DSN": dsn, "SENTRY_TRACES_SAMPLE_RATE": "0"},
    )
    assert result.returncode == 0, result.stderr
    events = [
        json.loads(part)
        for body in _SentrySink.bodies
        for part in body.split(b"\n")
        if part.startswith(b"{") and b'"sentry drill"' in part
    ]
    assert len(events) == 1
    assert events[0]["message"] == "sentry drill"
    assert events[0]["tags"]["schema"] == "brand_sentrydrill"
    assert events[0]["environment"] == "production"
