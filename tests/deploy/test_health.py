"""/healthz, /readyz and the TLS domain check: answered on any host, before tenant resolution."""

import json

import pytest
from django.conf import settings
from django.test import Client, override_settings

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


def closed_redis_settings():
    caches = {"default": {**settings.CACHES["default"], "LOCATION": CLOSED_PORT_REDIS}}
    return override_settings(CACHES=caches, CELERY_BROKER_URL=CLOSED_PORT_REDIS)


@pytest.mark.parametrize("host", ["10.1.2.3", "web:8000", "unknown.example.net", "alpha.localhost"])
def test_healthz_answers_ok_on_any_host(db, host):
    response = Client(HTTP_HOST=host).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("host", ["10.1.2.3", "web:8000", "alpha.localhost"])
def test_readyz_is_ready_when_database_redis_and_template_answer(db, host):
    response = Client(HTTP_HOST=host).get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "redis": "ok", "template_schema": "ok"},
        "reasons": [],
    }


def test_readyz_answers_503_with_a_json_reason_while_redis_is_unreachable(db):
    with closed_redis_settings():
        response = Client(HTTP_HOST="10.1.2.3").get("/readyz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "failing", "template_schema": "ok"},
        "reasons": ["redis unreachable (ConnectionError)"],
    }
    # Liveness is not readiness: the process itself is still up.
    with closed_redis_settings():
        assert Client(HTTP_HOST="10.1.2.3").get("/healthz").status_code == 200


def test_readyz_answers_503_when_the_template_schema_is_behind_the_code(db):
    from django.db import connection

    from tenants import schemas

    template = schemas.template_schema()
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute(
            f"DELETE FROM {schemas.quote(template)}.django_migrations "
            "WHERE id = (SELECT max(id) FROM " + schemas.quote(template) + ".django_migrations)"
        )
    response = Client(HTTP_HOST="10.1.2.3").get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "redis": "ok",
        "template_schema": "failing",
    }
    assert response.json()["reasons"] == [
        f"template schema '{template}' is missing or behind the code: run migrate_schemas"
    ]


def test_probes_are_not_brand_pages_and_other_paths_still_need_a_known_host(db):
    # An unknown host gets the tenant middleware's 404 for anything but the probes.
    assert Client(HTTP_HOST="10.1.2.3").get("/").status_code == 404
    assert Client(HTTP_HOST="10.1.2.3").get("/healthz/").status_code == 404


def test_domain_check_allows_only_domains_that_a_brand_answers_on(brand_a, brand_b):
    from tenants.models import Association

    client = Client(HTTP_HOST="web:8000")
    check = "/internal/domain-check"
    assert client.get(check, {"domain": "alpha.localhost"}).status_code == 200
    assert client.get(check, {"domain": "ALPHA.localhost."}).status_code == 200
    assert client.get(check, {"domain": settings.BASE_DOMAIN}).status_code == 200
    assert client.get(check, {"domain": "evil.example.net"}).status_code == 404
    assert client.get(check, {"domain": ""}).status_code == 404
    assert client.get(check).status_code == 404
    # A suspended brand still shows its "unavailable" page over HTTPS; an archived one is gone.
    Association.objects.filter(pk=brand_b.pk).update(status=Association.Status.SUSPENDED)
    assert client.get(check, {"domain": "beta.localhost"}).status_code == 200
    Association.objects.filter(pk=brand_b.pk).update(status=Association.Status.ARCHIVED)
    assert client.get(check, {"domain": "beta.localhost"}).status_code == 404
    assert client.get(check, {"domain": "alpha.localhost"}).status_code == 200


# --- `entraide readyz`: the same checks for worker and beat containers ----------------------------
def _test_database_url():
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _readyz_cli(redis_url):
    import os
    import subprocess

    from tests.deploy.conftest import ENTRAIDE, REPO

    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "1",
        "ENTRAIDE_QUIET_EMBEDDED": "1",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": redis_url,
    }
    return subprocess.run(
        [str(ENTRAIDE), "readyz"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


def test_readyz_command_exits_0_when_ready_and_1_with_the_reason_when_redis_is_down(db):
    from django.db import connection

    if not connection.settings_dict.get("HOST") or connection.settings_dict["HOST"].startswith("/"):
        pytest.skip("needs a TCP DATABASE_URL")  # the embedded server listens on a unix socket
    ready = _readyz_cli(settings.REDIS_URL)
    assert ready.returncode == 0, ready.stderr
    assert json.loads(ready.stdout)["status"] == "ready"
    down = _readyz_cli(CLOSED_PORT_REDIS)
    assert down.returncode == 1
    assert json.loads(down.stdout)["checks"] == {
        "database": "ok",
        "redis": "failing",
        "template_schema": "ok",
    }
    assert "not ready: redis unreachable (ConnectionError)" in down.stderr
