"""The same pinned Neo4j everywhere, and a compose file that validates."""

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = "5.26.30"


def test_neo4j_version_is_pinned_identically_everywhere():
    launcher = (ROOT / "scripts/neo4j-local").read_text()
    compose = (ROOT / "docker-compose.yml").read_text()
    conftest = (ROOT / "tests/conftest.py").read_text()
    assert re.search(r'NEO4J_VERSION="\$\{NEO4J_VERSION:-' + re.escape(PIN) + r'\}"', launcher)
    assert f"image: neo4j:{PIN}-community" in compose
    assert f'NEO4J_IMAGE = "neo4j:{PIN}-community"' in conftest


def test_compose_file_validates():
    tool = shutil.which("docker-compose")
    if tool is None:
        import pytest

        pytest.skip("docker-compose (Debian's package) is not installed")
    result = subprocess.run(
        [tool, "config", "-q"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_readme_configuration_table_is_current():
    from ingest.settings_docs import README, render

    current = README.read_text()
    assert render(current) == current, "run `python -m ingest.settings_docs`"
