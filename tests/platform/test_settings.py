"""Settings come from the environment and default to production-safe values."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BASE_ENV = {
    "PATH": "/usr/bin:/bin",
    "ENTRAIDE_QUIET_EMBEDDED": "1",
    "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    "REDIS_URL": "redis://127.0.0.1:1/0",
}
PRINT_SETTINGS = (
    "import sys; sys.path[:0] = ['platform', '.']; "
    "from entraide import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_DOMAIN)"
)


def run(env):
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**BASE_ENV, **env},
    )


def test_production_mode_without_secret_key_refuses_to_start_with_a_clear_message():
    result = run({})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "refuses to start" in result.stderr


def test_production_mode_with_a_secret_key_starts_with_debug_off_and_secure_cookies():
    result = run({"SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "None"]


def test_debug_must_be_asked_for():
    result = run({"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "True"


def test_env_example_documents_every_variable():
    text = (REPO / ".env.example").read_text()
    for name in (
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "BASE_DOMAIN",
        "DEBUG",
        "ALLOWED_HOSTS",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "DEFAULT_FROM_EMAIL",
    ):
        assert f"{name}=" in text, name
