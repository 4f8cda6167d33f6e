"""The web command of the image, for real: gunicorn with deploy/gunicorn.conf.py under the
production example environment, probed over HTTP like a load balancer and a browser would."""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.deploy.conftest import REPO, read_env_file

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, host, **headers):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": host, **headers}
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def gunicorn(brand_a, tmp_path):
    import os

    from django.db import connection

    db = connection.settings_dict
    port = free_port()
    env = {
        "PATH": f"{REPO / '.venv' / 'bin'}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        **read_env_file(),
        "DATABASE_URL": f"postgres://{db['USER']}{':' + db['PASSWORD'] if db.get('PASSWORD') else ''}"
        f"@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "PYTHONPATH": f"{REPO / 'platform'}:{REPO}",
    }
    if not db.get("HOST") or db["HOST"].startswith("/"):
        pytest.skip("needs a TCP DATABASE_URL")
    # As the image's build stage does: hashed static files for the manifest storage.
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collected.returncode == 0, collected.stderr
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "entraide.wsgi:application",
            "--config",
            "deploy/gunicorn.conf.py",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(150):
            try:
                if get(port, "/healthz", "10.0.0.1")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer /healthz")
        yield port, brand_a.get_primary_domain().domain, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_web_command_serves_probes_https_headers_and_json_logs(gunicorn):
    port, host, process = gunicorn
    status, _, body = get(port, "/readyz", "10.0.0.1")
    assert (status, json.loads(body)["status"]) == (200, "ready")

    # Plain HTTP from the outside is redirected to HTTPS...
    status, headers, _ = get(port, "/accounts/login/", host)
    assert status == 301
    assert headers["Location"] == f"https://{host}/accounts/login/"
    # ...and behind the TLS proxy the page comes with HSTS, a CSP and secure cookies.
    status, headers, _ = get(port, "/accounts/login/", host, **{"X-Forwarded-Proto": "https"})
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "; Secure" in headers["Set-Cookie"] and "Domain=" not in headers["Set-Cookie"]

    process.terminate()
    out, err = process.communicate(timeout=30)
    access = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert [entry["logger"] for entry in access] == ["gunicorn.access"] * len(access)
    assert any('"GET /readyz HTTP/1.1" 200' in entry["message"] for entry in access)
    not_json = []
    for line in err.splitlines():
        try:
            json.loads(line)
        except ValueError:
            not_json.append(line)
    assert not_json == []  # every line on stderr is JSON too
