"""Helpers for the deployment tests: the production example environment, in a subprocess."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
ENV_EXAMPLE = DEPLOY / "production.env.example"
ENTRAIDE = REPO / ".venv" / "bin" / "entraide"


def read_env_file(path: Path = ENV_EXAMPLE) -> dict[str, str]:
    """KEY=VALUE lines, as the shell (`set -a; . file`) and compose read them."""
    result = subprocess.run(
        ["bash", "-c", f"set -a; . {shlex.quote(str(path))}; set +a; env -0"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    pairs = (item.split("=", 1) for item in result.stdout.split("\0") if "=" in item)
    names = {
        line.split("=", 1)[0].strip()
        for line in path.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#") and "=" in line
    }
    return {k: v for k, v in pairs if k in names}


def run_in_production_env(args: list[str], *, extra: dict | None = None, timeout=120):
    """Run a command with exactly the production example's variables, plus this test run's
    DATABASE_URL and REDIS_URL (the example's point at hosts that only exist in compose)."""
    env = {
        "PATH": f"{REPO / '.venv' / 'bin'}:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/tmp"),
        **read_env_file(),
        "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        **(extra or {}),
    }
    return subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def production_env():
    return run_in_production_env
