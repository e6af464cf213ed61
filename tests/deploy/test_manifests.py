"""The multi-machine configs (Docker, Compose, Kubernetes), checked by structure.

No Docker engine or Kubernetes cluster runs here, so these read the files: sticky
sessions, health checks on /_stcore/health, one shared DATABASE_URL, and an
nginx config for Compose that is the tested template rendered for it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from dashboard.core.paths import REPO_ROOT
from deploy.serve import (
    COMPOSE_CONFIG,
    COMPOSE_UPSTREAMS,
    COOKIE,
    LIMITS,
    compose_config,
)

DEPLOY = REPO_ROOT / "deploy"
HEALTH = "/_stcore/health"


def _kubernetes() -> dict[str, dict]:
    documents = yaml.safe_load_all((DEPLOY / "kubernetes.yaml").read_text())
    return {doc["kind"]: doc for doc in documents if doc}


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def _dashboards(compose: dict) -> dict[str, dict]:
    return {
        name: service
        for name, service in compose["services"].items()
        if name.startswith("dashboard")
    }


# -- Kubernetes ----------------------------------------------------------------


def test_kubernetes_has_a_deployment_a_service_and_an_ingress() -> None:
    assert set(_kubernetes()) == {"Deployment", "Service", "Ingress"}


def test_kubernetes_pods_probe_streamlit_health() -> None:
    (container,) = _kubernetes()["Deployment"]["spec"]["template"]["spec"]["containers"]
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert ports == {"http": 8501}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        check = container[probe]["httpGet"]
        assert check["path"] == HEALTH, probe
        assert check["port"] in ("http", 8501), probe


def test_kubernetes_pods_get_one_core_each() -> None:
    (container,) = _kubernetes()["Deployment"]["spec"]["template"]["spec"]["containers"]
    assert str(container["resources"]["requests"]["cpu"]) == "1"
    assert str(container["resources"]["limits"]["cpu"]) == "1"


def test_kubernetes_database_url_and_cookie_secret_come_from_a_secret() -> None:
    (container,) = _kubernetes()["Deployment"]["spec"]["template"]["spec"]["containers"]
    env = {item["name"]: item for item in container["env"]}
    for name in ("DATABASE_URL", "STREAMLIT_SERVER_COOKIE_SECRET", "DASHBOARD_SECRET"):
        assert "value" not in env[name], f"{name} must not be written in the file"
        assert env[name]["valueFrom"]["secretKeyRef"]["name"]


def test_kubernetes_pods_run_as_the_images_non_root_user() -> None:
    pod = _kubernetes()["Deployment"]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    uid = re.search(r"--uid (\d+)", (DEPLOY / "Dockerfile").read_text())
    assert uid
    assert pod["securityContext"]["runAsUser"] == int(uid.group(1))


def test_kubernetes_service_is_sticky_by_client_ip_for_three_hours() -> None:
    manifests = _kubernetes()
    service = manifests["Service"]["spec"]
    assert service["sessionAffinity"] == "ClientIP"
    assert service["sessionAffinityConfig"]["clientIP"]["timeoutSeconds"] == 10800
    pod_labels = manifests["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert service["selector"].items() <= pod_labels.items()
    assert service["ports"][0]["targetPort"] == "http"


def test_kubernetes_ingress_is_sticky_by_cookie_and_keeps_websockets_open() -> None:
    manifests = _kubernetes()
    ingress = manifests["Ingress"]
    notes = ingress["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert notes[prefix + "affinity"] == "cookie"
    assert notes[prefix + "affinity-mode"] == "persistent"
    assert notes[prefix + "session-cookie-name"] == COOKIE
    assert int(notes[prefix + "proxy-read-timeout"]) >= 3600
    assert int(notes[prefix + "proxy-send-timeout"]) >= 3600
    assert int(notes[prefix + "limit-connections"]) == LIMITS.connections
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    backend = path["backend"]["service"]
    assert backend["name"] == manifests["Service"]["metadata"]["name"]


# -- Compose ---------------------------------------------------------------------


def test_compose_runs_replicas_nginx_and_postgres() -> None:
    compose = _compose()
    assert {"nginx", "postgres"} <= set(compose["services"])
    assert len(_dashboards(compose)) >= 2


def test_compose_replicas_share_one_postgres_database() -> None:
    compose = _compose()
    urls = {s["environment"]["DATABASE_URL"] for s in _dashboards(compose).values()}
    assert len(urls) == 1
    (url,) = urls
    assert url.startswith("postgresql://")
    assert "@postgres:5432/" in url
    postgres = compose["services"]["postgres"]["environment"]
    assert url.endswith("/" + postgres["POSTGRES_DB"])
    assert url.startswith(f"postgresql://{postgres['POSTGRES_USER']}:")
    for service in _dashboards(compose).values():
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", ["STREAMLIT_SERVER_COOKIE_SECRET", "DASHBOARD_SECRET"])
def test_compose_replicas_share_one_secret(name: str) -> None:
    secrets = {s["environment"][name] for s in _dashboards(_compose()).values()}
    assert len(secrets) == 1
    assert secrets.pop().startswith("${")  # from the environment, not the file


def test_compose_health_checks_use_streamlit_health() -> None:
    compose = _compose()
    for name, service in _dashboards(compose).items():
        check = " ".join(service["healthcheck"]["test"])
        assert "http://127.0.0.1:{port}" + HEALTH in check, name
        assert "os.environ['STREAMLIT_SERVER_PORT']" in check, name
    nginx = compose["services"]["nginx"]
    for name in _dashboards(compose):
        assert nginx["depends_on"][name]["condition"] == "service_healthy"


def test_compose_replicas_listen_where_nginx_expects_them() -> None:
    """nginx tells replicas apart by port: each has its own, as in the config."""
    ports = {
        name: service["environment"]["STREAMLIT_SERVER_PORT"]
        for name, service in _dashboards(_compose()).items()
    }
    expected = dict(address.split(":") for address in COMPOSE_UPSTREAMS)
    assert ports == expected
    assert len(set(ports.values())) == len(ports)


def test_compose_nginx_uses_the_template_rendered_for_its_replicas() -> None:
    compose = _compose()
    nginx = compose["services"]["nginx"]
    assert "./nginx.compose.conf:/etc/nginx/nginx.conf:ro" in nginx["volumes"]
    assert COMPOSE_CONFIG.read_text() == compose_config(), (
        "deploy/nginx.compose.conf is stale: run "
        "python -m deploy.serve --compose-config > deploy/nginx.compose.conf"
    )
    upstreams = {address.split(":")[0] for address in COMPOSE_UPSTREAMS}
    assert upstreams == set(_dashboards(compose))
    assert "listen 8080;" in COMPOSE_CONFIG.read_text()
    assert any(port.endswith(":8080") for port in nginx["ports"])


# -- Dockerfile --------------------------------------------------------------------


@pytest.fixture
def dockerfile() -> str:
    return (DEPLOY / "Dockerfile").read_text()


def test_dockerfile_runs_the_project_as_a_non_root_user(dockerfile: str) -> None:
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.M)
    assert "pip install -r requirements.txt ." in dockerfile
    user = re.findall(r"^USER (\S+)$", dockerfile, re.M)
    assert user
    assert user[-1] not in ("root", "0")
    assert "COPY .streamlit ./.streamlit" in dockerfile


def test_dockerfile_health_check_and_command(dockerfile: str) -> None:
    healthcheck = re.search(r"^HEALTHCHECK .*?(?<!\\)$", dockerfile, re.M | re.S)
    assert healthcheck
    assert "http://127.0.0.1:{port}" + HEALTH in healthcheck.group(0)
    assert "STREAMLIT_SERVER_PORT=8501" in dockerfile
    assert '"streamlit", "run", "dashboard/app.py"' in dockerfile
    assert "--server.address=0.0.0.0" in dockerfile


def test_docker_build_context_sends_only_what_the_image_needs() -> None:
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    assert "*" in ignore  # everything is left out, then what is needed let in
    kept = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    copied = set(re.findall(r"^COPY (\S+)", (DEPLOY / "Dockerfile").read_text(), re.M))
    copied |= {"requirements.txt", "pyproject.toml", "README.md"}
    assert copied <= kept
    assert ".venv" not in kept
    assert ".data" not in kept


def test_deploy_readme_names_what_is_tested_and_what_is_not() -> None:
    readme = (DEPLOY / "README.md").read_text()
    assert "python -m deploy.serve" in readme
    assert "cookieSecret" in readme
    for name in ("Dockerfile", "compose.yaml", "kubernetes.yaml"):
        assert name in readme
    assert "not tested" in readme.lower() or "not run" in readme.lower()


def test_paths_in_the_dockerfile_exist() -> None:
    for source in re.findall(
        r"^COPY (\S+(?: \S+)*) \S+$", (DEPLOY / "Dockerfile").read_text(), re.M
    ):
        for name in source.split():
            assert Path(REPO_ROOT / name).exists(), name
