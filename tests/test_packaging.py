"""The same pinned Neo4j everywhere, and a compose file that validates."""

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = "5.26.30"


def test_neo4j_version_is_pinned_identically_everywhere():
    launcher = (ROOT / "ingest/local_neo4j/neo4j-local.sh").read_text()
    compose = (ROOT / "docker-compose.yml").read_text()
    conftest = (ROOT / "tests/conftest.py").read_text()
    assert re.search(r'NEO4J_VERSION="\$\{NEO4J_VERSION:-' + re.escape(PIN) + r'\}"', launcher)
    assert f"image: neo4j:{PIN}-community" in compose
    assert f'NEO4J_IMAGE = "neo4j:{PIN}-community"' in conftest


def _docker_compose() -> str:
    tool = shutil.which("docker-compose")
    if tool is None:
        import pytest

        pytest.skip("docker-compose (Debian's package) is not installed")
    return tool


def test_compose_file_validates():
    result = subprocess.run(
        [_docker_compose(), "config", "-q"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


# The job must reach the compose service `neo4j`, whatever the host's own values are.
SET_BY_COMPOSE = frozenset({"NEO4J_URI", "NEO4J_USERNAME", "NEO4J_BROWSER_URL"})


def _setting_names() -> list[str]:
    from ingest.settings import Settings

    return [f.validation_alias.choices[0] for f in Settings.model_fields.values()]  # type: ignore[union-attr]


def _compose_job_environment(host: dict[str, str]) -> str:
    """The `idgraph` service of `docker-compose config` as the host environment resolves it."""
    import os

    names = set(_setting_names())
    env = {k: v for k, v in os.environ.items() if k not in names} | host
    done = subprocess.run(
        [_docker_compose(), "config"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split("\n  idgraph:\n", 1)[1].split("\n  neo4j:\n", 1)[0]


def test_compose_passes_every_setting_through_to_the_job():
    passed = [name for name in _setting_names() if name not in SET_BY_COMPOSE]
    job = _compose_job_environment({name: f"host-{name.lower()}" for name in passed})
    missing = [name for name in passed if f"{name}: host-{name.lower()}" not in job]
    assert not missing, f"docker-compose.yml does not pass these to the job: {missing}"
    unset = _compose_job_environment({})
    assert not re.search(r"IDGRAPH_\w+: ''", unset), "unset settings must keep their defaults"


def test_readme_configuration_table_is_current():
    from ingest.settings_docs import README, render

    current = README.read_text()
    assert render(current) == current, "run `python -m ingest.settings_docs`"


def _base_requirements() -> list[str]:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]


def _installed_closure(requirements: list[str]) -> set[str]:
    """The distributions a plain `pip install .` brings in: the base dependencies and, recursively,
    theirs (without extras), as installed here."""
    from importlib.metadata import PackageNotFoundError, requires

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    seen: set[str] = set()
    todo = [Requirement(r) for r in requirements]
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen or (req.marker is not None and not req.marker.evaluate({"extra": ""})):
            continue
        seen.add(name)
        try:
            todo.extend(Requirement(r) for r in requires(req.name) or ())
        except PackageNotFoundError:
            continue
    return seen


def _third_party_imports() -> dict[str, set[str]]:
    """Top-level module -> files importing it, for every absolute import (module level or lazy)
    in the two shipped packages, outside `if TYPE_CHECKING:` blocks."""
    import ast
    import sys

    own = {"ingest", "anthropic_sim"}
    found: dict[str, set[str]] = {}
    for package in sorted(own):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text())
            typing_only = {
                id(n)
                for block in ast.walk(tree)
                if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
                for stmt in block.body
                for n in ast.walk(stmt)
            }
            for node in ast.walk(tree):
                if id(node) in typing_only:
                    continue
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in own:
                        found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_dockerfile_installs_without_extras() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    installs = re.findall(r"pip install[^\n&]*", dockerfile)
    assert installs, "the Dockerfile no longer installs the project with pip"
    for line in installs:
        assert re.search(r"\s\.(\s|$)", line), f"not `pip install .`: {line}"
        assert "[" not in line, f"the image must install no extras: {line}"


def test_every_runtime_import_is_a_base_dependency() -> None:
    """What `pip install .` (the Dockerfile, the README) installs runs every command."""
    from importlib.metadata import packages_distributions

    from packaging.utils import canonicalize_name

    closure = _installed_closure(_base_requirements())
    distributions = packages_distributions()
    imports = _third_party_imports()
    assert "neo4j" in imports and "typer" in imports  # the walk sees the imports
    missing = {
        module: sorted(files)
        for module, files in imports.items()
        if not {canonicalize_name(d) for d in distributions.get(module, [module])} & closure
    }
    assert not missing, f"imported at runtime but not a base dependency: {missing}"


def test_version_is_a_flag_and_a_command() -> None:
    from typer.testing import CliRunner

    from ingest import __version__
    from ingest.cli import app

    for args in (["--version"], ["version"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0 and result.output.strip() == __version__, args
