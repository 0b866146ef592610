"""deploy/ agrees with the code: one image, the API's port, the probes' routes,
the commands, and exactly the environment variables the settings module reads.

Pure file checks (no Docker daemon, no cluster). `docker compose config`
validates the compose file when the compose plugin is installed; without the
plugin that one test is skipped (it checks the client, not a daemon).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from careerplan import settings as settings_module
from careerplan.cli import main as cli

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
IMAGE = "careerplan:latest"
API_PORT = 8000
APP_ROLES = {"migrate", "api", "worker", "scheduler", "projections"}
BACKING_SERVICES = {"postgres", "redis"}
CONFIG_MAP, SECRET = "careerplan-config", "careerplan-secrets"


# --- what the code reads ---------------------------------------------------


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def names_in_settings_source() -> set[str]:
    """`env.<type>("NAME", …)`, `os.getenv("NAME")`, `os.environ.get("NAME")`, `os.environ["NAME"]`."""
    tree = ast.parse(Path(settings_module.__file__).read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and (name := _string(node.args[0])):
            func = _dotted(node.func)
            if func.startswith("env.") or func in {"os.getenv", "os.environ.get", "environ.get"}:
                names.add(name)
        elif isinstance(node, ast.Subscript) and _dotted(node.value) in {"os.environ", "environ"}:
            if name := _string(node.slice):
                names.add(name)
    return names


class RecordingEnviron(dict):
    """An os.environ stand-in that remembers every name looked up."""

    def __init__(self, values=()):
        super().__init__(values)
        self.looked_up: set[str] = set()

    def get(self, key, default=None):
        self.looked_up.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.looked_up.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.looked_up.add(key)
        return super().__contains__(key)


def load_settings_from(monkeypatch, values: dict[str, str]) -> tuple[object, set[str]]:
    """Run the real `load_settings()` on exactly `values`; the settings and the names it read."""
    environ = RecordingEnviron(values)
    with monkeypatch.context() as patch:
        patch.setattr(os, "environ", environ)
        loaded = settings_module.load_settings()
    return loaded, environ.looked_up


@pytest.fixture(scope="module")
def setting_names() -> set[str]:
    """Every environment variable careerplan/settings.py reads (source and a real load)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        _, looked_up = load_settings_from(monkeypatch, {})
    names = names_in_settings_source() | looked_up
    assert {"DATABASE_URL", "API_KEY_SECRET", "REDIS_URL"} <= names, names
    return names


# --- what deploy/ says ------------------------------------------------------


def env_example() -> dict[str, str]:
    """NAME=value lines of .env.example; a commented-out `# NAME=value` counts as listed."""
    values = {}
    for line in (DEPLOY / ".env.example").read_text().splitlines():
        if match := re.fullmatch(r"#?\s*([A-Z][A-Z0-9_]*)=(.*)", line.strip()):
            values.setdefault(match[1], match[2])
    return values


def env_example_set() -> dict[str, str]:
    """Only the uncommented NAME=value lines: what a copied .env sets."""
    return {
        m[1]: m[2]
        for line in (DEPLOY / ".env.example").read_text().splitlines()
        if (m := re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line.strip()))
    }


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def manifests() -> list[dict]:
    documents = []
    for path in sorted(K8S.glob("*.y*ml")):
        for document in yaml.safe_load_all(path.read_text()):
            if document is not None:
                documents.append(document)
    return documents


def kinds(manifests, kind: str) -> list[dict]:
    return [m for m in manifests if m["kind"] == kind]


def pod_spec(workload: dict) -> dict:
    return workload["spec"]["template"]["spec"]


def containers(workload: dict) -> list[dict]:
    spec = pod_spec(workload)
    return spec.get("initContainers", []) + spec["containers"]


def workloads(manifests) -> list[dict]:
    return [
        m
        for m in manifests
        if m["kind"] in {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}
    ]


def deployment_running(manifests, *args: str) -> dict:
    """The one Deployment whose container runs `careerplan <args>` (the api: no command)."""
    found = [
        d
        for d in kinds(manifests, "Deployment")
        if any(
            c.get("command", []) + c.get("args", []) == ["careerplan", *args]
            for c in d["spec"]["template"]["spec"]["containers"]
        )
    ]
    assert len(found) == 1, f"one Deployment should run careerplan {' '.join(args)}: {found}"
    return found[0]


def api_deployment(manifests) -> dict:
    found = [
        d for d in kinds(manifests, "Deployment") if "command" not in pod_spec(d)["containers"][0]
    ]
    assert len(found) == 1, (
        "exactly one Deployment (the API) should use the image's default command"
    )
    return found[0]


def compose_environment(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.partition("=")[::2] for item in environment)
    return environment


def dockerfile_cmd() -> list[str]:
    lines = (DEPLOY / "Dockerfile").read_text().splitlines()
    cmds = [line for line in lines if line.startswith("CMD ")]
    assert len(cmds) == 1, cmds
    return json.loads(cmds[0][4:])  # exec form: no shell between the runtime and gunicorn


def gunicorn_option(cmd: list[str], *names: str) -> str:
    for i, word in enumerate(cmd):
        for name in names:
            if word == name:
                return cmd[i + 1]
            if word.startswith(name + "="):
                return word.split("=", 1)[1]
    raise AssertionError(f"{names} not in {cmd}")


def resolve_port(port, container: dict) -> int:
    if isinstance(port, int):
        return port
    named = {p["name"]: p["containerPort"] for p in container.get("ports", []) if "name" in p}
    return named[port]


# --- the files parse --------------------------------------------------------


def test_compose_file_and_every_manifest_parse(compose, manifests):
    assert set(compose["services"]) == APP_ROLES | BACKING_SERVICES
    assert len(list(K8S.glob("*.yaml"))) >= 5
    for manifest in manifests:
        assert {"apiVersion", "kind", "metadata"} <= manifest.keys(), manifest
        assert manifest["metadata"]["name"]
    assert {m["kind"] for m in manifests} >= {"ConfigMap", "Secret", "Job", "Deployment", "Service"}


# --- one image, the right commands ------------------------------------------


def test_every_service_and_workload_runs_the_same_image(compose, manifests):
    for role in APP_ROLES:
        service = compose["services"][role]
        assert service["image"] == IMAGE, role
        build = service["build"]
        assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
        assert service["env_file"] in (".env", [".env"]), role
    for workload in workloads(manifests):
        for container in containers(workload):
            assert container["image"] == IMAGE, workload["metadata"]["name"]


def test_dockerfile_is_one_non_root_image_serving_the_api_with_gunicorn():
    text = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.M)
    user = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert user and user[-1].split(":")[0] not in {"root", "0"}
    cmd = dockerfile_cmd()
    assert cmd[0] == "gunicorn" and cmd[-1] == "careerplan.wsgi:app"
    assert int(gunicorn_option(cmd, "--workers", "-w")) >= 2
    assert gunicorn_option(cmd, "--worker-class", "-k") == "gthread"
    assert re.search(rf"^EXPOSE\s+{API_PORT}\b", text, re.M)
    wsgi = ast.parse((ROOT / "careerplan" / "wsgi.py").read_text())
    assert any(
        isinstance(n, ast.Assign) and any(_dotted(t) == "app" for t in n.targets) for n in wsgi.body
    )
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert {".venv", ".env", "**/.env"} <= set(ignored)


def test_gunicorn_config_adds_up_metrics_across_workers(tmp_path):
    config = gunicorn_option(dockerfile_cmd(), "--config", "-c")
    text = (DEPLOY / "Dockerfile").read_text()
    assert re.search(rf"^COPY deploy/gunicorn\.conf\.py {re.escape(config)}$", text, re.M)
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_4242.db").write_bytes(b"stale")  # from a previous run
    # In a child process: prometheus_client picks its multiprocess mode once,
    # at import, and this test process must keep the ordinary one.
    hooks = (
        "import runpy, types, sys; hooks = runpy.run_path(sys.argv[1]); "
        "hooks['on_starting'](None); hooks['child_exit'](None, types.SimpleNamespace(pid=4242))"
    )
    environment = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    result = subprocess.run(
        [sys.executable, "-c", hooks, str(DEPLOY / "gunicorn.conf.py")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert list(metrics_dir.iterdir()) == []


def test_the_compose_commands_and_k8s_commands_are_real_cli_commands(compose, manifests):
    commands = [compose["services"][role]["command"] for role in APP_ROLES - {"api"}]
    commands += [
        c["command"] for w in workloads(manifests) for c in containers(w) if "command" in c
    ]
    assert commands
    for command in commands:
        assert command[0] == "careerplan", command
        result = CliRunner().invoke(cli, [*command[1:], "--help"])
        assert result.exit_code == 0, (command, result.output)


def test_compose_roles_start_in_order(compose):
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    for backing in BACKING_SERVICES:
        assert services[backing]["healthcheck"]["test"]
    migrate = services["migrate"]
    assert migrate["command"] == ["careerplan", "migrate"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    for role in APP_ROLES - {"migrate"}:
        depends = services[role]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", role
        assert depends["postgres"]["condition"] == "service_healthy", role
    assert "command" not in services["api"], "the api runs the image's gunicorn command"
    assert services["worker"]["command"] == ["careerplan", "worker"]
    assert services["scheduler"]["command"] == ["careerplan", "scheduler"]
    assert services["projections"]["command"] == ["careerplan", "projections", "follow"]


def test_env_file_settings_point_at_the_compose_services():
    values = env_example_set()
    assert "@postgres:5432/" in values["DATABASE_URL"]
    assert values["REDIS_URL"].startswith("redis://redis:6379")
    assert values["MIGRATE_ON_START"] == "false"


# --- one scheduler, scalable workers ----------------------------------------


def test_exactly_one_scheduler(compose, manifests):
    assert compose["services"]["scheduler"].get("deploy", {}).get("replicas", 1) == 1
    scheduler = deployment_running(manifests, "scheduler")
    assert scheduler["spec"]["replicas"] == 1
    assert scheduler["spec"]["strategy"]["type"] == "Recreate"
    schedulers = [
        c
        for w in workloads(manifests)
        for c in containers(w)
        if c.get("command") == ["careerplan", "scheduler"]
    ]
    assert len(schedulers) == 1


def test_workers_scale_out_and_the_follower_runs(compose, manifests):
    assert compose["services"]["worker"].get("deploy", {}).get("replicas", 1) >= 2
    assert deployment_running(manifests, "worker")["spec"]["replicas"] >= 2
    assert deployment_running(manifests, "projections", "follow")["spec"]["replicas"] >= 1
    assert api_deployment(manifests)["spec"]["replicas"] >= 1
    jobs = kinds(manifests, "Job")
    assert [c["command"] for j in jobs for c in containers(j)] == [["careerplan", "migrate"]]


# --- the API's port ---------------------------------------------------------


def test_api_port_is_the_same_in_gunicorn_compose_and_kubernetes(compose, manifests):
    bind = gunicorn_option(dockerfile_cmd(), "--bind", "-b")
    host, _, port = bind.rpartition(":")
    assert host == "0.0.0.0" and int(port) == API_PORT

    api = compose["services"]["api"]
    published = [str(p).rsplit(":", 1)[-1] for p in api["ports"]]
    assert published == [str(API_PORT)]
    assert f":{API_PORT}/ready" in " ".join(api["healthcheck"]["test"])

    deployment = api_deployment(manifests)
    (container,) = pod_spec(deployment)["containers"]
    assert [p["containerPort"] for p in container["ports"]] == [API_PORT]
    assert resolve_port(container["readinessProbe"]["httpGet"]["port"], container) == API_PORT
    assert resolve_port(container["livenessProbe"]["httpGet"]["port"], container) == API_PORT
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    services = [
        s for s in kinds(manifests, "Service") if s["spec"]["selector"].items() <= labels.items()
    ]
    assert len(services) == 1
    for port in services[0]["spec"]["ports"]:
        assert resolve_port(port.get("targetPort", port["port"]), container) == API_PORT


def test_probes_hit_routes_the_app_serves(tmp_path, compose, manifests):
    from careerplan.serving import app_for

    settings = settings_module.Settings(
        database_url=f"sqlite:///{tmp_path / 'probe.db'}", migrate_on_start=True
    )
    app = app_for(settings)
    routes = {rule.rule for rule in app.url_map.iter_rules()}
    (container,) = pod_spec(api_deployment(manifests))["containers"]
    probes = {
        "readiness": container["readinessProbe"]["httpGet"]["path"],
        "liveness": container["livenessProbe"]["httpGet"]["path"],
    }
    assert probes == {"readiness": "/ready", "liveness": "/health"}
    compose_probe = re.search(
        r"https?://[^/]+(/\w+)", " ".join(compose["services"]["api"]["healthcheck"]["test"])
    )
    assert compose_probe[1] == "/ready"
    client = app.test_client()
    for path in {*probes.values(), compose_probe[1]}:
        assert path in routes
        assert client.get(path).status_code == 200


# --- the environment --------------------------------------------------------


def test_env_example_lists_every_setting_with_a_comment(setting_names):
    listed = env_example()
    assert setting_names <= listed.keys(), (
        f"missing from .env.example: {setting_names - listed.keys()}"
    )
    lines = (DEPLOY / ".env.example").read_text().splitlines()
    for i, line in enumerate(lines):
        if re.fullmatch(r"[A-Z][A-Z0-9_]*=.*", line):
            above = lines[:i]
            while above and re.fullmatch(r"[A-Z][A-Z0-9_]*=.*", above[-1]):
                above.pop()  # HOST= and PORT= may share one comment
            assert above and above[-1].startswith("#"), f"no comment above {line}"


def test_k8s_config_map_and_secret_hold_every_setting(manifests, setting_names):
    (config_map,) = [
        m for m in kinds(manifests, "ConfigMap") if m["metadata"]["name"] == CONFIG_MAP
    ]
    (secret,) = [m for m in kinds(manifests, "Secret") if m["metadata"]["name"] == SECRET]
    plain = set(config_map["data"])
    secret_keys = set(secret.get("stringData", {})) | set(secret.get("data", {}))
    assert not plain & secret_keys
    assert setting_names <= plain | secret_keys, f"missing: {setting_names - plain - secret_keys}"
    assert {"DATABASE_URL", "API_KEY_SECRET", "REDIS_URL"} <= secret_keys


def test_deploy_files_name_no_variable_the_settings_do_not_read(compose, manifests, setting_names):
    named = {f".env.example {n}": n for n in env_example()}
    for role in APP_ROLES:
        named |= {f"compose {role} {n}": n for n in compose_environment(compose["services"][role])}
    for manifest in kinds(manifests, "ConfigMap") + kinds(manifests, "Secret"):
        for key in (manifest.get("data") or {}) | (manifest.get("stringData") or {}):
            named[f"{manifest['kind']} {key}"] = key
    for workload in workloads(manifests):
        for container in containers(workload):
            for variable in container.get("env", []):
                named[f"{workload['metadata']['name']} {variable['name']}"] = variable["name"]
    unknown = {where for where, name in named.items() if name not in setting_names}
    assert not unknown, f"not read by careerplan/settings.py: {sorted(unknown)}"


def test_every_workload_loads_the_same_config_map_and_secret(manifests):
    for workload in workloads(manifests):
        for container in containers(workload):
            sources = {
                (kind, ref["name"])
                for source in container.get("envFrom", [])
                for kind, ref in source.items()
            }
            assert sources == {("configMapRef", CONFIG_MAP), ("secretRef", SECRET)}, workload[
                "metadata"
            ]["name"]


@pytest.mark.parametrize("source", [".env.example", "k8s"])
def test_the_example_values_pass_the_settings_validation_once_the_secrets_are_filled_in(
    monkeypatch, manifests, source
):
    if source == ".env.example":
        values = env_example_set()
    else:
        values = {}
        for manifest in kinds(manifests, "ConfigMap") + kinds(manifests, "Secret"):
            values |= (manifest.get("data") or {}) | (manifest.get("stringData") or {})
    with pytest.raises(settings_module.SettingsError, match="^API_KEY_SECRET is a placeholder"):
        load_settings_from(monkeypatch, values)  # as shipped: the secrets must be filled in
    values |= {"API_KEY_SECRET": "k" * 48, "MASTER_KEY": "bW" * 21 + "0="}
    loaded, _ = load_settings_from(monkeypatch, values)
    assert loaded.database_url.startswith("postgresql+psycopg://")
    assert loaded.redis_url.startswith("redis://")
    assert loaded.migrate_on_start is False
    assert len(loaded.key_secret) >= settings_module.MIN_API_KEY_SECRET_LENGTH


def test_readme_names_only_deploy_files_that_exist():
    text = (DEPLOY / "README.md").read_text()
    paths = set(re.findall(r"deploy/[\w./-]+\.(?:ya?ml|example)", text))
    assert paths
    for path in paths:
        assert (ROOT / path).exists(), path
    assert "--scale worker=" in text


# --- the compose file validates with Docker's own client --------------------


def _compose_client(argv: list[str]) -> list[str] | None:
    if shutil.which(argv[0]) is None:
        return None
    try:
        probe = subprocess.run([*argv, "version"], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return argv if probe.returncode == 0 else None


def _compose_config(client: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    """`config -q` on a copy of deploy/ with .env made from .env.example (as the README says)."""
    copy = tmp_path / "deploy"
    copy.mkdir()
    for name in ("docker-compose.yml", "Dockerfile", "Dockerfile.dockerignore"):
        shutil.copy(DEPLOY / name, copy / name)
    shutil.copy(DEPLOY / ".env.example", copy / ".env")
    return subprocess.run(
        [*client, "-f", str(copy / "docker-compose.yml"), "config", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_docker_compose_config_validates(tmp_path):
    client = _compose_client(["docker", "compose"])
    if client is None:
        pytest.skip("the docker compose plugin is not installed (a client check: no daemon needed)")
    result = _compose_config(client, tmp_path)
    assert result.returncode == 0, result.stderr


def test_legacy_docker_compose_config_validates(tmp_path):
    client = _compose_client(["docker-compose"])
    if client is None:
        pytest.skip("docker-compose (v1) is not installed")
    result = _compose_config(client, tmp_path)
    assert result.returncode == 0, result.stderr
