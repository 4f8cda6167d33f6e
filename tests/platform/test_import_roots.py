"""`platform/` is an import root, not a package: the standard library's `platform` must win."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_stdlib_platform_still_works_inside_the_project():
    import platform

    assert platform.system()  # e.g. "Linux"
    assert hasattr(platform, "python_version")
    assert not (REPO / "platform" / "__init__.py").exists()


def test_stdlib_platform_works_in_a_fresh_interpreter_from_the_repo_root():
    code = (
        "import sys; sys.path[:0] = ['platform', '.']; "
        "import platform, uuid, entraide.settings; print(platform.system())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "DEBUG": "1",
            "ENTRAIDE_QUIET_EMBEDDED": "1",
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
            "REDIS_URL": "redis://127.0.0.1:1/0",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == platform_system()


def platform_system():
    import platform

    return platform.system()


def test_console_script_behaves_like_manage_py():
    entraide = Path(sys.executable).parent / "entraide"
    assert entraide.exists()
    result = subprocess.run(
        [str(entraide), "help", "provision_brand"],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "DEBUG": "1",
            "ENTRAIDE_QUIET_EMBEDDED": "1",
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
            "REDIS_URL": "redis://127.0.0.1:1/0",
        },
    )
    assert result.returncode == 0, result.stderr
    assert "--admin-email" in result.stdout
