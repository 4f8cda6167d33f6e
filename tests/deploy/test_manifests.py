"""Static validation of deploy/: the Kubernetes manifests against the Kubernetes schemas (offline,
kubernetes-validate ships them), the compose file, the Dockerfile and the Caddyfile.
Docker is not available where the tests run, so the image itself is not built here."""

import re

import kubernetes_validate
import pytest
import yaml

from tests.deploy.conftest import DEPLOY

K8S = DEPLOY / "k8s"
KUBERNETES_VERSION = "1.30.0"  # oldest version we support (PodLifecycleSleepAction: 1.30)
APP_IMAGE = "entraide"


def k8s_documents():
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            docs.append((path.name, doc))
    return docs


def by_kind(kind):
    return {doc["metadata"]["name"]: doc for _, doc in k8s_documents() if doc["kind"] == kind}


def pod_spec(workload):
    return workload["spec"]["template"]["spec"]


@pytest.mark.parametrize("name,doc", k8s_documents(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_kubernetes_manifest_validates_strictly_offline(name, doc):
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_the_validator_does_reject_a_wrong_manifest():
    bad = yaml.safe_load((K8S / "web-deployment.yaml").read_text())
    bad["spec"]["replicass"] = 2
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, KUBERNETES_VERSION, strict=True)


def test_kustomization_lists_every_manifest_and_nothing_else():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    files = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert sorted(kustomization["resources"]) == sorted(files)
    assert kustomization["images"][0]["name"] == APP_IMAGE


def test_web_worker_beat_and_migration_all_run_the_one_image_with_different_commands():
    workloads = {**by_kind("Deployment"), **by_kind("Job")}
    assert set(workloads) == {
        "entraide-web",
        "entraide-worker",
        "entraide-beat",
        "entraide-migrate",
    }
    commands = {}
    for name, workload in workloads.items():
        (container,) = pod_spec(workload)["containers"]
        assert container["image"] == APP_IMAGE
        commands[name] = " ".join(container["command"])
        env_from = [next(iter(source.values()))["name"] for source in container["envFrom"]]
        assert env_from == ["entraide-config", "entraide-secrets"]
        assert container["resources"]["requests"]["cpu"]
        assert container["resources"]["requests"]["memory"]
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert pod_spec(workload)["securityContext"]["runAsNonRoot"] is True
    assert commands["entraide-web"].startswith("gunicorn entraide.wsgi:application")
    assert "celery --quiet -A worker.celery_app worker" in commands["entraide-worker"]
    assert commands["entraide-beat"].startswith(
        "celery --quiet -A worker.celery_app beat --scheduler redbeat.RedBeatScheduler"
    )
    assert (
        commands["entraide-migrate"]
        == "python manage.py migrate_schemas --noinput --executor=multiprocessing"
    )
    assert len(set(commands.values())) == 4


def test_web_probes_use_healthz_for_liveness_and_readyz_for_readiness():
    (web,) = pod_spec(by_kind("Deployment")["entraide-web"])["containers"]
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    strategy = by_kind("Deployment")["entraide-web"]["spec"]["strategy"]
    assert strategy["rollingUpdate"]["maxUnavailable"] == 0


def test_workers_have_probes_and_an_autoscaler_and_beat_is_exactly_one_scheduler():
    deployments = by_kind("Deployment")
    for name in ("entraide-worker", "entraide-beat"):
        (container,) = pod_spec(deployments[name])["containers"]
        assert container["readinessProbe"]["exec"]["command"] == ["python", "manage.py", "readyz"]
        assert "livenessProbe" in container
    hpa = by_kind("HorizontalPodAutoscaler")["entraide-worker"]
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "entraide-worker",
    }
    assert hpa["spec"]["minReplicas"] >= 2
    beat = deployments["entraide-beat"]["spec"]
    assert beat["replicas"] == 1
    assert beat["strategy"] == {"type": "Recreate"}
    assert not [
        h
        for h in by_kind("HorizontalPodAutoscaler").values()
        if h["spec"]["scaleTargetRef"]["name"] == "entraide-beat"
    ]


def test_disruption_budgets_select_the_web_and_worker_pods():
    budgets = by_kind("PodDisruptionBudget")
    deployments = by_kind("Deployment")
    for name in ("entraide-web", "entraide-worker"):
        selector = budgets[name]["spec"]["selector"]["matchLabels"]
        assert selector == deployments[name]["spec"]["selector"]["matchLabels"]
        assert (
            selector.items() <= deployments[name]["spec"]["template"]["metadata"]["labels"].items()
        )


def test_ingress_serves_the_base_domain_and_a_wildcard_through_the_web_service():
    (ingress,) = by_kind("Ingress").values()
    hosts = [rule["host"] for rule in ingress["spec"]["rules"]]
    assert hosts == ["entraide.example.org", "*.entraide.example.org"]
    assert ingress["spec"]["tls"][0]["hosts"] == hosts
    service = by_kind("Service")["entraide-web"]
    for rule in ingress["spec"]["rules"]:
        assert rule["http"]["paths"][0]["backend"]["service"]["name"] == "entraide-web"
    assert (
        service["spec"]["selector"]
        == by_kind("Deployment")["entraide-web"]["spec"]["selector"]["matchLabels"]
    )


def test_configmap_and_secret_hold_the_production_example_variables():
    from tests.deploy.conftest import read_env_file

    config = by_kind("ConfigMap")["entraide-config"]["data"]
    secret = by_kind("Secret")["entraide-secrets"]["stringData"]
    assert not set(config) & set(secret)
    compose_only = {
        "POSTGRES_PASSWORD",
        "ENTRAIDE_IMAGE",
        "ACME_EMAIL",
        "CADDY_DNS_PROVIDER",
        "CADDY_DNS_API_TOKEN",
        "SENTRY_RELEASE",
    }
    missing = set(read_env_file()) - compose_only - set(config) - set(secret)
    assert missing == set()
    assert config["DEBUG"] == "0"


# --- compose -------------------------------------------------------------------------------------
COMPOSE_SERVICES = ["postgres", "redis", "migrate", "web", "worker", "beat", "caddy"]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_parses_and_names_every_service(compose):
    assert list(compose["services"]) == COMPOSE_SERVICES
    assert set(compose["volumes"]) == {
        "pgdata",
        "redisdata",
        "media",
        "brand_templates",
        "caddy_data",
        "caddy_config",
    }


def test_compose_uses_postgres_15_or_later_and_redis(compose):
    image = compose["services"]["postgres"]["image"]
    assert re.fullmatch(r"postgres:(\d+)", image) and int(image.split(":")[1]) >= 15
    assert compose["services"]["redis"]["image"].startswith("redis:")


def test_compose_app_services_share_one_image_and_wait_for_the_migration(compose):
    services = compose["services"]
    app = ["migrate", "web", "worker", "beat"]
    assert {services[name]["image"] for name in app} == {"${ENTRAIDE_IMAGE:-entraide:latest}"}
    assert {services[name]["build"]["dockerfile"] for name in app} == {"deploy/Dockerfile"}
    assert services["migrate"]["command"] == [
        "python",
        "manage.py",
        "migrate_schemas",
        "--noinput",
        "--executor=multiprocessing",
    ]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert services[name]["depends_on"]["postgres"] == {"condition": "service_healthy"}
    assert services["beat"]["command"][:7] == [
        "celery",
        "--quiet",
        "-A",
        "worker.celery_app",
        "beat",
        "--scheduler",
        "redbeat.RedBeatScheduler",
    ]
    assert services["caddy"]["depends_on"] == {"web": {"condition": "service_healthy"}}


def test_compose_health_checks_use_the_health_endpoints(compose):
    services = compose["services"]
    assert any("/readyz" in part for part in services["web"]["healthcheck"]["test"])
    for name in ("worker", "beat"):
        assert services[name]["healthcheck"]["test"] == ["CMD", "python", "manage.py", "readyz"]
    caddyfile = (DEPLOY / "caddy" / "Caddyfile").read_text()
    assert "health_uri /readyz" in caddyfile
    assert "ask http://web:8000/internal/domain-check" in caddyfile
    assert "*.{$BASE_DOMAIN}" in caddyfile and "on_demand" in caddyfile


# --- Dockerfile ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dockerfile():
    text = (DEPLOY / "Dockerfile").read_text()
    # Join continuation lines, drop comments: one instruction per entry.
    text = re.sub(r"\\\n", " ", text)
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def instructions(dockerfile, keyword):
    return [line for line in dockerfile if line.split(None, 1)[0].upper() == keyword]


def test_dockerfile_is_multi_stage_on_python_311_slim(dockerfile):
    froms = instructions(dockerfile, "FROM")
    assert froms == ["FROM ${PYTHON_IMAGE} AS build", "FROM ${PYTHON_IMAGE} AS runtime"]
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in dockerfile
    assert any(line.startswith("COPY --from=build /opt/venv") for line in dockerfile)


def test_dockerfile_runs_as_a_non_root_user_with_a_healthcheck(dockerfile):
    users = instructions(dockerfile, "USER")
    assert users == ["USER 10001:10001"]  # the last USER wins: numeric, not root
    assert dockerfile.index(users[-1]) > dockerfile.index("FROM ${PYTHON_IMAGE} AS runtime")
    (healthcheck,) = instructions(dockerfile, "HEALTHCHECK")
    assert "/healthz" in healthcheck
    assert any("useradd --system --uid 10001" in line for line in dockerfile)


def test_dockerfile_compiles_translations_and_collects_static_files_at_build(dockerfile):
    build = " ".join(dockerfile)
    assert "manage.py compilemessages" in build
    assert "manage.py collectstatic --noinput" in build
    (cmd,) = instructions(dockerfile, "CMD")
    assert (
        cmd
        == 'CMD ["gunicorn", "entraide.wsgi:application", "--config", "/app/deploy/gunicorn.conf.py"]'
    )


def test_dockerfile_copies_every_import_root_and_the_gunicorn_config(dockerfile):
    copies = " ".join(instructions(dockerfile, "COPY"))
    for root in ("platform", "tenants", "themes", "worker", "manage.py", "deploy/gunicorn.conf.py"):
        assert root in copies
    top_level_packages = {p.parent.name for p in DEPLOY.parent.glob("*/__init__.py")} - {"tests"}
    for package in top_level_packages:
        assert f"COPY {package} ./{package}" in dockerfile, (
            f"the image misses the {package} package"
        )


def test_the_real_production_env_file_is_never_committed():
    import subprocess

    from tests.deploy.conftest import REPO

    ignored = subprocess.run(
        ["git", "check-ignore", "--quiet", "deploy/production.env"], cwd=REPO, check=False
    )
    assert ignored.returncode == 0
    example = subprocess.run(
        ["git", "check-ignore", "--quiet", "deploy/production.env.example"], cwd=REPO, check=False
    )
    assert example.returncode == 1
