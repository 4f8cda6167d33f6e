"""The Caddyfile of deploy/compose.yaml parses and validates with a real Caddy (Debian's; .ci/run
installs it), under the production example environment."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.deploy.conftest import DEPLOY, read_env_file

CADDYFILE = DEPLOY / "caddy" / "Caddyfile"
DNS_CHALLENGE = "\ttls {\n\t\tdns {$CADDY_DNS_PROVIDER:cloudflare} {env.CADDY_DNS_API_TOKEN}\n\t}\n"


@pytest.fixture
def caddy():
    binary = shutil.which("caddy")
    if binary is None:
        pytest.skip("caddy is not installed (.ci/run installs Debian's)")
    return binary


def test_the_caddyfile_is_valid_under_the_production_example(caddy, tmp_path):
    text = CADDYFILE.read_text()
    # The wildcard certificate of *.BASE_DOMAIN needs the ACME DNS challenge, whose provider module
    # deploy/caddy/Dockerfile builds in; a stock Caddy has none, so that one directive is swapped
    # for an internal certificate and everything else is validated as it is.
    assert DNS_CHALLENGE in text
    config = tmp_path / "Caddyfile"
    config.write_text(text.replace(DNS_CHALLENGE, "\ttls internal\n"))
    env = {
        **read_env_file(),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
    }
    result = subprocess.run(
        [caddy, "validate", "--config", str(config), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Valid configuration" in result.stdout + result.stderr


def test_a_broken_caddyfile_is_refused(caddy, tmp_path):
    """The check above is not vacuous."""
    config = tmp_path / "Caddyfile"
    config.write_text(CADDYFILE.read_text().replace("reverse_proxy web:8000 {", "reverse_proxy {{"))
    result = subprocess.run(
        [caddy, "validate", "--config", str(config), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        env={**read_env_file(), "PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)},
        timeout=60,
    )
    assert result.returncode != 0


def test_the_caddyfile_is_formatted(caddy):
    result = subprocess.run([caddy, "fmt", str(CADDYFILE)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == CADDYFILE.read_text()
